"""Writes to the organisation and the calendar check permission themselves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance import scope
from governance.models import Membership, OrgUnit, Period, ReportingYear, Role
from governance.scope import Action
from governance.services import membership_create, org_unit_create, reporting_year_create


def test_controller_sets_up_a_year_with_its_sixteen_periods(controller):
    year = reporting_year_create(user=controller, year=2027)
    assert year.periods.count() == 16
    assert Period.objects.get(year=year, kind="month", number=9).parent.number == 3


def test_setting_up_a_year_twice_changes_nothing(controller):
    first = reporting_year_create(user=controller, year=2027)
    second = reporting_year_create(user=controller, year=2027)
    assert first == second and Period.objects.filter(year=first).count() == 16


@pytest.mark.parametrize("who", ["board_member", "unit_manager", "team_member", "outsider"])
def test_only_controllers_set_up_years(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        reporting_year_create(user=user, year=2027)
    assert not ReportingYear.objects.filter(year=2027).exists()


def test_a_year_outside_the_sensible_range_is_refused_and_nothing_is_written(controller):
    with pytest.raises(ValidationError):
        reporting_year_create(user=controller, year=1999)
    assert not ReportingYear.objects.exists()


def test_controller_adds_a_team_under_a_unit(org, controller):
    team = org_unit_create(user=controller, name="Team Väster", kind="team", parent=org.family, external_code="FAM-01-V")
    assert team.parent == org.family and team.path.startswith(org.family.path)


def test_a_team_under_a_department_is_refused_with_a_field_error(org, controller):
    with pytest.raises(ValidationError) as error:
        org_unit_create(user=controller, name="Fel", kind="team", parent=org.children)
    assert "parent" in error.value.message_dict
    assert not OrgUnit.objects.filter(name="Fel").exists()


def test_unit_manager_cannot_reorganise(org, unit_manager):
    with pytest.raises(PermissionDenied):
        org_unit_create(user=unit_manager, name="Team Väster", kind="team", parent=org.family)


def test_controller_cannot_add_units_to_another_board(org, controller):
    with pytest.raises(PermissionDenied):
        org_unit_create(user=controller, name="Hemtjänst Norr", kind="unit", parent=org.elderly_admin)


def test_only_a_superuser_creates_a_board(org, controller, superuser):
    with pytest.raises(PermissionDenied):
        org_unit_create(user=controller, name="Ny nämnd", kind="board")
    assert org_unit_create(user=superuser, name="Ny nämnd", kind="board").kind == "board"


def test_granting_a_membership_takes_effect_at_once(org, controller, outsider):
    assert not scope.can_read(outsider, org.family)
    membership_create(user=controller, member=outsider, org_unit=org.family, role=Role.UNIT_MANAGER)
    assert scope.can(outsider, Action.EDIT_SCORECARD, org.family)


def test_the_same_membership_twice_is_a_validation_error(org, controller, unit_manager):
    with pytest.raises(ValidationError):
        membership_create(user=controller, member=unit_manager, org_unit=org.family, role=Role.UNIT_MANAGER)
    assert Membership.objects.filter(user=unit_manager).count() == 1
