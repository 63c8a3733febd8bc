"""Filters of the reporting API lists (no HTML list filters these)."""

import django_filters

from governance.api.filters import IdFilter, YearFilter
from reporting.models import BoardReport, FollowUp, ReportingRound


class RoundFilterSet(django_filters.FilterSet):
    board = IdFilter(field_name="board_id")
    state = django_filters.ChoiceFilter(choices=ReportingRound.State.choices)
    year = YearFilter(field_name="period__year__year")

    class Meta:
        model = ReportingRound
        fields = ["board", "state", "year"]


class FollowUpFilterSet(django_filters.FilterSet):
    round = IdFilter(field_name="round_id")
    org_unit = IdFilter(field_name="org_unit_id")
    scorecard_goal = IdFilter(field_name="scorecard_goal_id")
    political_goal = IdFilter(field_name="political_goal_id")
    state = django_filters.ChoiceFilter(choices=FollowUp.State.choices)

    class Meta:
        model = FollowUp
        fields = ["round", "org_unit", "scorecard_goal", "political_goal", "state"]


class BoardReportFilterSet(django_filters.FilterSet):
    board = IdFilter(field_name="board_id")
    round = IdFilter(field_name="round_id")
    state = django_filters.ChoiceFilter(choices=BoardReport.State.choices)

    class Meta:
        model = BoardReport
        fields = ["board", "round", "state"]
