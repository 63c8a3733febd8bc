"""Forms of the controller's round pages and of the goal report's choice of round.

The forms only collect input; the services (``reporting.services``) decide what is allowed and
valid, and the views put the services' errors back on these forms.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.extensions import text_limit
from governance.models import PeriodKind
from reporting.models import ReportingRound


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # "T3 2026" or "2026": the Swedish period names used in the board reports.
        return obj.label


class BoardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RoundCreateForm(forms.Form):
    board = BoardChoiceField(label=_("Board"), queryset=None, empty_label=None)
    period = PeriodChoiceField(label=_("Period"), queryset=None,
                               help_text=_("The tertial or the whole year the round reports on."))
    name = forms.CharField(label=_("Name"), max_length=text_limit(ReportingRound, "name"), required=False,
                           help_text=_("E.g. Delårsrapport T2 2026. Leave empty to use the name of the period."))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text=_("The last day for units and teams to report."))

    def __init__(self, *args, boards, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards
        self.fields["period"].queryset = periods.filter(kind__in=[PeriodKind.TERTIAL, PeriodKind.YEAR])
        # Describe each field by its help text for screen readers (the template shows the text).
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_help"

    def round_name(self):
        return self.cleaned_data.get("name") or self.cleaned_data["period"].label


class RoundChoiceForm(forms.Form):
    """Which round's goal report to show; the rounds are grouped by board when there are several."""

    round = forms.TypedChoiceField(label=_("Board and round"), coerce=int)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        boards = {}
        for reporting_round in rounds:
            boards.setdefault(reporting_round.board, []).append(
                (reporting_round.pk, f"{reporting_round.name} ({reporting_round.period.label})"))
        if len(boards) == 1:
            (board, choices), = boards.items()
            self.fields["round"].label = _("Round")
            self.fields["round"].choices = choices
        else:
            self.fields["round"].choices = [(board.name, choices) for board, choices in boards.items()]


class GoalUnitFilterForm(forms.Form):
    """Which contributing units the goal drill-down lists: a part of the name, only those with a
    divergence, or one unit (the divergence lines link to it). A large city has hundreds of units
    serving a goal; the page shows them a page at a time."""

    q = forms.CharField(label=_("Unit name contains"), max_length=100, required=False)
    divergent = forms.BooleanField(label=_("Only units with a divergence"), required=False)
    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1, max_value=2**31 - 1)

    def choice(self):
        """(name search, divergent only, unit id). An invalid field counts as not given (the form
        shows its error): Django leaves it out of cleaned_data."""
        self.is_valid()
        data = self.cleaned_data
        return (data.get("q") or "").strip(), bool(data.get("divergent")), data.get("unit")
