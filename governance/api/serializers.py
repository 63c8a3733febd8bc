from rest_framework import serializers

from governance.models import Membership, OrgUnit, Period, PoliticalGoal, ReportingYear


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind", "parent", "external_code", "is_active", "depth"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    user_name = serializers.CharField(source="user.__str__", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "user_name", "org_unit", "org_unit_name", "role", "valid_from", "valid_to"]
        read_only_fields = fields


class ReportingYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingYear
        fields = ["id", "year"]
        read_only_fields = fields


class PeriodSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="year.year", read_only=True)
    code = serializers.CharField(read_only=True, help_text="2026, 2026-T1 or 2026-01, as in import files.")
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Period
        fields = ["id", "year", "kind", "number", "code", "label", "start", "end", "parent"]
        read_only_fields = fields


class PoliticalGoalSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = PoliticalGoal
        fields = ["id", "board", "area", "area_name", "code", "title", "short_title", "description", "valid_from",
                  "valid_to", "vision_link", "order", "version"]
        read_only_fields = fields
