"""Writing a follow-up: a team (or unit) says, per unit goal and round, what it did, what it
meant for citizens, what it learned and what comes next, and assesses the goal itself.

Also adds the open round and the team's follow-ups to the team page ("Vårt team"), which lives
in the scorecards app: that app does not import this one, so this one registers its section
there (docs/architecture.md §10).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance import scope
from governance.concurrency import StaleWrite
from governance.models import OrgUnitKind
from governance.scope import Action
from reporting import selectors, services
from reporting.forms.followup import FollowUpForm, add_service_errors
from reporting.models import FollowUp
from scorecards.views.team import team_page_section

EDITABLE_STATES = (FollowUp.State.DRAFT, FollowUp.State.RETURNED)


@team_page_section("reporting-round")
def team_round_section(*, request, team):
    """The open round, its deadline, and per unit goal where the team's follow-up stands."""
    reporting_round = selectors.open_round_for(team)
    lines = selectors.follow_ups_by_goal(user=request.user, org_unit=team, reporting_round=reporting_round) \
        if reporting_round else []
    return render_to_string("reporting/followups/team_section.html", {
        "round": reporting_round, "lines": lines, "team": team,
        "can_write": scope.can(request.user, Action.WRITE_FOLLOW_UP, team),
    }, request=request)


def _back_url(org_unit):
    if org_unit.kind == OrgUnitKind.TEAM:
        return reverse("scorecards:team-detail", args=[org_unit.pk])
    return reverse("scorecards:my-scorecard")


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_edit(request, round_pk, unit_pk, goal_pk):
    try:
        target = selectors.follow_up_target(user=request.user, round_pk=round_pk, unit_pk=unit_pk, goal_pk=goal_pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    follow_up = target.follow_up
    can_write = scope.can(request.user, Action.WRITE_FOLLOW_UP, target.org_unit)
    editable = target.round_is_open and (follow_up is None or follow_up.state in EDITABLE_STATES)
    form = FollowUpForm(request.POST or None, follow_up=follow_up)

    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == FollowUpForm.SUBMIT
        try:
            # Saving and submitting is one step for the writer: when the submission is refused
            # (a text or the assessment missing), nothing is saved and the form keeps the text.
            with transaction.atomic():
                saved = services.follow_up_save(
                    user=request.user, reporting_round=target.round, org_unit=target.org_unit,
                    scorecard_goal=target.goal,
                    # No version in the form means the writer saw no follow-up: if one has been
                    # written since, theirs would overwrite it, so version 0 makes it stale.
                    expected_version=form.cleaned_data["version"] or 0, **form.texts())
                if submit:
                    services.follow_up_submit(user=request.user, follow_up=saved, expected_version=saved.version)
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleWrite as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The follow-up was submitted to your manager.") if submit
                             else _("The draft was saved."))
            return redirect(request.path)
    elif request.method == "POST" and not can_write:
        # The service would refuse the post too; do not show a reader form errors first.
        raise PermissionDenied

    return render(request, "reporting/followups/edit.html", {
        "target": target, "round": target.round, "org_unit": target.org_unit, "goal": target.goal,
        "follow_up": follow_up, "form": form, "show_form": can_write and editable,
        "political_goals": list(target.goal.political_goals.all()), "back_url": _back_url(target.org_unit),
    })


urlpatterns = [
    path("uppfoljning/<int:round_pk>/<int:unit_pk>/mal/<int:goal_pk>/", follow_up_edit, name="follow-up"),
]
