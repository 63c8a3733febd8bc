"""The follow-up a team or unit writes for one goal in a reporting round."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.extensions import text_limit
from reporting.models import FollowUp
from reporting.rules import Assessment
from scorecards.forms.activity import add_service_errors, check_personal_data

__all__ = ["FollowUpForm", "add_service_errors"]

TEXT_FIELDS = ("what_we_did", "effect_for_citizens", "learning", "next_step")


class FollowUpForm(forms.Form):
    """Texts and self-assessment; the service decides what a draft and a submission need."""

    SAVE = "save"
    SUBMIT = "submit"

    what_we_did = forms.CharField(label=_("What we did"), required=False, max_length=text_limit(FollowUp, "what_we_did"),
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("The work behind the goal this period: activities, changes, cooperation."))
    effect_for_citizens = forms.CharField(label=_("Effect for citizens"), required=False,
                                          max_length=text_limit(FollowUp, "effect_for_citizens"),
                                          widget=forms.Textarea(attrs={"rows": 4}),
                                          help_text=_("What it meant for the people we serve, as far as we can tell."))
    learning = forms.CharField(label=_("What we learned"), required=False, max_length=text_limit(FollowUp, "learning"),
                               widget=forms.Textarea(attrs={"rows": 4}))
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=text_limit(FollowUp, "next_step"),
                                widget=forms.Textarea(attrs={"rows": 3}))
    self_assessment = forms.ChoiceField(label=_("Our assessment"), required=False,
                                        choices=[("", _("Not assessed yet"))] + list(Assessment.choices),
                                        help_text=_("How far the goal is attained, in your own judgement."))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, follow_up=None, **kwargs):
        if follow_up is not None:
            kwargs.setdefault("initial", {
                **{name: getattr(follow_up, name) for name in TEXT_FIELDS},
                "self_assessment": follow_up.self_assessment, "version": follow_up.version,
            })
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        check_personal_data(self, *TEXT_FIELDS)
        return cleaned

    def texts(self):
        """The keyword arguments for ``follow_up_save``."""
        return {name: self.cleaned_data[name] for name in (*TEXT_FIELDS, "self_assessment")}
