"""Serializers of the scorecards API. Output serializers describe what a row shows; input
serializers only read and check the shape of a request: every rule is the service's, which the
view calls with ``validated_data``. Ids in a request are chosen among what the user may read."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance import selectors as governance_selectors
from governance.extensions import BoardTextSerializerMixin, text_limit
from governance.api.base import NumberInputField, PartialUpdateMixin, ScopedRelatedField, version_field
from governance.models import OrgUnit, OrgUnitKind, Period, PoliticalGoal, ReportingYear
from scorecards import selectors
from scorecards.models import (
    Activity, ActivityStatus, ActivityUpdate, Indicator, Measurement, Perspective, Scorecard, ScorecardGoal, ScorecardIndicator, Target,
)


def readable_units(user):
    return governance_selectors.org_unit_list(user=user)


def readable_teams(user):
    return governance_selectors.org_unit_list(user=user, kind=OrgUnitKind.TEAM)


def unit_field(**kwargs):
    return ScopedRelatedField(readable_units, queryset=OrgUnit.objects.all(), **kwargs)


# --- scorecards and their goals --------------------------------------------------------------

class ScorecardIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScorecardIndicator
        fields = ["id", "indicator", "goal", "analysis", "order", "version"]
        read_only_fields = fields


class ScorecardSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    year = serializers.IntegerField(source="year.year", read_only=True)
    indicators = ScorecardIndicatorSerializer(source="indicator_links", many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = ["id", "unit", "unit_name", "year", "mission", "state", "version", "indicators"]
        read_only_fields = fields


class ScorecardGoalSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="scorecard.unit_id", read_only=True)
    year = serializers.IntegerField(source="scorecard.year.year", read_only=True)
    perspective_name = serializers.CharField(source="perspective.name", read_only=True)

    class Meta:
        model = ScorecardGoal
        fields = ["id", "scorecard", "unit", "year", "perspective", "perspective_name", "title", "description",
                  "political_goals", "order", "version"]
        read_only_fields = fields


class ScorecardGoalWriteSerializer(serializers.ModelSerializer):
    scorecard = ScopedRelatedField(lambda user: selectors.scorecard_list(user=user), queryset=Scorecard.objects.all())
    perspective = serializers.PrimaryKeyRelatedField(queryset=Perspective.objects.all())
    political_goals = ScopedRelatedField(lambda user: governance_selectors.political_goal_list(user=user),
                                         queryset=PoliticalGoal.objects.all(), many=True, required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)

    class Meta:
        model = ScorecardGoal
        fields = ["scorecard", "perspective", "title", "description", "political_goals", "order"]


class ScorecardGoalUpdateSerializer(PartialUpdateMixin, ScorecardGoalWriteSerializer):
    version = version_field()

    class Meta(ScorecardGoalWriteSerializer.Meta):
        fields = ["version", "perspective", "title", "description", "political_goals", "order"]


# --- indicators and targets ------------------------------------------------------------------

INDICATOR_FIELDS = ["name", "description", "direction", "measure_unit", "measure_unit_label", "decimals", "frequency",
                    "kolada_kpi", "external_code", "is_active"]


class IndicatorSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "owner", "owner_name", "mandate", "mandate_source", *INDICATOR_FIELDS, "version"]
        read_only_fields = fields


class OwnIndicatorCreateSerializer(serializers.ModelSerializer):
    """An own indicator of the scorecard's unit, placed in the scorecard (under ``goal``)."""

    scorecard = ScopedRelatedField(lambda user: selectors.scorecard_list(user=user), queryset=Scorecard.objects.all())
    goal = ScopedRelatedField(lambda user: selectors.scorecard_goal_list(user=user), queryset=ScorecardGoal.objects.all(),
                              required=False, allow_null=True)
    analysis = serializers.CharField(required=False, allow_blank=True,
                                     max_length=text_limit(ScorecardIndicator, "analysis"))
    decimals = serializers.IntegerField(min_value=0, max_value=6, required=False)

    class Meta:
        model = Indicator
        fields = ["scorecard", "goal", "analysis", *INDICATOR_FIELDS]
        validators = []  # uniqueness is the service's (full_clean) to judge


class IndicatorUpdateSerializer(PartialUpdateMixin, serializers.ModelSerializer):
    version = version_field()
    decimals = serializers.IntegerField(min_value=0, max_value=6, required=False)

    class Meta:
        model = Indicator
        fields = ["version", "mandate_source", *INDICATOR_FIELDS]
        validators = []


class TargetSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="year.year", read_only=True)

    class Meta:
        model = Target
        fields = ["id", "indicator", "year", "unit", "target_value", "target_max", "yellow_threshold",
                  "tolerance_percent", "comment", "version"]
        read_only_fields = fields


