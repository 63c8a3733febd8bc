"""The import endpoints: a multipart file or the raw CSV body, ?dry_run=1, 200 with a summary or
400 with the row report and nothing written; Kolada for controllers only. The views are called
directly (the API's URL configuration mounts them at /api/v1/imports/...)."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIRequestFactory, force_authenticate

from scorecards.api.imports import KoladaImportView, MeasurementImportView
from scorecards.models import ComparisonValue, Measurement
from tests.scorecards.import_helpers import HEADER, build_import_setup, csv_bytes, measurement_count, xlsx_bytes

GOOD = [["FAM-01", "BUT-4M", "2026-01", "78,5", "Två"], ["FAM-01", "BUT-4M", "2026-02", "81,0", ""]]
factory = APIRequestFactory()


@pytest.fixture
def setup(org, year_2026, settings):
    settings.TILLIT_KOLADA_MUNICIPALITY = "1283"
    return build_import_setup(org, year_2026)


def call(view, user, request):
    if user is not None:
        force_authenticate(request, user=user)
    return view.as_view()(request)


def raw(user, data, *, query="", content_type="text/csv; charset=utf-8", view=MeasurementImportView):
    return call(view, user, factory.post(f"/api/v1/imports/measurements/{query}", data=data, content_type=content_type))


def multipart(user, data, name="utfall.csv", *, query="", view=MeasurementImportView):
    return call(view, user, factory.post(f"/api/v1/imports/measurements/{query}",
                                         {"file": SimpleUploadedFile(name, data)}, format="multipart"))


def test_a_raw_csv_body_is_imported(setup, unit_manager):
    response = raw(unit_manager, csv_bytes([HEADER, *GOOD]))
    assert response.status_code == 200, response.data
    assert response.data["ok"] and response.data["written"]
    assert response.data["counts"]["new"] == 2
    m = Measurement.objects.get(period__kind="month", period__number=1)
    assert (m.value, m.source) == (Decimal("78.5"), Measurement.Source.API)


def test_a_multipart_excel_file_is_imported(setup, controller):
    response = multipart(controller, xlsx_bytes([HEADER, ["FAM-01", "BUT-4M", "2026-03", "80,5", None]]), "u.xlsx")
    assert response.status_code == 200, response.data
    assert measurement_count() == 1


def test_dry_run_answers_the_summary_and_keeps_nothing(setup, unit_manager):
    response = raw(unit_manager, csv_bytes([HEADER, *GOOD]), query="?dry_run=1")
    assert response.status_code == 200
    assert response.data["dry_run"] is True and response.data["written"] is False
    assert measurement_count() == 0


def test_a_bad_row_answers_400_with_the_row_report_and_writes_nothing(setup, unit_manager):
    response = raw(unit_manager, csv_bytes([HEADER, *GOOD, ["EKB-02", "U31402", "2026-01", "14,2", ""]]))
    assert response.status_code == 400
    rows = response.data["rows"]
    assert [r["row"] for r in rows if r["status"] == "error"] == [4]
    assert rows[2]["errors"]
    assert measurement_count() == 0


@pytest.mark.parametrize("data,content_type", [
    (b"", "text/csv"), (b"PK\x03\x04broken", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"just some words", "text/plain"), (b'{"values": []}', "application/json"),
])
def test_broken_bodies_answer_400_never_500(setup, unit_manager, data, content_type):
    response = raw(unit_manager, data, content_type=content_type)
    assert response.status_code == 400
    assert response.data["errors"]
    assert measurement_count() == 0


def test_a_multipart_request_without_file_is_a_clear_400(setup, unit_manager):
    request = factory.post("/api/v1/imports/measurements/", {"other": "x"}, format="multipart")
    response = call(MeasurementImportView, unit_manager, request)
    assert response.status_code == 400
    assert "file" in response.data["errors"][0]


def test_too_large_bodies_are_refused(setup, unit_manager, settings):
    settings.TILLIT_IMPORT_MAX_BYTES = 40
    response = raw(unit_manager, csv_bytes([HEADER, *GOOD]))
    assert response.status_code == 400 and "MB" in response.data["errors"][0]
    response = multipart(unit_manager, csv_bytes([HEADER, *GOOD]))
    assert response.status_code == 400 and "MB" in response.data["errors"][0]


def test_anonymous_requests_are_refused(setup):
    response = raw(None, csv_bytes([HEADER, *GOOD]))
    assert response.status_code in (401, 403)
    assert measurement_count() == 0


KOLADA = json.dumps({"values": [
    {"kpi": "N31001", "municipality": "1283", "period": 2026, "values": [{"gender": "T", "value": 1490.0}]},
    {"kpi": "N31001", "municipality": "0000", "period": 2026, "values": [{"gender": "T", "value": 1700.0}]}]}).encode()


def test_a_controller_imports_kolada_json(setup, controller):
    response = raw(controller, KOLADA, content_type="application/json", view=KoladaImportView)
    assert response.status_code == 200, response.data
    assert response.data["kind"] == "kolada" and response.data["written"]
    assert ComparisonValue.objects.count() == 2 and measurement_count() == 1


def test_a_unit_manager_may_not_import_kolada(setup, unit_manager):
    response = raw(unit_manager, KOLADA, content_type="application/json", view=KoladaImportView)
    assert response.status_code == 403
    assert ComparisonValue.objects.count() == 0


def test_bad_kolada_json_answers_400(setup, controller):
    response = raw(controller, b'{"values": [{"kpi": 5}]}', content_type="application/json", view=KoladaImportView)
    assert response.status_code == 400 and response.data["errors"]
    assert ComparisonValue.objects.count() == 0


def test_a_raw_body_over_djangos_form_limit_but_within_the_import_limit_is_read(setup, unit_manager, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    data = csv_bytes([HEADER, *GOOD, *[["FAM-01", "BUT-4M", f"2026-{m:02d}", "1", "x" * 40] for m in range(3, 13)]])
    assert len(data) > 100
    response = raw(unit_manager, data)
    assert response.status_code == 200, response.data
    assert measurement_count() == 12


def test_the_endpoints_are_mounted_under_the_api(setup, unit_manager, controller):
    from django.urls import reverse
    from rest_framework.test import APIClient

    assert reverse("api:import-measurements") == "/api/v1/imports/measurements/"
    client = APIClient()
    client.force_authenticate(user=unit_manager)
    response = client.post(reverse("api:import-measurements") + "?dry_run=1", data=csv_bytes([HEADER, *GOOD]),
                           content_type="text/csv")
    assert response.status_code == 200 and response.json()["counts"]["new"] == 2
    client.force_authenticate(user=controller)
    response = client.post(reverse("api:import-kolada"), data=KOLADA, content_type="application/json")
    assert response.status_code == 200 and response.json()["written"] is True
