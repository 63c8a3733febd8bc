"""Forms of the team's activities: define or edit one, and log its progress.

The forms only read the input; the services decide what is allowed and valid. Errors the
services raise are put back on the form with ``add_service_errors`` so the user sees them
beside the field they concern.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance import privacy
from governance.extensions import text_limit
from scorecards.models import Activity, ActivityStatus, ActivityUpdate

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form, error):
    """Show a ValidationError from a service on ``form``: keys that name a field go under it,
    everything else into the form's error summary."""
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            field = key if key in form.fields else None
            if key == NON_FIELD_ERRORS:
                field = None
            form.add_error(field, errors)
    else:
        form.add_error(None, error.messages)


def check_personal_data(form, *field_names):
    """Tell the writer, before anything is saved, when a text holds personal data (docs/architecture.md §9):
    the one guard of ``governance.privacy`` decides, the form only shows its messages."""
    texts = {name: form.cleaned_data.get(name) for name in field_names if form.cleaned_data.get(name)}
    try:
        privacy.require_no_personal_data(**texts)
    except ValidationError as error:
        add_service_errors(form, error)


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, goal):
        return f"{goal.title} ({goal.perspective}, {goal.scorecard.year})"


class ActivityForm(forms.Form):
    """Create or edit an activity. ``goals`` is the queryset the team may choose from."""

    title = forms.CharField(label=_("Title"), max_length=text_limit(Activity, "title"))
    description = forms.CharField(label=_("Description"), required=False, max_length=text_limit(Activity, "description"),
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("What the team will do, in its own words."))
    expected_citizen_value = forms.CharField(
        label=_("Expected value for citizens"), required=False,
        max_length=text_limit(Activity, "expected_citizen_value"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should be better for the people we serve when this is done?"))
    goals = GoalChoiceField(label=_("Unit goals the activity serves"), queryset=None,
                            widget=forms.CheckboxSelectMultiple,
                            error_messages={"required": _("Choose at least one of the unit's goals.")})
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.PLANNED)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE_INPUT)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE_INPUT)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    text_fields = ("title", "description", "expected_citizen_value")

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals

    @classmethod
    def for_activity(cls, activity, *, goals, data=None):
        initial = {
            "title": activity.title, "description": activity.description,
            "expected_citizen_value": activity.expected_citizen_value,
            "goals": [goal.pk for goal in activity.goals.all()], "status": activity.status,
            "start_date": activity.start_date, "end_date": activity.end_date, "version": activity.version,
        }
        return cls(data, initial=initial, goals=goals)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        check_personal_data(self, *self.text_fields)
        return cleaned

    def service_fields(self):
        """The keyword arguments for ``activity_create`` / ``activity_update``."""
        data = self.cleaned_data
        return {
            "title": data["title"], "description": data["description"],
            "expected_citizen_value": data["expected_citizen_value"], "status": data["status"],
            "start_date": data["start_date"], "end_date": data["end_date"],
        }


class ActivityUpdateForm(forms.Form):
    """A dated progress note; choosing a status changes the activity's status with it."""

    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    text = forms.CharField(label=_("What happened"), max_length=text_limit(ActivityUpdate, "text"),
                           widget=forms.Textarea(attrs={"rows": 4}))
    status_after = forms.ChoiceField(
        label=_("New status"), required=False, choices=[("", _("No change"))] + list(ActivityStatus.choices),
        help_text=_("Leave as it is unless the activity's status changes with this update."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        kwargs.setdefault("prefix", "update")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        check_personal_data(self, "text")
        return cleaned
