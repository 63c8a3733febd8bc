"""Forms of "Mitt styrkort": unit goals, own indicators with their targets, and the grid of values.

Numbers are plain text fields: the services read them the Swedish way ("78,5", "1 234,5") and
report a bad one on its field, so what the user typed is kept as typed when a save fails.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from governance.extensions import text_limit
from governance.models import PoliticalGoal
from scorecards.models import (Frequency, Indicator, Measurement, MeasureUnit, Perspective, ScorecardGoal,
                               ScorecardIndicator, Target)
from scorecards.status import Direction


def format_number(value):
    """A stored number as the user would type it: no trailing zeros, the language's decimal mark
    ("78,5" in Swedish). Empty for no value."""
    if value is None:
        return ""
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


def number_field(label, help_text=""):
    return forms.CharField(label=label, help_text=help_text, required=False, max_length=40,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


def apply_service_errors(form, error, field_map=None):
    """Show a service's ValidationError on ``form``: keys that name a field of the form go to
    that field, the rest to the form's error summary."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            field = field_map.get(key, key)
            if field == NON_FIELD_ERRORS or field not in form.fields:
                for message in messages:
                    form.add_error(None, message)
            else:
                for message in messages:
                    form.add_error(field, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ScorecardGoalForm(forms.Form):
    """A unit goal (enhetsmål) and the political goals it serves."""

    perspective = forms.ModelChoiceField(label=_("Perspective"), queryset=Perspective.objects.all(), empty_label=None)
    title = forms.CharField(label=_("Unit goal"), max_length=text_limit(ScorecardGoal, "title"),
                            help_text=_("What the unit commits to, in a sentence."))
    description = forms.CharField(label=_("Description"), required=False,
                                  max_length=text_limit(ScorecardGoal, "description"),
                                  widget=forms.Textarea(attrs={"rows": 4}))
    political_goals = forms.ModelMultipleChoiceField(
        label=_("Political goals it serves"), queryset=PoliticalGoal.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, required=False, initial=0,
                               help_text=_("Goals are listed by perspective, then by this number."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, political_goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["political_goals"].queryset = political_goals

    def clean_political_goals(self):
        chosen = self.cleaned_data["political_goals"]
        # docs/architecture.md §3: a unit goal contributes to one or more political goals.
        if not chosen and self.fields["political_goals"].queryset.exists():
            raise forms.ValidationError(_("Choose at least one political goal that the unit goal serves."))
        return chosen

    def clean_order(self):
        return self.cleaned_data["order"] or 0


DEFINITION_FIELDS = ("name", "description", "direction", "measure_unit", "measure_unit_label", "decimals",
                     "frequency", "kolada_kpi", "external_code")
PLACEMENT_FIELDS = ("goal", "analysis")
TARGET_FIELDS = ("target_value", "target_max", "yellow_threshold", "tolerance_percent", "target_comment")


class IndicatorForm(forms.Form):
    """An indicator in the scorecard. For an own indicator everything; for a mandated one only the
    placement and the unit's analysis (the definition is the owner's). The target part is there
    only where the services let this user set targets."""

    name = forms.CharField(label=_("Name"), max_length=text_limit(Indicator, "name"))
    description = forms.CharField(label=_("Description"), required=False, max_length=text_limit(Indicator, "description"),
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("How it is measured and where the numbers come from."))
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, initial=Direction.INCREASE)
    measure_unit = forms.ChoiceField(label=_("Unit of measure"), choices=MeasureUnit.choices, initial=MeasureUnit.COUNT)
    measure_unit_label = forms.CharField(label=_("Unit label"), max_length=text_limit(Indicator, "measure_unit_label"),
                                         required=False,
                                         help_text=_("Shown instead of the standard symbol when set."))
    decimals = forms.IntegerField(label=_("Decimals"), min_value=0, max_value=6, initial=1)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, initial=Frequency.MONTHLY)
    kolada_kpi = forms.CharField(label=_("Kolada KPI id"), max_length=text_limit(Indicator, "kolada_kpi"), required=False)
    external_code = forms.CharField(label=_("External code"), max_length=text_limit(Indicator, "external_code"),
                                    required=False,
                                    help_text=_("The indicator's code in import files."))

    goal = forms.ModelChoiceField(label=_("Unit goal"), queryset=ScorecardGoal.objects.none(), required=False,
                                  empty_label=_("Not under a goal"))
    analysis = forms.CharField(label=_("Analysis"), required=False, max_length=text_limit(ScorecardIndicator, "analysis"),
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("The unit's reading of the numbers."))

    target_value = number_field(_("Target"), _("A number, e.g. 78,5."))
    target_max = number_field(_("Target, upper end"), _("Only for 'closer to target': the upper end of the range."))
    yellow_threshold = number_field(_("Yellow threshold"),
                                    _("Where 'partly met' begins. Leave empty to use the tolerance."))
    tolerance_percent = number_field(_("Tolerance (%)"),
                                     _("Width of the yellow band as a percentage of the target when no yellow threshold is set."))
    target_comment = forms.CharField(label=_("Comment on the target"), max_length=text_limit(Target, "comment"),
                                     required=False)

    indicator_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    link_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    target_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, goals, definition=True, target=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        if not definition:
            for name in (*DEFINITION_FIELDS, "indicator_version"):
                del self.fields[name]
        if not target:
            for name in (*TARGET_FIELDS, "target_version"):
                del self.fields[name]

    @property
    def has_definition(self):
        return "name" in self.fields

    @property
    def has_target(self):
        return "target_value" in self.fields

    def definition_fields(self):
        return [self[name] for name in DEFINITION_FIELDS if name in self.fields]

    def placement_fields(self):
        return [self[name] for name in PLACEMENT_FIELDS]

    def target_fields(self):
        return [self[name] for name in TARGET_FIELDS if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        if self.has_target and not (cleaned.get("target_value") or "").strip():
            thresholds = [name for name in ("target_max", "yellow_threshold", "tolerance_percent")
                          if (cleaned.get(name) or "").strip()]
            if thresholds:
                self.add_error("target_value", _("Give the target before its thresholds."))
        return cleaned


class PeriodChoiceForm(forms.Form):
    """Which period to enter values for (a GET form on the scorecard page)."""

    period = forms.TypedChoiceField(label=_("Period"), coerce=int)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.pk, p.label) for p in periods]


class MeasurementRowForm(forms.Form):
    """One row of the grid: the value of one indicator for the period, and a comment.

    ``show_hidden_initial`` sends back what the user saw, so that only rows the user changed are
    written, and a row someone else changed meanwhile is reported as stale, not overwritten.
    """

    value = forms.CharField(label=_("Value"), required=False, max_length=40, show_hidden_initial=True,
                            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=text_limit(Measurement, "comment"),
                              show_hidden_initial=True,
                              widget=forms.TextInput(attrs={"size": 30}))
    # 0 means "there was no value": the service then refuses to overwrite one saved meanwhile.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
