"""The one scope rule: who may read and do what, where. One user per role plus an outsider."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from governance import scope
from governance.models import Membership, Role
from governance.scope import ROLE_ACTIONS, Action
from tests.conftest import make_user


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_board_member_reads_the_whole_board_tree_and_nothing_else(org, board_member):
    readable = names(scope.readable_units(board_member))
    assert "Familjebehandling" in readable and "Ekonomiskt bistånd" in readable and "Team Söder" in readable
    assert "Äldrenämnden" not in readable and "Hemtjänst" not in readable


def test_board_member_may_do_nothing_but_read(org, board_member):
    for action in Action:
        assert scope.can(board_member, action, org.family) is (action == Action.READ)


def test_controller_manages_goals_and_rounds_within_their_administration(org, controller):
    assert scope.can(controller, Action.MANAGE_ROUNDS, org.administration)
    assert scope.can(controller, Action.ENTER_MEASUREMENTS, org.income)
    assert not scope.can(controller, Action.MANAGE_ROUNDS, org.elderly_admin)
    assert not scope.can(controller, Action.READ, org.home_care)


def test_controller_in_the_administration_manages_the_boards_goals_and_rounds(org, controller):
    assert scope.can(controller, Action.MANAGE_POLITICAL_GOALS, org.board)
    assert scope.can(controller, Action.RECORD_BOARD_DECISION, org.board)
    assert org.board in scope.units_for(controller, Action.MANAGE_ROUNDS)


def test_controller_reaches_up_only_to_their_own_board_and_only_for_board_work(org, controller):
    assert not scope.can(controller, Action.MANAGE_POLITICAL_GOALS, org.elderly_board)
    assert not scope.can(controller, Action.MANAGE_ORGANISATION, org.board)
    assert not scope.can(controller, Action.ENTER_MEASUREMENTS, org.board)
    assert org.elderly_board not in scope.units_for(controller, Action.MANAGE_ROUNDS)


def test_a_department_controller_does_not_reach_the_board(org):
    analyst = make_user("analytiker", (org.children, Role.CONTROLLER))
    assert scope.can(analyst, Action.SET_TARGETS, org.family)
    assert not scope.can(analyst, Action.MANAGE_POLITICAL_GOALS, org.board)


def test_unit_manager_never_reaches_the_board(org, unit_manager):
    for action in Action:
        if action != Action.READ:
            assert not scope.can(unit_manager, action, org.board)


def test_unit_manager_writes_the_scorecard_of_their_unit_and_its_teams(org, unit_manager):
    assert scope.can(unit_manager, Action.EDIT_SCORECARD, org.family)
    assert scope.can(unit_manager, Action.EDIT_ACTIVITIES, org.south)
    assert scope.roles_for(unit_manager, org.north) == {Role.UNIT_MANAGER}


def test_unit_manager_cannot_touch_a_sibling_unit(org, unit_manager):
    assert not scope.can_read(unit_manager, org.investigation)
    assert not scope.can(unit_manager, Action.EDIT_SCORECARD, org.investigation)
    assert not scope.can_read(unit_manager, org.investigation_team)


def test_unit_manager_reads_up_to_the_board_but_not_sideways(org, unit_manager):
    readable = names(scope.readable_units(unit_manager))
    assert readable == sorted(["Socialnämnden", "Socialförvaltningen", "Barn och familj", "Familjebehandling",
                               "Team Norr", "Team Söder"])


def test_team_member_edits_only_their_own_team(org, team_member):
    assert scope.can(team_member, Action.EDIT_ACTIVITIES, org.north)
    assert scope.can(team_member, Action.WRITE_FOLLOW_UP, org.north)
    assert not scope.can(team_member, Action.EDIT_ACTIVITIES, org.south)
    assert not scope.can_read(team_member, org.south)


def test_team_member_reads_the_units_scorecard_above_but_cannot_edit_it(org, team_member):
    assert scope.can_read(team_member, org.family)
    assert not scope.can(team_member, Action.EDIT_SCORECARD, org.family)
    assert not scope.can(team_member, Action.ENTER_MEASUREMENTS, org.north)


def test_outsider_sees_nothing_and_may_do_nothing(org, outsider):
    assert not scope.readable_units(outsider).exists()
    for action in Action:
        for unit in (org.board, org.family, org.north, org.home_care):
            assert not scope.can(outsider, action, unit)
    with pytest.raises(PermissionDenied):
        scope.require_read(outsider, org.family)


def test_anonymous_user_sees_nothing(org):
    anonymous = AnonymousUser()
    assert not scope.readable_units(anonymous).exists()
    assert not scope.can_read(anonymous, org.board)


def test_inactive_user_loses_every_right(org, unit_manager):
    unit_manager.is_active = False
    unit_manager.save()
    scope.forget_scope(unit_manager)
    assert not scope.can_read(unit_manager, org.family)


def test_expired_membership_gives_no_rights(org):
    user = make_user("slutat")
    Membership.objects.create(user=user, org_unit=org.family, role=Role.UNIT_MANAGER,
                              valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2021, 12, 31))
    assert not scope.can_read(user, org.family)


def test_future_membership_gives_no_rights_yet(org):
    user = make_user("borjar")
    Membership.objects.create(user=user, org_unit=org.family, role=Role.UNIT_MANAGER,
                              valid_from=datetime.date.today() + datetime.timedelta(days=10))
    assert not scope.can_read(user, org.family)


def test_membership_on_an_inactive_unit_gives_no_rights(org, unit_manager):
    org.family.is_active = False
    org.family.save()
    scope.forget_scope(unit_manager)
    assert not scope.can_read(unit_manager, org.family)


def test_department_head_covers_every_unit_below(org):
    head = make_user("avdelningschef", (org.children, Role.UNIT_MANAGER))
    assert scope.can(head, Action.EDIT_SCORECARD, org.family)
    assert scope.can(head, Action.EDIT_SCORECARD, org.investigation)
    assert not scope.can(head, Action.EDIT_SCORECARD, org.income)


def test_two_memberships_add_up(org):
    user = make_user("dubbel", (org.north, Role.TEAM_MEMBER), (org.income, Role.UNIT_MANAGER))
    assert scope.can(user, Action.EDIT_ACTIVITIES, org.north)
    assert scope.can(user, Action.ENTER_MEASUREMENTS, org.income)
    assert not scope.can(user, Action.ENTER_MEASUREMENTS, org.north)
    assert scope.roles_for(user, org.income) == {Role.UNIT_MANAGER}


def test_units_for_an_action_lists_exactly_the_granted_subtrees(org, unit_manager, controller):
    assert names(scope.units_for(unit_manager, Action.ENTER_MEASUREMENTS)) == ["Familjebehandling", "Team Norr", "Team Söder"]
    assert "Hemtjänst" not in names(scope.units_for(controller, Action.ENTER_MEASUREMENTS))
    assert not scope.units_for(unit_manager, Action.MANAGE_ROUNDS).exists()


def test_superuser_may_do_everything_everywhere(org, superuser):
    assert scope.can(superuser, Action.MANAGE_ROUNDS, org.elderly_board)
    assert scope.readable_units(superuser).count() == 13


def test_scope_is_computed_with_one_query_and_then_cached(org, unit_manager, django_assert_num_queries):
    scope.forget_scope(unit_manager)
    with django_assert_num_queries(1):
        for unit in (org.family, org.north, org.south, org.income, org.board):
            scope.can(unit_manager, Action.EDIT_SCORECARD, unit)
            scope.can_read(unit_manager, unit)


def test_moving_a_unit_moves_its_rights_with_it(org, unit_manager):
    org.north.parent = org.investigation
    org.north.save()
    org.north.refresh_from_db()
    scope.forget_scope(unit_manager)
    assert not scope.can_read(unit_manager, org.north)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_can_read_what_it_can_act_on(role):
    assert Action.READ in ROLE_ACTIONS[role]


def test_only_controllers_record_the_boards_decision():
    assert [r for r in Role if Action.RECORD_BOARD_DECISION in ROLE_ACTIONS[r]] == [Role.CONTROLLER]
