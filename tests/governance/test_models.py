"""The organisation tree, the calendar and the rules the database enforces itself."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance.models import OrgUnit, Period, PoliticalGoal, ReportingYear
from governance.periods import parse_period_code, tertial_of_month, year_calendar
from tests.conftest import make_unit, make_year


# --- the tree ---------------------------------------------------------------------------------

def test_path_lists_the_ancestors_from_the_root(org):
    assert org.north.ancestor_ids() == [org.board.pk, org.administration.pk, org.children.pk, org.family.pk]
    assert org.north.depth == 4 and org.board.depth == 0


def test_subtree_holds_the_unit_and_everything_below(org):
    assert set(org.family.subtree()) == {org.family, org.north, org.south}


def test_moving_a_unit_rewrites_the_paths_below_it(org):
    org.family.parent = org.adults
    org.family.save()
    org.north.refresh_from_db()
    assert org.north.ancestor_ids()[-2:] == [org.adults.pk, org.family.pk]
    assert org.north.is_within(org.adults) and not org.north.is_within(org.children)


def test_board_property_finds_the_root(org):
    assert org.south.board == org.board
    assert org.home_care.board == org.elderly_board
    assert org.board.board == org.board


def test_clean_refuses_a_team_under_a_department(org):
    team = OrgUnit(name="Fel", kind="team", parent=org.children)
    with pytest.raises(ValidationError) as error:
        team.full_clean(exclude=["path", "depth"])
    assert "parent" in error.value.message_dict


def test_clean_refuses_a_unit_under_its_own_team(org):
    org.family.parent = org.north
    with pytest.raises(ValidationError):
        org.family.full_clean(exclude=["path", "depth"])


def test_database_refuses_a_team_outside_a_unit_even_without_clean(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(name="Fel", kind="team", parent=org.children)


def test_database_refuses_moving_a_team_under_a_department_by_update(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.filter(pk=org.north.pk).update(parent=org.children)


def test_database_refuses_turning_a_unit_with_teams_into_a_department(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.filter(pk=org.family.pk).update(kind="department")


def test_database_refuses_a_board_with_a_parent_and_a_unit_without_one(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(name="Fel", kind="unit", parent=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(name="Fel", kind="board", parent=org.board)


def test_external_codes_are_unique_but_may_be_blank(org):
    make_unit("Utan kod 1", "team", org.family)
    make_unit("Utan kod 2", "team", org.family)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_unit("Dubblett", "unit", org.children, code="FAM-01")


# --- the calendar -----------------------------------------------------------------------------

def test_year_calendar_nests_months_in_tertials_in_the_year():
    year = year_calendar(2028)
    assert [t.number for t in year.children] == [1, 2, 3]
    assert [m.number for m in year.children[1].children] == [5, 6, 7, 8]
    assert year.children[0].children[1].end == datetime.date(2028, 2, 29)  # leap year
    assert year.children[2].end == datetime.date(2028, 12, 31)


@pytest.mark.parametrize("month,tertial", [(1, 1), (4, 1), (5, 2), (8, 2), (9, 3), (12, 3)])
def test_tertial_of_month(month, tertial):
    assert tertial_of_month(month) == tertial


@pytest.mark.parametrize("code,expected", [
    ("2026", (2026, "year", 1)), ("2026-T1", (2026, "tertial", 1)), ("2026-t3", (2026, "tertial", 3)),
    ("T2 2026", (2026, "tertial", 2)), ("2026-01", (2026, "month", 1)), ("2026-1", (2026, "month", 1)),
    ("202612", (2026, "month", 12)), (" 2026-11 ", (2026, "month", 11)),
])
def test_period_codes_as_written_in_files(code, expected):
    assert parse_period_code(code) == expected


@pytest.mark.parametrize("code", ["", "26", "2026-13", "2026-T4", "2026-00", "jan 2026", "202613", "2026-T", "abcd"])
def test_unknown_period_codes_are_refused(code):
    with pytest.raises(ValueError):
        parse_period_code(code)


def test_periods_have_swedish_labels_and_import_codes(year_2026):
    month = Period.objects.get(year=year_2026, kind="month", number=5)
    tertial = Period.objects.get(year=year_2026, kind="tertial", number=2)
    whole = Period.objects.get(year=year_2026, kind="year")
    assert (month.label, month.code) == ("maj 2026", "2026-05")
    assert (tertial.label, tertial.code) == ("T2 2026", "2026-T2")
    assert (whole.label, whole.code, str(whole)) == ("2026", "2026", "2026")
    assert month.parent == tertial and tertial.parent == whole


def test_a_year_has_sixteen_periods(year_2026):
    assert year_2026.periods.count() == 16


def test_has_ended_compares_with_the_last_day(year_2026):
    march = Period.objects.get(year=year_2026, kind="month", number=3)
    assert not march.has_ended(datetime.date(2026, 3, 31))
    assert march.has_ended(datetime.date(2026, 4, 1))


def test_database_refuses_a_period_outside_its_year(year_2026):
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(year=year_2026, kind="month", number=1, start=datetime.date(2025, 12, 1),
                              end=datetime.date(2025, 12, 31),
                              parent=Period.objects.get(year=year_2026, kind="tertial", number=1))


def test_database_refuses_a_month_outside_its_tertial(year_2026):
    Period.objects.filter(year=year_2026, kind="month", number=5).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(year=year_2026, kind="month", number=5, start=datetime.date(2026, 5, 1),
                              end=datetime.date(2026, 5, 31),
                              parent=Period.objects.get(year=year_2026, kind="tertial", number=1))


def test_database_refuses_shrinking_a_tertial_below_its_months(year_2026):
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.filter(year=year_2026, kind="tertial", number=1).update(end=datetime.date(2026, 3, 31))


def test_database_refuses_changing_the_year_of_a_year_with_periods(year_2026):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingYear.objects.filter(pk=year_2026.pk).update(year=2027)


def test_database_refuses_a_period_that_ends_before_it_starts(year_2026):
    other = make_year(2027)
    Period.objects.filter(year=other, kind="month", number=2).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(year=other, kind="month", number=2, start=datetime.date(2027, 2, 28),
                              end=datetime.date(2027, 2, 1),
                              parent=Period.objects.get(year=other, kind="tertial", number=1))


def test_period_clean_explains_the_nesting_rule(year_2026):
    period = Period(year=year_2026, kind="month", number=12, start=datetime.date(2027, 1, 1),
                    end=datetime.date(2027, 1, 31), parent=None)
    with pytest.raises(ValidationError):
        period.clean()


# --- political goals --------------------------------------------------------------------------

def test_political_goal_span_must_run_forwards(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliticalGoal.objects.create(board=org.board, code="1", title="Mål", short_title="Mål", valid_from=2027,
                                     valid_to=2023)


def test_political_goal_is_valid_within_its_span(org):
    goal = PoliticalGoal.objects.create(board=org.board, code="1", title="Rätt stöd i rätt tid",
                                        short_title="Rätt stöd", valid_from=2023, valid_to=2026)
    assert goal.is_valid_in(2023) and goal.is_valid_in(2026) and not goal.is_valid_in(2027)
    assert str(goal) == "1. Rätt stöd i rätt tid"


@pytest.mark.parametrize("short_title", ["Rätt stöd: nu", "Barn/unga", "Mål?", "[Ekonomi]", "'Citat'", "A*B"])
def test_short_titles_that_excel_refuses_as_sheet_names_are_rejected(org, short_title):
    goal = PoliticalGoal(board=org.board, code="9", title="Mål", short_title=short_title, valid_from=2023, valid_to=2026)
    with pytest.raises(ValidationError) as error:
        goal.full_clean()
    assert "short_title" in error.value.message_dict


def test_a_plain_swedish_short_title_is_accepted(org):
    PoliticalGoal(board=org.board, code="9", title="Mål", short_title="Trygga barn och unga", valid_from=2023,
                  valid_to=2026).full_clean()


def test_clean_refuses_changing_the_kind_of_a_unit_that_has_teams(org):
    org.family.kind = "department"
    with pytest.raises(ValidationError) as error:
        org.family.full_clean(exclude=["path", "depth"])
    assert "kind" in error.value.message_dict


def test_clean_accepts_an_unchanged_unit_with_teams(org):
    org.family.full_clean(exclude=["path", "depth"])
