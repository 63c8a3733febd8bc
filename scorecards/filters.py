"""FilterSets shared by the HTML lists, the CSV exports and the API (one definition each)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scorecards.models import Activity, ActivityStatus, ScorecardGoal


class ActivityFilterSet(django_filters.FilterSet):
    """Activities by free text, status and the unit goal they serve.

    ``goals`` narrows the goal choices (the team page offers its unit's goals only); without it
    any goal id is accepted, so the API keeps filtering by a plain number. The queryset given is
    already scoped to the user: this class filters, it never widens.
    """

    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Words in the title, the description or the expected value."))
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ActivityStatus.choices,
                                                 widget=forms.CheckboxSelectMultiple)
    goal = django_filters.ModelChoiceFilter(label=_("Unit goal"), field_name="goals", distinct=True,
                                            queryset=ScorecardGoal.objects.all(), empty_label=_("All goals"))

    class Meta:
        model = Activity
        fields = ["q", "status", "goal"]

    def __init__(self, data=None, queryset=None, *, goals=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        if goals is not None:
            self.filters["goal"].queryset = goals

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(expected_citizen_value__icontains=value))
