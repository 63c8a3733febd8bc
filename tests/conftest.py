"""Shared fixtures: a small organisation and one user per role, plus an outsider.

    Socialnämnden (board)                       ← board_member
      Socialförvaltningen (administration)      ← controller
        Barn och familj (department)
          Familjebehandling (unit, FAM-01)      ← unit_manager
            Team Norr (team)                    ← team_member
            Team Söder (team)
          Barnutredning (unit, BUT-01)
            Utredningsteam (team)
        Vuxen (department)
          Ekonomiskt bistånd (unit, EKB-02)
    Äldrenämnden (another board, for leaks across boards)
      Äldreförvaltningen
        Hemtjänst (unit)
"""

from types import SimpleNamespace

import pytest

from governance.models import Membership, OrgUnit, Role, User
from governance.periods import year_calendar
from governance.models import Period, PoliticalGoal, ReportingYear
from scorecards.models import Scorecard


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing with the production hasher costs most of a second per user on these machines;
    tests do not test the hasher, so they use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def login_throttling_only_where_tested(request, settings):
    """django-axes refuses ``authenticate()`` without a request, which is what the test
    client's ``client.login()`` does. Tests that are not about login throttling run without
    it; browser tests (real login form, live server) and tests that ask for the
    ``login_throttling`` fixture (tests/security) run with it."""
    if "live_server" not in request.fixturenames and "login_throttling" not in request.fixturenames:
        settings.AXES_ENABLED = False


def make_unit(name, kind, parent=None, code=""):
    return OrgUnit.objects.create(name=name, kind=kind, parent=parent, external_code=code)


def make_user(username, *memberships, **extra):
    user = User.objects.create_user(username=username, password="test-password-123", **extra)
    for unit, role in memberships:
        Membership.objects.create(user=user, org_unit=unit, role=role)
    return user


def make_year(year):
    """A reporting year with its periods, without going through a permission check."""
    reporting_year = ReportingYear.objects.create(year=year)

    def build(spec, parent):
        period = Period.objects.create(year=reporting_year, kind=spec.kind, number=spec.number, start=spec.start,
                                       end=spec.end, parent=parent)
        for child in spec.children:
            build(child, period)

    build(year_calendar(year), None)
    return reporting_year


@pytest.fixture
def org(db):
    board = make_unit("Socialnämnden", "board")
    administration = make_unit("Socialförvaltningen", "administration", board)
    children = make_unit("Barn och familj", "department", administration)
    family = make_unit("Familjebehandling", "unit", children, "FAM-01")
    north = make_unit("Team Norr", "team", family, "FAM-01-N")
    south = make_unit("Team Söder", "team", family, "FAM-01-S")
    investigation = make_unit("Barnutredning", "unit", children, "BUT-01")
    investigation_team = make_unit("Utredningsteam", "team", investigation)
    adults = make_unit("Vuxen", "department", administration)
    income = make_unit("Ekonomiskt bistånd", "unit", adults, "EKB-02")
    elderly_board = make_unit("Äldrenämnden", "board")
    elderly_admin = make_unit("Äldreförvaltningen", "administration", elderly_board)
    home_care = make_unit("Hemtjänst", "unit", elderly_admin, "HT-01")
    return SimpleNamespace(
        board=board, administration=administration, children=children, family=family, north=north, south=south,
        investigation=investigation, investigation_team=investigation_team, adults=adults, income=income,
        elderly_board=elderly_board, elderly_admin=elderly_admin, home_care=home_care,
    )


@pytest.fixture
def board_member(org):
    return make_user("ledamot", (org.board, Role.BOARD_MEMBER), first_name="Anna", last_name="Lindqvist")


@pytest.fixture
def controller(org):
    return make_user("strateg", (org.administration, Role.CONTROLLER), first_name="Karin", last_name="Berg")


@pytest.fixture
def unit_manager(org):
    return make_user("enhetschef", (org.family, Role.UNIT_MANAGER), first_name="Johan", last_name="Ek")


@pytest.fixture
def team_member(org):
    return make_user("medarbetare", (org.north, Role.TEAM_MEMBER), first_name="Sara", last_name="Nilsson")


@pytest.fixture
def outsider(org):
    """Logged in, but with no membership anywhere."""
    return make_user("utomstaende")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="admin", password="test-password-123")


@pytest.fixture
def year_2026(db):
    return make_year(2026)


@pytest.fixture
def political_goal(org):
    """A political goal of Socialnämnden for the mandate period 2023–2026."""
    return PoliticalGoal.objects.create(board=org.board, code="1", title="Invånare får rätt stöd i rätt tid",
                                        short_title="Rätt stöd i rätt tid", valid_from=2023, valid_to=2026)


@pytest.fixture
def elderly_political_goal(org):
    """A political goal of the other board, for tests that nothing crosses boards."""
    return PoliticalGoal.objects.create(board=org.elderly_board, code="1", title="Äldre känner sig trygga",
                                        short_title="Trygghet", valid_from=2023, valid_to=2026)


@pytest.fixture
def scorecard(org, year_2026):
    """Familjebehandling's scorecard for 2026."""
    return Scorecard.objects.create(unit=org.family, year=year_2026)
