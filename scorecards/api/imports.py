"""Imports over the API, for source systems: the same importer as the web page and the
management commands (``scorecards.importers``), all or nothing.

``POST /api/v1/imports/measurements/`` takes a CSV or Excel file, either as a multipart upload
(field ``file``) or as the raw request body (``Content-Type: text/csv`` or the .xlsx type).
``?dry_run=1`` checks and reports without keeping anything. The answer is 200 with a summary
and the row report when the file is right, 400 with the row report (each row's errors) when it
is not; nothing is written then. ``POST /api/v1/imports/kolada/`` does the same for a saved
Kolada JSON answer (controllers only, 403 otherwise).

A measurement file of more rows than ``importers.background_rows()`` (5 000) runs as a background
job (scorecards/jobs.py), dry run or not: the answer is 202 with the job (``job.url``, also in
``Location``); ``GET /api/v1/imports/jobs/<id>/`` answers its status, progress (percent and a
message with the rows checked and values written, of how many) and, when it is done, the report
(the summary, the file's errors and the wrong rows). Only the job's owner sees it (404 otherwise).
"""

from django.core.exceptions import RequestDataTooBig
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.jobs import jobs_for
from scorecards import importers
from scorecards.jobs import JSON, MEASUREMENT_IMPORT, job_report, submit_measurement_import
from scorecards.models import Measurement

TRUE_VALUES = {"1", "true", "yes", "ja", "on"}


class RawBodyParser(BaseParser):
    """Accepts any body as it is; the view reads ``request.body`` itself."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return {}


def _file_bytes(request):
    """(bytes, file name) of the upload, or raises ValueError with a message for the client."""
    content_type = (request.content_type or "").lower()
    if content_type.startswith("multipart/"):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValueError(_("Send the file in the multipart field “file”, or as the request body."))
        message = importers.size_error(upload.size)
        if message:
            raise ValueError(message)
        return upload.read(), upload.name
    raw_request = request._request
    if hasattr(raw_request, "_body"):
        data = raw_request._body
    else:
        # Read the stream ourselves, at most one byte past the import limit: ``request.body``
        # would apply DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) instead of the import's own limit.
        # The size in the message is the body's own (Content-Length), not the bytes read so far.
        declared = _content_length(raw_request)
        message = importers.size_error(declared)
        if message:
            raise ValueError(message)
        try:
            data = raw_request.read(importers.max_bytes() + 1)
        except RequestDataTooBig:
            raise ValueError(importers.size_error(declared or importers.max_bytes() + 1)) from None
    message = importers.size_error(max(len(data), _content_length(raw_request) or 0))
    if message:
        raise ValueError(message)
    name = ""
    if "spreadsheetml" in content_type:
        name = "upload.xlsx"
    elif "json" in content_type:
        name = "upload.json"
    return data, name


def _content_length(raw_request):
    try:
        return int(raw_request.META.get("CONTENT_LENGTH") or 0) or None
    except ValueError:
        return None


class _ImportView(APIView):
    parser_classes = [MultiPartParser, RawBodyParser]
    kind = None

    def post(self, request):
        dry_run = str(request.query_params.get("dry_run", "")).strip().lower() in TRUE_VALUES
        try:
            data, name = _file_bytes(request)
        except ValueError as error:
            return Response({"ok": False, "dry_run": dry_run, "written": False, "errors": [str(error)], "rows": []},
                            status=status.HTTP_400_BAD_REQUEST)
        if not data:
            return Response({"ok": False, "dry_run": dry_run, "written": False, "errors": [_("The file is empty.")],
                             "rows": []}, status=status.HTTP_400_BAD_REQUEST)
        kind = self.kind_for(data, name)
        if importers.runs_in_background(data, name, kind):
            job = submit_measurement_import(user=request.user, file_name=name or "upload.csv", data=data,
                                            dry_run=dry_run, result=JSON, source=Measurement.Source.API,
                                            api_token=getattr(request, "api_token", None))
            url = request.build_absolute_uri(reverse("api:import-job", args=[job.pk]))
            return Response({"ok": None, "dry_run": dry_run, "written": False, "job": _job_data(job, url)},
                            status=status.HTTP_202_ACCEPTED, headers={"Location": url})
        report = importers.import_file(user=request.user, data=data, filename=name, dry_run=dry_run,
                                       source=Measurement.Source.API, kind=kind)
        return Response(report.as_dict(), status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST)

    def kind_for(self, data, name):
        raise NotImplementedError


def _job_data(job, url):
    return {"id": job.pk, "url": url, "status": job.status, "progress": job.progress, "message": job.message}


class ImportJobView(APIView):
    """The state of an import running in the background and, when done, its report."""

    @extend_schema(responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Status, progress and report"),
                              404: OpenApiResponse(description="No such job of yours")})
    def get(self, request, pk):
        job = jobs_for(request.user).filter(pk=pk).defer("params").first()
        if job is None or job.kind != MEASUREMENT_IMPORT:
            return Response({"detail": _("No such job.")}, status=status.HTTP_404_NOT_FOUND)
        data = _job_data(job, request.build_absolute_uri())
        data["error"] = job.error
        data["report"] = job_report(job)
        return Response(data)


DRY_RUN = OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="Check and report without keeping anything.")


class MeasurementImportView(_ImportView):
    """Import measurements from a CSV or Excel file (docs/architecture.md §8 layout), all or nothing."""

    @extend_schema(
        parameters=[DRY_RUN],
        request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
                 "text/csv": OpenApiTypes.STR,
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": OpenApiTypes.BINARY},
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Summary and row report"),
                   202: OpenApiResponse(OpenApiTypes.OBJECT, description="A big file: the background job (job.url, "
                                                                         "also in Location) that imports it"),
                   400: OpenApiResponse(OpenApiTypes.OBJECT, description="Row report with the errors; nothing written")},
    )
    def post(self, request):
        return super().post(request)

    def kind_for(self, data, name):
        kind = importers.detect_kind(data, name)
        # This endpoint reads measurement files; JSON here is most likely a mistake, read as CSV
        # it fails with a clear "missing columns" report.
        return importers.KIND_EXCEL if kind == importers.KIND_EXCEL else importers.KIND_CSV


class KoladaImportView(_ImportView):
    """Import a saved Kolada API answer (v2 or v3 JSON): measurements and comparison values."""

    @extend_schema(
        parameters=[DRY_RUN],
        request={"application/json": OpenApiTypes.OBJECT,
                 "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Summary"),
                   400: OpenApiResponse(OpenApiTypes.OBJECT, description="What is wrong; nothing written"),
                   403: OpenApiResponse(description="Only controllers import from Kolada")},
    )
    def post(self, request):
        return super().post(request)

    def kind_for(self, data, name):
        return importers.KIND_KOLADA
