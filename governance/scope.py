"""The one answer to "which organisational units may this user read or change, and as what?".

A membership ties a user to an org unit in a role and covers that unit's whole subtree
(a department head sees every unit under the department). Every view, API endpoint,
service and admin page asks this module; none decides on its own.

Reading also reaches *up*: a member may read the units above their own (the team its
unit's scorecard, everyone the board's political goals), but never sideways into a
sibling's subtree.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, TextChoices
from django.utils.translation import gettext_lazy as _

from governance.models import OrgUnit, Role


class Action(TextChoices):
    """What a user may do inside the subtree of a membership."""

    READ = "read", _("Read")
    MANAGE_ORGANISATION = "manage_organisation", _("Manage the organisation and memberships")
    MANAGE_POLITICAL_GOALS = "manage_political_goals", _("Manage political goals")
    MANAGE_MANDATED_INDICATORS = "manage_mandated_indicators", _("Manage mandated indicators")
    MANAGE_ROUNDS = "manage_rounds", _("Open and close reporting rounds")
    COMPILE_BOARD_REPORT = "compile_board_report", _("Compile the board report")
    RECORD_BOARD_DECISION = "record_board_decision", _("Record the board's decision")
    EDIT_SCORECARD = "edit_scorecard", _("Edit the scorecard and its own indicators")
    SET_TARGETS = "set_targets", _("Set targets and thresholds")
    ENTER_MEASUREMENTS = "enter_measurements", _("Enter and import measurements")
    REVIEW_FOLLOW_UPS = "review_follow_ups", _("Approve or return follow-ups")
    SUBMIT_UNIT_REPORT = "submit_unit_report", _("Submit the unit's report")
    WRITE_FOLLOW_UP = "write_follow_up", _("Write follow-ups")
    EDIT_ACTIVITIES = "edit_activities", _("Define activities and log progress")
    VIEW_HISTORY = "view_history", _("See the change history")


ROLE_ACTIONS = {
    # The board reads; it never edits (docs/architecture.md §2).
    Role.BOARD_MEMBER: frozenset({Action.READ}),
    Role.CONTROLLER: frozenset({
        Action.READ, Action.MANAGE_ORGANISATION, Action.MANAGE_POLITICAL_GOALS, Action.MANAGE_MANDATED_INDICATORS,
        Action.MANAGE_ROUNDS, Action.COMPILE_BOARD_REPORT, Action.RECORD_BOARD_DECISION, Action.SET_TARGETS,
        # Controllers import values from source systems on behalf of every unit.
        Action.ENTER_MEASUREMENTS,
        # Who changed what, and when (governance.history): the controllers' follow-up of the data.
        Action.VIEW_HISTORY,
    }),
    Role.UNIT_MANAGER: frozenset({
        Action.READ, Action.EDIT_SCORECARD, Action.SET_TARGETS, Action.ENTER_MEASUREMENTS, Action.REVIEW_FOLLOW_UPS,
        Action.SUBMIT_UNIT_REPORT, Action.WRITE_FOLLOW_UP,
        # The manager answers for the teams and may step in when a team cannot.
        Action.EDIT_ACTIVITIES,
    }),
    Role.TEAM_MEMBER: frozenset({Action.READ, Action.WRITE_FOLLOW_UP, Action.EDIT_ACTIVITIES}),
}


# Actions on things that hang on the board node itself (political goals, rounds, board
# reports, centrally owned indicators). The controllers who do this work sit in the
# administration (förvaltningen) that serves the board, not in the board, so a grant on an
# administration directly under a board reaches up to that board for these actions.
BOARD_LEVEL_ACTIONS = frozenset({
    Action.MANAGE_POLITICAL_GOALS, Action.MANAGE_MANDATED_INDICATORS, Action.MANAGE_ROUNDS,
    Action.COMPILE_BOARD_REPORT, Action.RECORD_BOARD_DECISION, Action.SET_TARGETS, Action.VIEW_HISTORY,
})


@dataclass(frozen=True)
class Grant:
    role: Role
    unit_id: int
    path: str

    @property
    def depth(self):
        return self.path.count("/") - 1

    @property
    def board_id(self):
        return int(self.path.split("/", 1)[0])

    def covers(self, unit_path):
        return bool(unit_path) and unit_path.startswith(self.path)

    def covers_for(self, action, unit):
        if self.covers(unit.path):
            return True
        return action in BOARD_LEVEL_ACTIONS and unit.kind == "board" and self.depth == 1 and self.board_id == unit.pk


class Scope:
    """What one user may do where. Built once per user object (one query) and cached on it."""

    def __init__(self, user, *, today=None):
        self.user = user
        self.is_everything = bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))
        self.grants = ()
        if getattr(user, "is_authenticated", False) and user.is_active and not self.is_everything:
            today = today or datetime.date.today()
            rows = (
                user.memberships.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
                .values_list("role", "org_unit_id", "org_unit__path", "org_unit__is_active")
            )
            self.grants = tuple(Grant(Role(role), unit_id, path) for role, unit_id, path, active in rows if active and path)

    # --- questions about one unit (no query) ------------------------------------------------
    def roles_for(self, unit):
        """The roles whose scope covers ``unit`` (its subtree grants)."""
        if self.is_everything:
            return set(Role)
        return {g.role for g in self.grants if g.covers(unit.path)}

    def can(self, action, unit):
        if unit is None:
            return False
        if self.is_everything:
            return True
        if action == Action.READ:
            return self.can_read(unit)
        return any(action in ROLE_ACTIONS[g.role] and g.covers_for(action, unit) for g in self.grants)

    def can_read(self, unit):
        if self.is_everything:
            return True
        if any(g.covers(unit.path) for g in self.grants):
            return True
        # Reading reaches up the tree: a unit is readable when it is an ancestor of a grant.
        return any(g.path.startswith(unit.path) for g in self.grants if unit.path)

    # --- querysets ------------------------------------------------------------------------------
    def readable_units(self):
        if self.is_everything:
            return OrgUnit.objects.all()
        if not self.grants:
            return OrgUnit.objects.none()
        ancestor_ids = {int(s) for g in self.grants for s in g.path.strip("/").split("/")}
        q = Q(pk__in=ancestor_ids)
        for g in self.grants:
            q |= Q(path__startswith=g.path)
        return OrgUnit.objects.filter(q)

    def units_for(self, action):
        """The units where the user may perform ``action`` (for READ: every readable unit)."""
        if action == Action.READ:
            return self.readable_units()
        if self.is_everything:
            return OrgUnit.objects.all()
        grants = [g for g in self.grants if action in ROLE_ACTIONS[g.role]]
        if not grants:
            return OrgUnit.objects.none()
        q = Q()
        for g in grants:
            q |= Q(path__startswith=g.path)
            if action in BOARD_LEVEL_ACTIONS and g.depth == 1:
                q |= Q(pk=g.board_id)
        return OrgUnit.objects.filter(q)

    def has_any(self, action):
        """Whether the user may perform ``action`` anywhere (e.g. to show a menu entry)."""
        return self.is_everything or any(action in ROLE_ACTIONS[g.role] for g in self.grants)


_CACHE_ATTRIBUTE = "_tillit_scope"


def scope_for(user):
    """The user's scope, cached on the user object (so once per request)."""
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = Scope(user)
        try:
            setattr(user, _CACHE_ATTRIBUTE, cached)
        except AttributeError:  # AnonymousUser instances are shared; do not cache on them
            pass
    return cached


def forget_scope(user):
    """Drop the cached scope, after memberships change."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def readable_units(user):
    return scope_for(user).readable_units()


def units_for(user, action):
    return scope_for(user).units_for(action)


def can(user, action, unit):
    return scope_for(user).can(action, unit)


def can_read(user, unit):
    return scope_for(user).can_read(unit)


def roles_for(user, unit):
    return scope_for(user).roles_for(unit)


def require(user, action, unit):
    """Raise PermissionDenied unless ``user`` may perform ``action`` on ``unit``. Services call this."""
    if not can(user, action, unit):
        raise PermissionDenied(_("You do not have permission to do this for %(unit)s.") % {"unit": unit})


def require_read(user, unit):
    require(user, Action.READ, unit)
