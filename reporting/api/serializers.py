"""Serializers of the reporting API: outputs describe a row, inputs only check a request's shape
(the services judge it)."""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance import selectors as governance_selectors
from governance.extensions import BoardTextSerializerMixin, text_limit
from governance.api.base import ScopedRelatedField, version_field
from governance.models import OrgUnit, OrgUnitKind, PoliticalGoal
from reporting import selectors
from reporting.models import BoardReport, FollowUp, GoalAssessment, ReportingRound, UnitReport
from reporting.rules import Assessment
from scorecards import selectors as scorecard_selectors
from scorecards.api.serializers import ReferenceField
from scorecards.models import ScorecardGoal


class RoundSerializer(serializers.ModelSerializer):
    board_name = serializers.CharField(source="board.name", read_only=True)
    period_code = serializers.CharField(source="period.code", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)

    class Meta:
        model = ReportingRound
        fields = ["id", "board", "board_name", "period", "period_code", "period_label", "name", "deadline", "state",
                  "opened_at", "closed_at", "version"]
        read_only_fields = fields


class VersionSerializer(serializers.Serializer):
    version = version_field()


class FollowUpSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True, default=None)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, allow_null=True, default=None)
    self_assessment = serializers.ChoiceField(choices=Assessment.choices, allow_blank=True, read_only=True,
                                              help_text="Empty until the writer has assessed the goal.")

    class Meta:
        model = FollowUp
        fields = ["id", "round", "org_unit", "org_unit_name", "scorecard_goal", "political_goal", "what_we_did",
                  "effect_for_citizens", "learning", "next_step", "self_assessment", "state", "review_comment",
                  "author", "submitted_at", "reviewed_by", "reviewed_at", "created_at", "updated_at", "version"]
        read_only_fields = fields


TEXT_FIELDS = ["what_we_did", "effect_for_citizens", "learning", "next_step"]


def _text(name, **kwargs):
    return serializers.CharField(required=False, allow_blank=True, max_length=text_limit(FollowUp, name), **kwargs)


class FollowUpCreateSerializer(serializers.Serializer):
    """A draft follow-up of a unit or team for one goal (a scorecard goal or a political goal)
    in an open round. If the unit already has one for that goal, give its ``version``."""

    round = ScopedRelatedField(lambda user: selectors.round_list(user=user), queryset=ReportingRound.objects.all())
    org_unit = ScopedRelatedField(lambda user: governance_selectors.org_unit_list(user=user),
                                  queryset=OrgUnit.objects.all())
    scorecard_goal = ScopedRelatedField(lambda user: scorecard_selectors.scorecard_goal_list(user=user),
                                        queryset=ScorecardGoal.objects.all(), required=False, allow_null=True,
                                        default=None)
    political_goal = ScopedRelatedField(lambda user: governance_selectors.political_goal_list(user=user),
                                        queryset=PoliticalGoal.objects.all(), required=False, allow_null=True,
                                        default=None)
    what_we_did = _text("what_we_did", default="")
    effect_for_citizens = _text("effect_for_citizens", default="")
    learning = _text("learning", default="")
    next_step = _text("next_step", default="")
    self_assessment = serializers.ChoiceField(choices=Assessment.choices, required=False, allow_blank=True, default="")
    version = version_field(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if (attrs.get("scorecard_goal") is None) == (attrs.get("political_goal") is None):
            raise serializers.ValidationError("Give either a scorecard goal or a political goal.")
        return attrs


class FollowUpUpdateSerializer(serializers.Serializer):
    version = version_field()
    what_we_did = _text("what_we_did")
    effect_for_citizens = _text("effect_for_citizens")
    learning = _text("learning")
    next_step = _text("next_step")
    self_assessment = serializers.ChoiceField(choices=Assessment.choices, required=False, allow_blank=True)


class ReviewSerializer(serializers.Serializer):
    version = version_field()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=text_limit(FollowUp, "review_comment"),
                                    default="")


class BoardReportSerializer(serializers.ModelSerializer):
    board_name = serializers.CharField(source="board.name", read_only=True)
    round_name = serializers.CharField(source="round.name", read_only=True)

    class Meta:
        model = BoardReport
        fields = ["id", "board", "board_name", "round", "round_name", "version_number", "previous", "state", "summary",
                  "adopted_on", "minute_paragraph", "created_at", "updated_at", "version"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.OBJECT)
class ContentField(serializers.JSONField):
    pass


