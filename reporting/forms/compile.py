"""Forms of the controller's compilation of the board report: an assessment per political goal,
the summary, marking it ready, and recording the board's decision.

The forms only collect input; ``reporting.services`` decides what is allowed and valid (e.g. that
every goal is assessed before the report is ready, or that a decision needs a date and a §), and
the views put the services' errors back on these forms. Every form carries the version of the
record it was based on, and the report it was shown for, so that a write based on an old page is
refused instead of overwriting someone else's work.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.extensions import text_limit
from reporting.models import BoardReport, GoalAssessment
from reporting.rules import Assessment
from scorecards.forms.activity import DATE_INPUT, check_personal_data

__all__ = ["GoalAssessmentForm", "ReportSummaryForm", "MarkReadyForm", "DecisionForm", "CorrectionForm"]


class _VersionedForm(forms.Form):
    """The version of the record and the board report the page showed (both empty when there
    was none yet)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    report = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Point each field at its help text for screen readers (includes/field.html shows it).
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def shown_report_id(self):
        return self.cleaned_data.get("report")


class GoalAssessmentForm(_VersionedForm):
    """The controller's overall assessment of one political goal: a human judgement. The form is
    never filled in from the system's suggestion; it starts from what the controller saved."""

    assessment = forms.ChoiceField(
        label=_("Your assessment"), required=False,
        choices=[("", _("Not assessed yet"))] + list(Assessment.choices),
        help_text=_("Your judgement of the goal as a whole. The suggestion above only sums up the evidence."))
    text = forms.CharField(
        label=_("Motivation"), required=False, max_length=text_limit(GoalAssessment, "text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you assess the goal so: what the board should know and ask about. "
                    "The text reaches the board's public report."))

    def __init__(self, *args, assessment=None, report=None, **kwargs):
        if assessment is not None or report is not None:
            kwargs.setdefault("initial", {
                "assessment": assessment.assessment if assessment else "",
                "text": assessment.text if assessment else "",
                "version": assessment.version if assessment else None,
                "report": report.pk if report else None,
            })
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        check_personal_data(self, "text")
        return cleaned


class ReportSummaryForm(_VersionedForm):
    summary = forms.CharField(
        label=_("Summary of the report"), required=False, max_length=text_limit(BoardReport, "summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few paragraphs for the board: what stands out in the round, and the questions to ask."))

    def __init__(self, *args, report=None, **kwargs):
        if report is not None:
            kwargs.setdefault("initial", {"summary": report.summary, "version": report.version, "report": report.pk})
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        check_personal_data(self, "summary")
        return cleaned


class MarkReadyForm(_VersionedForm):
    def __init__(self, *args, report=None, **kwargs):
        if report is not None:
            kwargs.setdefault("initial", {"version": report.version, "report": report.pk})
        super().__init__(*args, **kwargs)


class DecisionForm(_VersionedForm):
    """The board's decision: the service requires both the date and the paragraph."""

    adopted_on = forms.DateField(label=_("Date of the board's decision"), required=False, widget=DATE_INPUT,
                                 help_text=_("The date of the board meeting that adopted the report."))
    minute_paragraph = forms.CharField(label=_("Paragraph of the minutes"), required=False,
                                       max_length=text_limit(BoardReport, "minute_paragraph"),
                                       help_text=_("E.g. § 45."))

    def __init__(self, *args, report=None, **kwargs):
        if report is not None:
            kwargs.setdefault("initial", {"version": report.version, "report": report.pk})
        super().__init__(*args, **kwargs)


class CorrectionForm(_VersionedForm):
    def __init__(self, *args, report=None, **kwargs):
        if report is not None:
            kwargs.setdefault("initial", {"version": report.version, "report": report.pk})
        super().__init__(*args, **kwargs)
