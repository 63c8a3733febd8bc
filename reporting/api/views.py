"""The reporting API: rounds (create, open and close; the units' reports), follow-ups (write,
submit, approve, return) and board reports (read as JSON; compile: start, summary, assessments;
mark ready, adopt and correct). Reads come from ``reporting.selectors``,
writes from ``reporting.services``; the one exception handler maps their errors."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from governance.api.base import ServiceViewSetMixin
from reporting import selectors, services
from reporting.api import filters
from reporting.api import serializers as s
from reporting.models import BoardReport, GoalAssessment, UnitReport
from scorecards.api.views import period_for_reference

WRITE_METHODS = ["get", "post", "patch", "head", "options"]


GOAL_PARAMETER = OpenApiParameter(
    "goal", OpenApiTypes.INT, required=False,
    description="Only this political goal (its id) in content.goals; the rest of the report as without it. "
                "At a large city the whole report is tens of MB: read it a goal at a time.")


def content_response(*, request, reporting_round, report):
    query = s.BoardReportContentQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    political_goal = None
    if "goal" in query.validated_data:
        political_goal = selectors.round_political_goal(reporting_round=reporting_round,
                                                        pk=query.validated_data["goal"])
        if political_goal is None:
            raise NotFound(_("No such political goal."))
    content, frozen = selectors.board_report_content(user=request.user, reporting_round=reporting_round,
                                                     report=report, political_goal=political_goal)
    if political_goal is not None and not content["goals"]:  # not in force in the round's year
        raise NotFound(_("No such political goal."))
    return Response(s.BoardReportContentSerializer({"report": report, "frozen": frozen, "content": content}).data)


@extend_schema_view(
    create=extend_schema(request=s.RoundCreateSerializer, responses={201: s.RoundSerializer},
                         description="Create a planned round of a board for a tertial or a whole year (controllers). "
                                     "``period`` is an id or a code (2026-T1, 2026); one round per board and period."),
    open=extend_schema(request=s.VersionSerializer, responses={200: s.RoundSerializer},
                       description="Open the round for reporting (controllers)."),
    close=extend_schema(request=s.VersionSerializer, responses={200: s.RoundSerializer},
                        description="Close an open round (controllers)."),
    board_report=extend_schema(responses={200: s.BoardReportContentSerializer}, filters=False,
                               parameters=[GOAL_PARAMETER],
                               description="The round's board report as data: the adopted report's frozen snapshot "
                                           "when it is adopted and you read the report as a whole (the board, "
                                           "its controllers); otherwise the live evidence within your scope."),
)
class RoundViewSet(ServiceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Reporting rounds of the boards the user may read."""

    serializer_class = output_serializer_class = s.RoundSerializer
    filterset_class = filters.RoundFilterSet

    def get_queryset(self):
        return selectors.round_list(user=self.request.user)

    def create(self, request):
        data = self.read_input(s.RoundCreateSerializer)
        period = period_for_reference(data["period"])
        saved = services.round_create(user=request.user, board=data["board"], period=period,
                                      name=data["name"].strip() or period.label, deadline=data["deadline"])
        return self.answer(saved, status=201)

    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        reporting_round = self.get_object()
        data = self.read_input(s.VersionSerializer)
        saved = services.round_open(user=request.user, reporting_round=reporting_round, expected_version=data["version"])
        return self.answer(saved)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        reporting_round = self.get_object()
        data = self.read_input(s.VersionSerializer)
        saved = services.round_close(user=request.user, reporting_round=reporting_round, expected_version=data["version"])
        return self.answer(saved)

    @action(detail=True, methods=["get"], url_path="board-report", filter_backends=[], pagination_class=None)
    def board_report(self, request, pk=None):
        from reporting.evidence import latest_board_report

        reporting_round = self.get_object()
        return content_response(request=request, reporting_round=reporting_round,
                                report=latest_board_report(reporting_round))

    @extend_schema(methods=["GET"], responses={200: s.UnitReportSerializer(many=True)}, filters=False,
                   description="The units' reports of the round, for the units you may read.")
    @extend_schema(methods=["POST"], request=s.UnitReportSubmitSerializer,
                   responses={200: s.UnitReportSerializer, 201: s.UnitReportSerializer},
                   description="Submit a unit's part of an open round (its unit manager): 201 the first time, 200 "
                               "when submitted again (give the unit report's version). Follow-ups waiting for "
                               "review must be approved or returned first.")
    @action(detail=True, methods=["get", "post"], url_path="unit-reports", url_name="unit-reports",
            filter_backends=[], pagination_class=None)
    def unit_reports(self, request, pk=None):
        reporting_round = self.get_object()
        if request.method == "GET":
            reports = selectors.unit_report_list(user=request.user, reporting_round=reporting_round)
            return Response(s.UnitReportSerializer(reports, many=True).data)
        data = self.read_input(s.UnitReportSubmitSerializer)
        existed = UnitReport.objects.filter(round=reporting_round, unit=data["unit"]).exists()
        saved = services.unit_report_submit(
            user=request.user, reporting_round=reporting_round, unit=data["unit"], summary=data["summary"],
            reporting_hours=data["reporting_hours"],
            # Without a version the writer has seen no report: one submitted since would be overwritten.
            expected_version=0 if data["version"] is None else data["version"])
        fresh = selectors.unit_report_list(user=request.user, reporting_round=reporting_round).get(pk=saved.pk)
        return Response(s.UnitReportSerializer(fresh).data, status=200 if existed else 201)