class BoardReportContentSerializer(serializers.Serializer):
    """The board report as data: per political goal the controller's assessment, the evidence
    (counts per status, self-assessments, divergence), the indicators with targets, values and
    status, the approved follow-up texts and the activities; and the trust balance."""

    report = BoardReportSerializer(allow_null=True, read_only=True)
    frozen = serializers.BooleanField(read_only=True, help_text=(
        "True: the adopted report's snapshot, as the board adopted it. False: live data within your scope."))
    content = ContentField(read_only=True, help_text="The report in the shape of reporting.snapshot (schema 1).")


class BoardReportContentQuerySerializer(serializers.Serializer):
    goal = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class AdoptSerializer(serializers.Serializer):
    version = version_field()
    adopted_on = serializers.DateField()
    minute_paragraph = serializers.CharField(max_length=text_limit(BoardReport, "minute_paragraph"))


# --- round create, the unit's report, compiling the board report -----------------------------

def _readable_boards(user):
    return governance_selectors.org_unit_list(user=user, kind=OrgUnitKind.BOARD)


class RoundCreateSerializer(BoardTextSerializerMixin, serializers.Serializer):
    """A new round (planned until it is opened) of a board, for a tertial or a whole year."""

    board_text_model = ReportingRound

    board = ScopedRelatedField(_readable_boards, queryset=OrgUnit.objects.all())
    period = ReferenceField(help_text="The tertial or year the round reports on: an id or a code (2026-T1, 2026).")
    name = serializers.CharField(required=False, allow_blank=True, max_length=text_limit(ReportingRound, "name"),
                                 default="",
                                 help_text="E.g. Delårsrapport T2 2026. Empty: the name of the period.")
    deadline = serializers.DateField(help_text="The last day for units and teams to report.")


class UnitReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True, allow_null=True, default=None)
    reporting_hours = serializers.DecimalField(max_digits=7, decimal_places=1, coerce_to_string=False,
                                               read_only=True, allow_null=True)

    class Meta:
        model = UnitReport
        fields = ["id", "round", "unit", "unit_name", "state", "summary", "reporting_hours", "submitted_by",
                  "submitted_at", "version"]
        read_only_fields = fields


class UnitReportSubmitSerializer(serializers.Serializer):
    """Submit a unit's part of an open round (unit managers). Submitting again replaces the
    summary and hours: give the ``version`` of the unit report you read (null when the unit has
    not submitted before)."""

    unit = ScopedRelatedField(lambda user: selectors.unit_report_units(user=user), queryset=OrgUnit.objects.all(),
                              help_text="A unit or department (a team's work is part of its unit's report).")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=text_limit(UnitReport, "summary"),
                                    default="")
    reporting_hours = serializers.DecimalField(max_digits=7, decimal_places=1, min_value=Decimal(0), required=False,
                                               allow_null=True, default=None, coerce_to_string=False,
                                               help_text="Optional: hours spent on reporting (the trust balance).")
    version = version_field(required=False, allow_null=True, default=None)


class BoardReportStartSerializer(serializers.Serializer):
    round = ScopedRelatedField(lambda user: selectors.round_list(user=user), queryset=ReportingRound.objects.all())


class BoardReportSummarySerializer(serializers.Serializer):
    version = version_field()
    summary = serializers.CharField(allow_blank=True, max_length=text_limit(BoardReport, "summary"))


class GoalAssessmentSerializer(serializers.ModelSerializer):
    political_goal_code = serializers.CharField(source="political_goal.code", read_only=True)
    political_goal_title = serializers.CharField(source="political_goal.title", read_only=True)
    assessment = serializers.ChoiceField(choices=Assessment.choices, allow_blank=True, read_only=True)

    class Meta:
        model = GoalAssessment
        fields = ["id", "report", "political_goal", "political_goal_code", "political_goal_title", "assessment",
                  "text", "version"]
        read_only_fields = fields


class GoalAssessmentWriteSerializer(serializers.Serializer):
    """The controller's own assessment of one of the board's political goals. Give the
    ``version`` of the assessment you read, null when the goal has none yet (a 409 if one was
    saved meanwhile)."""

    political_goal = ScopedRelatedField(lambda user: governance_selectors.political_goal_list(user=user),
                                        queryset=PoliticalGoal.objects.all())
    assessment = serializers.ChoiceField(choices=Assessment.choices)
    text = serializers.CharField(required=False, allow_blank=True, max_length=text_limit(GoalAssessment, "text"),
                                 default="")
    version = version_field(required=False, allow_null=True, default=None)
