"""The main menu and the landing page follow the user's roles (one scope rule decides)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models import Role
from governance.scope import scope_for

# (url name, label, roles that see it) in menu order. URL names are looked up lazily so that
# this lower layer does not import the apps above it.
MENU = [
    ("scorecards:team", _("Our team"), {Role.TEAM_MEMBER, Role.UNIT_MANAGER}),
    ("scorecards:my-scorecard", _("My scorecard"), {Role.UNIT_MANAGER}),
    ("reporting:goal-report", _("Goal report"), {Role.BOARD_MEMBER, Role.CONTROLLER}),
    ("reporting:rounds", _("Reporting rounds"), {Role.CONTROLLER}),
    # The roles that may enter measurements (Action.ENTER_MEASUREMENTS) may import them.
    ("scorecards:import", _("Import values"), {Role.UNIT_MANAGER, Role.CONTROLLER}),
    ("governance:tokens", _("API tokens"), {Role.CONTROLLER}),
]

# Where each role lands after logging in, most specific first.
LANDING = [
    (Role.TEAM_MEMBER, "scorecards:team"),
    (Role.UNIT_MANAGER, "scorecards:my-scorecard"),
    (Role.CONTROLLER, "reporting:rounds"),
    (Role.BOARD_MEMBER, "reporting:goal-report"),
]


def user_roles(user):
    scope = scope_for(user)
    if scope.is_everything:
        return set(Role)
    return {grant.role for grant in scope.grants}


def menu_for(user, current_path=""):
    roles = user_roles(user)
    items = []
    for url_name, label, visible_to in MENU:
        if roles & visible_to:
            url = reverse(url_name)
            items.append({"url": url, "label": label, "active": current_path.startswith(url)})
    if user.is_staff and (scope_for(user).is_everything or Role.CONTROLLER in roles):
        items.append({"url": reverse("admin:index"), "label": pgettext_lazy("menu link to the admin site", "Administration"), "active": False})
    return items


def landing_url(user):
    roles = user_roles(user)
    for role, url_name in LANDING:
        if role in roles:
            return reverse(url_name)
    return None


def navigation(request):
    """Context processor: the menu for the logged-in user."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"navigation": []}
    return {"navigation": menu_for(request.user, request.path)}