@extend_schema_view(
    create=extend_schema(request=s.FollowUpCreateSerializer, responses={200: s.FollowUpSerializer, 201: s.FollowUpSerializer},
                         description="Write the draft follow-up of a unit or team for one goal in an open round: 201 "
                                     "when new, 200 when the existing one (give its version) was changed."),
    partial_update=extend_schema(request=s.FollowUpUpdateSerializer, responses={200: s.FollowUpSerializer}),
    submit=extend_schema(request=s.VersionSerializer, responses={200: s.FollowUpSerializer},
                         description="Submit the follow-up to the unit manager."),
    approve=extend_schema(request=s.ReviewSerializer, responses={200: s.FollowUpSerializer},
                          description="Approve a submitted follow-up (unit managers)."),
    return_=extend_schema(request=s.ReviewSerializer, responses={200: s.FollowUpSerializer},
                          description="Return a submitted follow-up with a comment saying what to change."),
)
class FollowUpViewSet(ServiceViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Follow-ups (uppföljningar). Drafts are shown to their writers and reviewers only."""

    serializer_class = output_serializer_class = s.FollowUpSerializer
    filterset_class = filters.FollowUpFilterSet
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return selectors.follow_up_list(user=self.request.user)

    def create(self, request):
        from reporting.models import FollowUp

        data = self.read_input(s.FollowUpCreateSerializer)
        version = data.pop("version")
        existed = FollowUp.objects.filter(round=data["round"], org_unit=data["org_unit"],
                                          scorecard_goal=data["scorecard_goal"],
                                          political_goal=data["political_goal"]).exists()
        follow_up = services.follow_up_save(
            user=request.user, reporting_round=data.pop("round"),
            # Without a version the writer has seen no follow-up: one written since would be overwritten.
            expected_version=0 if version is None else version, **data)
        return self.answer(follow_up, status=200 if existed else 201)

    def partial_update(self, request, pk=None):
        follow_up = self.get_object()
        data = self.read_input(s.FollowUpUpdateSerializer)
        version = data.pop("version")
        saved = services.follow_up_save(user=request.user, reporting_round=follow_up.round, org_unit=follow_up.org_unit,
                                        scorecard_goal=follow_up.scorecard_goal, political_goal=follow_up.political_goal,
                                        expected_version=version, **data)
        return self.answer(saved)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        follow_up = self.get_object()
        data = self.read_input(s.VersionSerializer)
        return self.answer(services.follow_up_submit(user=request.user, follow_up=follow_up,
                                                     expected_version=data["version"]))

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        follow_up = self.get_object()
        data = self.read_input(s.ReviewSerializer)
        return self.answer(services.follow_up_approve(user=request.user, follow_up=follow_up, comment=data["comment"],
                                                      expected_version=data["version"]))

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        follow_up = self.get_object()
        data = self.read_input(s.ReviewSerializer)
        return self.answer(services.follow_up_return(user=request.user, follow_up=follow_up, comment=data["comment"],
                                                     expected_version=data["version"]))


@extend_schema_view(
    create=extend_schema(request=s.BoardReportStartSerializer,
                         responses={200: s.BoardReportSerializer, 201: s.BoardReportSerializer},
                         description="Start compiling the round's board report (controllers): 201 with a new draft, "
                                     "or 200 with the round's current report (its latest version) when there is one."),
    retrieve=extend_schema(responses={200: s.BoardReportContentSerializer}, parameters=[GOAL_PARAMETER],
                           description="The report as data: an adopted report is its frozen snapshot (for those who "
                                       "read it as a whole), never live data; a draft is the live evidence."),
    mark_ready=extend_schema(request=s.VersionSerializer, responses={200: s.BoardReportSerializer},
                             description="Declare the report ready for the board (controllers)."),
    adopt=extend_schema(request=s.AdoptSerializer, responses={200: s.BoardReportSerializer},
                        description="Record the board's decision (date and minute paragraph): freezes the report."),
    summary=extend_schema(request=s.BoardReportSummarySerializer, responses={200: s.BoardReportSerializer},
                          description="Write the report's summary (controllers). A report marked ready becomes a "
                                      "draft again; an adopted one is refused (start a correction)."),
    correct=extend_schema(request=None, responses={201: s.BoardReportSerializer},
                          description="Start a correction of an adopted report (controllers): a new draft version "
                                      "pointing at it, with its summary and assessments copied."),
)
class BoardReportViewSet(ServiceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Board reports (nämndrapporter) of the boards the user may read, every version."""

    serializer_class = output_serializer_class = s.BoardReportSerializer
    filterset_class = filters.BoardReportFilterSet

    def get_queryset(self):
        return selectors.board_report_list(user=self.request.user)

    def create(self, request):
        reporting_round = self.read_input(s.BoardReportStartSerializer)["round"]
        existed = BoardReport.objects.filter(round=reporting_round).exists()
        report = services.board_report_start(user=request.user, reporting_round=reporting_round)
        return self.answer(report, status=200 if existed else 201)

    def retrieve(self, request, pk=None):
        report = self.get_object()
        return content_response(request=request, reporting_round=report.round, report=report)

    @action(detail=True, methods=["post"], url_path="mark-ready")
    def mark_ready(self, request, pk=None):
        report = self.get_object()
        data = self.read_input(s.VersionSerializer)
        return self.answer(services.board_report_mark_ready(user=request.user, report=report,
                                                            expected_version=data["version"]))

    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        report = self.get_object()
        data = self.read_input(s.AdoptSerializer)
        return self.answer(services.board_report_adopt(user=request.user, report=report, adopted_on=data["adopted_on"],
                                                       minute_paragraph=data["minute_paragraph"],
                                                       expected_version=data["version"]))

    @action(detail=True, methods=["post"])
    def summary(self, request, pk=None):
        report = self.get_object()
        data = self.read_input(s.BoardReportSummarySerializer)
        return self.answer(services.board_report_update(user=request.user, report=report, summary=data["summary"],
                                                        expected_version=data["version"]))

    @extend_schema(methods=["GET"], responses={200: s.GoalAssessmentSerializer(many=True)}, filters=False,
                   description="The controller's assessments of the board's political goals in this report.")
    @extend_schema(methods=["POST"], request=s.GoalAssessmentWriteSerializer,
                   responses={200: s.GoalAssessmentSerializer, 201: s.GoalAssessmentSerializer},
                   description="Set the controller's assessment of one political goal (controllers): 201 when the "
                               "goal had none, 200 when it was changed (give its version). A report marked ready "
                               "becomes a draft again; an adopted one is refused.")
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def assessments(self, request, pk=None):
        report = self.get_object()
        if request.method == "GET":
            return Response(s.GoalAssessmentSerializer(
                selectors.goal_assessment_list(user=request.user, report=report), many=True).data)
        data = self.read_input(s.GoalAssessmentWriteSerializer)
        existed = GoalAssessment.objects.filter(report=report, political_goal=data["political_goal"]).exists()
        saved = services.goal_assessment_set(
            user=request.user, report=report, political_goal=data["political_goal"], assessment=data["assessment"],
            text=data["text"],
            # No version: the writer saw no assessment; one saved meanwhile makes the write stale.
            expected_version=0 if data["version"] is None else data["version"])
        fresh = selectors.goal_assessment_list(user=request.user, report=report).get(pk=saved.pk)
        return Response(s.GoalAssessmentSerializer(fresh).data, status=200 if existed else 201)

    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        report = self.get_object()
        return self.answer(services.board_report_correct(user=request.user, report=report), status=201)
