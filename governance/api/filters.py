"""Filters of the organisation and calendar lists. No HTML list shows these, so they live with the API."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from governance.models import Membership, OrgUnit, OrgUnitKind, Period, PeriodKind, PoliticalGoal, Role
from governance.periods import parse_period_code


MAX_ID = 2**63 - 1


class IdFilter(django_filters.Filter):
    """An id: a whole number in the range of the database's keys (a larger one is a 400, never a
    number the database cannot take)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class YearFilter(IdFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class OrgUnitFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrgUnitKind.choices)
    parent = IdFilter(field_name="parent_id")
    external_code = django_filters.CharFilter()

    class Meta:
        model = OrgUnit
        fields = ["kind", "parent", "external_code"]


class MembershipFilterSet(django_filters.FilterSet):
    org_unit = IdFilter(field_name="org_unit_id")
    user = IdFilter(field_name="user_id")
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["org_unit", "user", "role"]


class PeriodFilterSet(django_filters.FilterSet):
    year = YearFilter(field_name="year__year")
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices)
    code = django_filters.CharFilter(method="by_code", help_text="2026, 2026-T1 or 2026-01.")

    class Meta:
        model = Period
        fields = ["year", "kind", "code"]

    def by_code(self, queryset, name, value):
        try:
            year, kind, number = parse_period_code(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(year__year=year, kind=kind, number=number)


class PoliticalGoalFilterSet(django_filters.FilterSet):
    board = IdFilter(field_name="board_id")
    year = YearFilter(method="valid_in", help_text="Goals valid in this year.")

    class Meta:
        model = PoliticalGoal
        fields = ["board", "year"]

    @extend_schema_field(OpenApiTypes.INT)
    def valid_in(self, queryset, name, value):
        return queryset.filter(valid_from__lte=value, valid_to__gte=value)
