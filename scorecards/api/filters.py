"""Filters of the API lists that no HTML list shows (the activity list uses the one
``scorecards.filters.ActivityFilterSet``)."""

import django_filters

from governance.api.filters import IdFilter, YearFilter
from governance.models import OrgUnit, OrgUnitKind, PeriodKind
from governance.periods import parse_period_code
from scorecards.filters import ActivityFilterSet
from scorecards.models import Frequency, Indicator, Mandate, Measurement, Scorecard, ScorecardGoal, Target


class ScorecardFilterSet(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    year = YearFilter(field_name="year__year")

    class Meta:
        model = Scorecard
        fields = ["unit", "year"]


class ScorecardGoalFilterSet(django_filters.FilterSet):
    scorecard = IdFilter(field_name="scorecard_id")
    unit = IdFilter(field_name="scorecard__unit_id")
    year = YearFilter(field_name="scorecard__year__year")
    political_goal = IdFilter(field_name="political_goals", distinct=True)

    class Meta:
        model = ScorecardGoal
        fields = ["scorecard", "unit", "year", "political_goal"]


class IndicatorFilterSet(django_filters.FilterSet):
    owner = IdFilter(field_name="owner_id")
    mandate = django_filters.ChoiceFilter(choices=Mandate.choices)
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)
    external_code = django_filters.CharFilter()
    kolada_kpi = django_filters.CharFilter()
    scorecard = IdFilter(field_name="scorecard_links__scorecard_id", distinct=True,
                                            help_text="Indicators placed in this scorecard.")

    class Meta:
        model = Indicator
        fields = ["owner", "mandate", "frequency", "external_code", "kolada_kpi", "scorecard"]


class TargetFilterSet(django_filters.FilterSet):
    indicator = IdFilter(field_name="indicator_id")
    year = YearFilter(field_name="year__year")
    unit = IdFilter(field_name="unit_id")

    class Meta:
        model = Target
        fields = ["indicator", "year", "unit"]


class MeasurementFilterSet(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    indicator = IdFilter(field_name="indicator_id")
    period = IdFilter(field_name="period_id")
    period_code = django_filters.CharFilter(method="by_period_code", help_text="2026, 2026-T1 or 2026-03.")
    year = YearFilter(field_name="period__year__year")
    kind = django_filters.ChoiceFilter(field_name="period__kind", choices=PeriodKind.choices)
    source = django_filters.ChoiceFilter(choices=Measurement.Source.choices)

    class Meta:
        model = Measurement
        fields = ["unit", "indicator", "period", "period_code", "year", "kind", "source"]

    def by_period_code(self, queryset, name, value):
        try:
            year, kind, number = parse_period_code(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(period__year__year=year, period__kind=kind, period__number=number)


class ActivityApiFilterSet(ActivityFilterSet):
    """The one activity filter, plus the team (the HTML list is already one team's page)."""

    team = django_filters.ModelChoiceFilter(queryset=OrgUnit.objects.filter(kind=OrgUnitKind.TEAM))

    class Meta(ActivityFilterSet.Meta):
        fields = [*ActivityFilterSet.Meta.fields, "team"]