class TargetWriteSerializer(BoardTextSerializerMixin, serializers.Serializer):
    """Set the target of an indicator for a year (and, optionally, one unit's override); a
    second call for the same indicator, year and unit changes it (give ``version`` then)."""

    board_text_model = Target

    indicator = ScopedRelatedField(lambda user: selectors.indicator_list(user=user), queryset=Indicator.objects.all())
    year = serializers.SlugRelatedField(slug_field="year", queryset=ReportingYear.objects.all())
    unit = unit_field(required=False, allow_null=True, default=None)
    target_value = NumberInputField(required=True)
    target_max = NumberInputField()
    yellow_threshold = NumberInputField()
    tolerance_percent = NumberInputField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=text_limit(Target, "comment"), default="")
    version = version_field(required=False, allow_null=True, default=None)


class TargetUpdateSerializer(BoardTextSerializerMixin, serializers.Serializer):
    board_text_model = Target
    version = version_field()
    target_value = NumberInputField()
    target_max = NumberInputField()
    yellow_threshold = NumberInputField()
    tolerance_percent = NumberInputField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=text_limit(Target, "comment"))


# --- measurements ----------------------------------------------------------------------------

class MeasurementSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    indicator_code = serializers.CharField(source="indicator.external_code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    period_code = serializers.CharField(source="period.code", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "indicator_name", "indicator_code", "unit", "unit_name", "period", "period_code",
                  "value", "comment", "source", "author", "created_at", "updated_at", "version"]
        read_only_fields = fields


class MeasurementWriteSerializer(serializers.Serializer):
    """Record one value; recording the same indicator, unit and period again corrects it
    (give ``version`` to be told when someone else changed it first)."""

    indicator = ScopedRelatedField(lambda user: selectors.indicator_list(user=user), queryset=Indicator.objects.all())
    unit = unit_field()
    period = serializers.PrimaryKeyRelatedField(queryset=Period.objects.all())
    value = NumberInputField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=text_limit(Measurement, "comment"),
                                    default="")
    version = version_field(required=False, allow_null=True, default=None)


class MeasurementUpdateSerializer(serializers.Serializer):
    version = version_field()
    value = NumberInputField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=text_limit(Measurement, "comment"))


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}],
                      "description": "An id, or a code (a period: 2026-03, 2026-T1, 2026; an indicator: its external code)."})
class ReferenceField(serializers.Field):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            raise serializers.ValidationError("Give an id or a code.")
        if isinstance(data, str) and not 0 < len(data.strip()) <= 50:
            raise serializers.ValidationError("Give an id or a code.")
        return data

    def to_representation(self, value):
        return value


class BulkMeasurementRowSerializer(serializers.Serializer):
    indicator = ReferenceField()
    value = NumberInputField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=text_limit(Measurement, "comment"),
                                    default="")
    version = version_field(required=False, allow_null=True, default=None)


class BulkMeasurementSerializer(serializers.Serializer):
    period = ReferenceField()
    values = BulkMeasurementRowSerializer(many=True, allow_empty=False, max_length=5000)


# --- activities ------------------------------------------------------------------------------

class ActivityUpdateSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True, default=None)
    status_after = serializers.ChoiceField(choices=ActivityStatus.choices, allow_blank=True, read_only=True,
                                           help_text="The status the note set; empty when it set none.")

    class Meta:
        model = ActivityUpdate
        fields = ["id", "date", "text", "status_after", "author", "created_at"]
        read_only_fields = fields


class ActivityUpdateWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityUpdate
        fields = ["date", "text", "status_after"]


class ActivitySerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    unit = serializers.IntegerField(source="team.parent_id", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True, default=None)
    latest_update = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "team", "team_name", "unit", "title", "description", "expected_citizen_value", "goals", "status",
                  "start_date", "end_date", "created_by", "created_at", "updated_at", "version", "latest_update"]
        read_only_fields = fields

    @extend_schema_field(ActivityUpdateSerializer(allow_null=True))
    def get_latest_update(self, activity):
        updates = list(activity.updates.all())  # prefetched, newest first
        return ActivityUpdateSerializer(updates[0]).data if updates else None


class ActivityWriteSerializer(serializers.ModelSerializer):
    team = ScopedRelatedField(readable_teams, queryset=OrgUnit.objects.all())
    goals = ScopedRelatedField(lambda user: selectors.scorecard_goal_list(user=user), queryset=ScorecardGoal.objects.all(),
                               many=True)

    class Meta:
        model = Activity
        fields = ["team", "goals", "title", "description", "expected_citizen_value", "status", "start_date", "end_date"]
        validators = []


class ActivityChangeSerializer(PartialUpdateMixin, ActivityWriteSerializer):
    version = version_field()
    goals = ScopedRelatedField(lambda user: selectors.scorecard_goal_list(user=user), queryset=ScorecardGoal.objects.all(),
                               many=True, required=False)

    class Meta(ActivityWriteSerializer.Meta):
        fields = ["version", "goals", "title", "description", "expected_citizen_value", "status", "start_date", "end_date"]
