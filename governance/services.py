"""Writes to the organisation, memberships and the reporting calendar. Each function is
keyword-only, runs in one transaction and checks permission itself."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from governance import scope
from governance.models import Membership, OrgUnit, Period, ReportingYear
from governance.periods import year_calendar
from governance.scope import Action


@transaction.atomic
def reporting_year_create(*, user, year):
    """Create a reporting year with its nested periods; returns the existing one unchanged if
    it is already there (so setting up a year twice is harmless)."""
    if not scope.scope_for(user).has_any(Action.MANAGE_ROUNDS):
        raise PermissionDenied(_("Only a controller can set up reporting years."))
    existing = ReportingYear.objects.filter(year=year).first()
    if existing:
        return existing
    reporting_year = ReportingYear(year=year)
    reporting_year.full_clean()
    reporting_year.save()
    _create_periods(reporting_year, year_calendar(year), parent=None)
    return reporting_year


def _create_periods(reporting_year, spec, parent):
    period = Period.objects.create(
        year=reporting_year, kind=spec.kind, number=spec.number, start=spec.start, end=spec.end, parent=parent
    )
    for child in spec.children:
        _create_periods(reporting_year, child, parent=period)
    return period


@transaction.atomic
def org_unit_create(*, user, name, kind, parent=None, external_code=""):
    if parent is None:
        if not scope.scope_for(user).is_everything:
            raise PermissionDenied(_("Only an administrator can create a new board."))
    else:
        scope.require(user, Action.MANAGE_ORGANISATION, parent)
    unit = OrgUnit(name=name, kind=kind, parent=parent, external_code=external_code)
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    return unit


@transaction.atomic
def membership_create(*, user, member, org_unit, role, valid_from=None, valid_to=None):
    scope.require(user, Action.MANAGE_ORGANISATION, org_unit)
    membership = Membership(user=member, org_unit=org_unit, role=role, valid_from=valid_from, valid_to=valid_to)
    membership.full_clean()
    membership.save()
    scope.forget_scope(member)
    return membership
