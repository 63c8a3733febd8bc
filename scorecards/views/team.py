""""Vårt team": the team's activities, defining and editing one, and logging its progress.

Reads go through ``scorecards.selectors`` (scoped to the user: anything outside the scope is a
404), writes through ``scorecards.services`` (which check permission: a 403 when the user may
read but not act, and validate: errors shown on the form).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from governance import scope
from governance.csv_export import table_csv_response
from governance.concurrency import StaleWrite
from governance.scope import Action
from scorecards import selectors, services
from scorecards.forms.activity import ActivityForm, ActivityUpdateForm, add_service_errors
from scorecards.tables import ActivityTable

ACTIVITIES_PER_PAGE = 20


class ActivityExportTable(ActivityTable):
    """The team's activity table as a CSV export holds it: the same columns as words."""

    def value_title(self, record):
        return record.title

    def value_status(self, record):
        return record.get_status_display()

    def value_goals(self, record):
        return ", ".join(g.title for g in record.goals.all())


def export_query(request):
    """The page's query string (filters and sort, not the page number) asking for CSV."""
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return query.urlencode()

# Sections that apps above this one add to the team page. The reporting app registers the open
# round and the team's follow-ups here, so that this app never imports the one above it
# (docs/architecture.md §10). A section is called with ``request`` and ``team`` and returns HTML ("" for
# nothing); each must run a fixed number of queries.
TEAM_PAGE_SECTIONS = {}


def team_page_section(name):
    def register(func):
        TEAM_PAGE_SECTIONS[name] = func
        return func
    return register


def _get_or_404(selector, **kwargs):
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def _require(user, action, unit):
    """Refuse a form page the user may see but not use (403); the service refuses the post."""
    if not scope.can(user, action, unit):
        raise PermissionDenied


@login_required
def team_home(request):
    """"Vårt team": the team page itself for a member of one team, a chooser for several."""
    teams = list(selectors.teams_for(user=request.user).order_by("parent__name", "name"))
    if not teams:
        raise Http404(_("You are not a member of a team."))
    if len(teams) == 1:
        return _team_page(request, teams[0])
    return render(request, "scorecards/team/choose.html", {"teams": teams})


@login_required
def team_detail(request, pk):
    return _team_page(request, _get_or_404(selectors.team_get, user=request.user, pk=pk))


def _team_page(request, team):
    filterset = selectors.team_activity_filterset(user=request.user, team=team, data=request.GET)
    if request.GET.get("format") == "csv":
        table = ActivityExportTable(filterset.qs)
        RequestConfig(request, paginate=False).configure(table)
        return table_csv_response(table, f"{slugify(team.name) or 'team'}-activities.csv")
    table = ActivityTable(filterset.qs)
    table.caption = _("Activities of %(team)s") % {"team": team}
    RequestConfig(request, paginate={"per_page": ACTIVITIES_PER_PAGE}).configure(table)
    sections = [section(request=request, team=team) for section in TEAM_PAGE_SECTIONS.values()]
    return render(request, "scorecards/team/detail.html", {
        "team": team,
        "unit": team.parent,
        "filterset": filterset,
        "filter_form": filterset.form,
        "is_filtered": any(request.GET.get(name) for name in filterset.form.fields),
        "table": table,
        "sections": [s for s in sections if s],
        "can_edit": scope.can(request.user, Action.EDIT_ACTIVITIES, team),
        "sort": request.GET.get("sort", ""),
        "csv_query": export_query(request),
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, team_pk):
    team = _get_or_404(selectors.team_get, user=request.user, pk=team_pk)
    _require(request.user, Action.EDIT_ACTIVITIES, team)
    goals = selectors.activity_goal_choices(team=team, year=selectors.current_year())
    form = ActivityForm(request.POST or None, goals=goals)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(user=request.user, team=team, goals=form.cleaned_data["goals"],
                                                **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity “%(title)s” was created.") % {"title": activity.title})
            return redirect("scorecards:activity", pk=activity.pk)
    return render(request, "scorecards/team/activity_form.html", {
        "form": form, "team": team, "activity": None, "has_goals": goals.exists(),
        "cancel_url": reverse("scorecards:team-detail", args=[team.pk]),
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = _get_or_404(selectors.activity_get, user=request.user, pk=pk)
    _require(request.user, Action.EDIT_ACTIVITIES, activity.team)
    goals = selectors.activity_goal_choices(team=activity.team, year=selectors.current_year(), activity=activity)
    form = ActivityForm.for_activity(activity, goals=goals, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_update(user=request.user, activity=activity,
                                                expected_version=form.cleaned_data["version"],
                                                goals=form.cleaned_data["goals"], **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleWrite as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("scorecards:activity", pk=activity.pk)
    return render(request, "scorecards/team/activity_form.html", {
        "form": form, "team": activity.team, "activity": activity, "has_goals": True,
        "cancel_url": reverse("scorecards:activity", args=[activity.pk]),
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_detail(request, pk):
    """The activity with its log; a member of the team logs progress here (and may change the
    status with it)."""
    activity = _get_or_404(selectors.activity_get, user=request.user, pk=pk)
    can_edit = scope.can(request.user, Action.EDIT_ACTIVITIES, activity.team)
    form = ActivityUpdateForm(request.POST or None)
    if request.method == "POST":
        # The service decides; a reader who is not in the team gets its 403.
        if form.is_valid():
            try:
                services.activity_log_update(user=request.user, activity=activity, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The update was logged."))
                return redirect("scorecards:activity", pk=activity.pk)
        elif not can_edit:
            raise PermissionDenied
    updates = list(activity.updates.all())
    return render(request, "scorecards/team/activity_detail.html", {
        "activity": activity, "team": activity.team, "goals": list(activity.goals.all()), "updates": updates,
        "form": form, "can_edit": can_edit,
    })


urlpatterns = [
    path("team/", team_home, name="team"),
    path("team/<int:pk>/", team_detail, name="team-detail"),
    path("team/<int:team_pk>/aktiviteter/ny/", activity_create, name="activity-create"),
    path("aktiviteter/<int:pk>/", activity_detail, name="activity"),
    path("aktiviteter/<int:pk>/andra/", activity_edit, name="activity-edit"),
]
