"""Forms of the unit manager's part of a round: reviewing a follow-up, submitting the unit's report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.extensions import text_limit
from reporting.models import FollowUp, UnitReport


class ReviewForm(forms.Form):
    """Approve or return one submitted follow-up. The decision comes from the button pressed."""

    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (RETURN, _("Return"))], widget=forms.HiddenInput,
                                 error_messages={"required": _("Choose whether to approve or return the follow-up.")})
    comment = forms.CharField(label=_("Comment to the team"), required=False,
                              max_length=text_limit(FollowUp, "review_comment"),
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when you return the follow-up: say what should be changed."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UnitReportForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), required=False, max_length=text_limit(UnitReport, "summary"),
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("A few sentences on the unit's round: what stands out, what the board should know."))
    reporting_hours = forms.DecimalField(label=_("Hours spent on reporting"), required=False, min_value=0,
                                         max_digits=7, decimal_places=1, localize=True,
                                         help_text=_("Optional: the cost of reporting, shown in the trust balance."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
