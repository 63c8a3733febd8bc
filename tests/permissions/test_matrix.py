"""The permission matrix: every URL of the app, called as every role, compared with the answer we expect.

The list of URLs comes from the URL configuration itself, so a new view or API endpoint that is not
in ``EXPECTED`` fails ``test_every_url_is_in_the_matrix`` until someone decides who may see it. Each
URL with an object in it is called twice: with an object inside the demo's Familjebehandling unit
(the team member's and the unit manager's own scope, "own") and with one in Missbruk och beroende
("foreign"), so a view that forgets the scope check shows up as a 200 where a 404 belongs.

Answers are written as one status per role in ``ROLES`` order, e.g. ``"302 404 200 200 200 200 200"``,
first for a GET and then for an empty POST (rolled back after each call). To see the observed matrix after a change, run
``TILLIT_PRINT_MATRIX=1 pytest tests/permissions -s``; copy only what you have checked is right.

The Django admin is outside this matrix: its scoping (one rule shared with the rest of the app) is
tested in ``tests/test_admin.py``.
"""

import os
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fixtures.demo import build_demo
from governance.models import OrgUnit, Period, PoliticalGoal, User

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "team_member", "unit_manager", "board_member", "controller", "superuser")
DEMO_USERNAMES = {"team_member": "medarbetare", "unit_manager": "enhetschef", "board_member": "ledamot",
                  "controller": "strateg", "superuser": "admin"}
# URL prefixes outside the matrix, with the reason.
NOT_IN_MATRIX = (
    "admin/",  # scoped by governance/admin_scope.py, tested in tests/test_admin.py
    "i18n/",  # language switch: public by design
    "static/", "media/",
)


def url_names():
    """Every named URL outside NOT_IN_MATRIX, as (namespaced name, route, kwarg names)."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, route, tuple(pattern.pattern.regex.groupindex)

    found = {}
    for name, route, kwargs in walk(get_resolver().url_patterns, "", None):
        if not route.startswith(NOT_IN_MATRIX):
            found.setdefault(name, (route, kwargs))
    return found


@dataclass
class Side:
    """The objects of one side of the demo (own or foreign) that URLs point at."""

    unit: OrgUnit
    team: object
    scorecard: object
    goal: object
    link: object
    period: object
    activity: object
    follow_up: object


class World:
    def __init__(self):
        from reporting.models import FollowUp, ReportingRound
        from scorecards.models import Activity, Scorecard

        build_demo()
        self.users = {role: User.objects.get(username=name) for role, name in DEMO_USERNAMES.items()}
        self.users["outsider"] = User.objects.create_user("utomstaende", password="x-not-used-2026")
        self.open_round = ReportingRound.objects.get(state=ReportingRound.State.OPEN)
        self.closed_round = ReportingRound.objects.filter(state=ReportingRound.State.CLOSED).order_by("-period__end").first()
        self.political_goal = PoliticalGoal.objects.filter(board=self.open_round.board).order_by("pk").first()
        self.sides = {}
        for side, unit_code, team_code in (("own", "FAM-01", "FAM-01-N"), ("foreign", "MOB-01", "MOB-01-O")):
            unit = OrgUnit.objects.get(external_code=unit_code)
            team = OrgUnit.objects.get(external_code=team_code)
            scorecard = Scorecard.objects.get(unit=unit, year__year=2026)
            link = scorecard.indicator_links.select_related("indicator").order_by("pk").first()
            period = Period.objects.filter(year=scorecard.year, kind=link.indicator.period_kind).order_by("start").first()
            self.sides[side] = Side(
                unit=unit, team=team, scorecard=scorecard, goal=scorecard.goals.order_by("pk").first(), link=link,
                period=period, activity=Activity.objects.filter(team=team).order_by("pk").first(),
                follow_up=FollowUp.objects.filter(round=self.open_round, org_unit__path__startswith=unit.path)
                .order_by("pk").first(),
            )


# The kwargs of each URL, from the world and a side. One entry per kwarg-name tuple would be
# ambiguous (``pk`` means a team here, a scorecard there), so it is per URL name.
def kwargs_for(name, world, side):
    s = world.sides[side]
    r = world.open_round
    table = {
        "scorecards:team-detail": {"pk": s.team.pk},
        "scorecards:activity-create": {"team_pk": s.team.pk},
        "scorecards:activity": {"pk": s.activity.pk},
        "scorecards:activity-edit": {"pk": s.activity.pk},
        "scorecards:scorecard": {"pk": s.scorecard.pk},
        "scorecards:goal-create": {"pk": s.scorecard.pk},
        "scorecards:goal-edit": {"pk": s.scorecard.pk, "goal_pk": s.goal.pk},
        "scorecards:indicator-create": {"pk": s.scorecard.pk},
        "scorecards:indicator-edit": {"pk": s.scorecard.pk, "link_pk": s.link.pk},
        "scorecards:grid-choose": {"pk": s.scorecard.pk},
        "scorecards:grid": {"pk": s.scorecard.pk, "period_pk": s.period.pk},
        "reporting:follow-up": {"round_pk": r.pk, "unit_pk": s.unit.pk, "goal_pk": s.goal.pk},
        "reporting:unit-round": {"unit_pk": s.unit.pk, "round_pk": r.pk},
        "reporting:unit-review": {"unit_pk": s.unit.pk, "round_pk": r.pk},
        "reporting:unit-review-decide": {"unit_pk": s.unit.pk, "round_pk": r.pk, "follow_up_pk": s.follow_up.pk},
        "reporting:indicator-chart": {"link_pk": s.link.pk, "round_pk": r.pk},
        "reporting:indicator-chart-png": {"link_pk": s.link.pk, "round_pk": r.pk},
    }
    return table.get(name)


# URLs without objects of a side: the same for both sides, listed under "any".
ROUND_URLS = {
    "reporting:goal-report-round", "reporting:goal-report-goal", "reporting:board-workbook",
    "reporting:board-report-compile", "reporting:board-report-assess", "reporting:board-report-summary",
    "reporting:board-report-ready", "reporting:board-report-adopt", "reporting:board-report-correct",
    "reporting:round-detail", "reporting:round-open", "reporting:round-close",
}


def round_kwargs(name, route, world):
    kwargs = {}
    if "round_pk" in route:
        kwargs["round_pk"] = world.open_round.pk
    if "<int:pk>" in route:
        kwargs["pk"] = world.open_round.pk
    if "goal_pk" in route:
        kwargs["goal_pk"] = world.political_goal.pk
    return kwargs


EXPECTED = {
    # name, side: (GET, POST), statuses in ROLES order:
    #   anonymous outsider team_member unit_manager board_member controller superuser
    ('home', 'any'): ('302 200 302 302 302 302 302', '302 200 302 302 302 302 302'),
    ('login', 'any'): ('200 302 302 302 302 302 302', '200 302 302 302 302 302 302'),
    ('logout', 'any'): ('405 405 405 405 405 405 405', '302 302 302 302 302 302 302'),
    ('reporting:board-report-adopt', 'any'): ('302 405 405 405 405 405 405', '302 404 403 403 403 200 200'),
    ('reporting:board-report-assess', 'any'): ('302 405 405 405 405 405 405', '302 404 403 403 403 200 200'),
    ('reporting:board-report-compile', 'any'): ('302 404 403 403 403 200 200', '302 405 405 405 405 405 405'),
    ('reporting:board-report-correct', 'any'): ('302 405 405 405 405 405 405', '302 404 403 403 403 302 302'),
    ('reporting:board-report-ready', 'any'): ('302 405 405 405 405 405 405', '302 404 403 403 403 200 200'),
    ('reporting:board-report-summary', 'any'): ('302 405 405 405 405 405 405', '302 404 403 403 403 302 302'),
    ('reporting:board-workbook', 'any'): ('302 404 200 200 200 200 200', '302 405 405 405 405 405 405'),
    ('reporting:follow-up', 'foreign'): ('302 404 404 404 200 200 200', '302 404 404 404 403 403 200'),
    ('reporting:follow-up', 'own'): ('302 404 200 200 200 200 200', '302 404 403 200 403 403 200'),
    ('reporting:goal-report', 'any'): ('302 404 302 302 302 302 302', '302 405 405 405 405 405 405'),
    ('reporting:goal-report-goal', 'any'): ('302 404 200 200 200 200 200', '302 405 405 405 405 405 405'),
    ('reporting:goal-report-round', 'any'): ('302 404 200 200 200 200 200', '302 405 405 405 405 405 405'),
    ('reporting:indicator-chart', 'foreign'): ('302 404 404 404 200 200 200', '302 405 405 405 405 405 405'),
    ('reporting:indicator-chart', 'own'): ('302 404 200 200 200 200 200', '302 405 405 405 405 405 405'),
    ('reporting:indicator-chart-png', 'foreign'): ('302 404 404 404 200 200 200', '302 405 405 405 405 405 405'),
    ('reporting:indicator-chart-png', 'own'): ('302 404 200 200 200 200 200', '302 405 405 405 405 405 405'),
    ('reporting:round-close', 'any'): ('302 405 405 405 405 405 405', '302 404 403 403 403 302 302'),
    ('reporting:round-create', 'any'): ('302 403 403 403 403 200 200', '302 403 403 403 403 200 200'),
    ('reporting:round-detail', 'any'): ('302 404 403 403 403 200 200', '302 405 405 405 405 405 405'),
    ('reporting:round-open', 'any'): ('302 405 405 405 405 405 405', '302 404 403 403 403 302 302'),
    ('reporting:rounds', 'any'): ('302 403 403 403 403 200 200', '302 405 405 405 405 405 405'),
    ('reporting:unit-review', 'foreign'): ('302 404 404 404 200 200 200', '302 404 404 404 200 200 200'),
    ('reporting:unit-review', 'own'): ('302 404 200 200 200 200 200', '302 404 200 200 200 200 200'),
    ('reporting:unit-review-decide', 'foreign'): ('302 405 405 405 405 405 405', '302 404 404 404 200 200 200'),
    ('reporting:unit-review-decide', 'own'): ('302 405 405 405 405 405 405', '302 404 200 200 200 200 200'),
    ('reporting:unit-round', 'foreign'): ('302 404 404 404 200 200 200', '302 404 404 404 200 200 200'),
    ('reporting:unit-round', 'own'): ('302 404 200 200 200 200 200', '302 404 200 200 200 200 200'),
    ('scorecards:activity', 'foreign'): ('302 404 404 404 200 200 200', '302 404 404 404 403 403 200'),
    ('scorecards:activity', 'own'): ('302 404 200 200 200 200 200', '302 404 200 200 403 403 200'),
    ('scorecards:activity-create', 'foreign'): ('302 404 404 404 403 403 200', '302 404 404 404 403 403 200'),
    ('scorecards:activity-create', 'own'): ('302 404 200 200 403 403 200', '302 404 200 200 403 403 200'),
    ('scorecards:activity-edit', 'foreign'): ('302 404 404 404 403 403 200', '302 404 404 404 403 403 200'),
    ('scorecards:activity-edit', 'own'): ('302 404 200 200 403 403 200', '302 404 200 200 403 403 200'),
    ('scorecards:goal-create', 'foreign'): ('302 404 404 404 403 403 200', '302 404 404 404 403 403 200'),
    ('scorecards:goal-create', 'own'): ('302 404 403 200 403 403 200', '302 404 403 200 403 403 200'),
    ('scorecards:goal-edit', 'foreign'): ('302 404 404 404 403 403 200', '302 404 404 404 403 403 200'),
    ('scorecards:goal-edit', 'own'): ('302 404 403 200 403 403 200', '302 404 403 200 403 403 200'),
    ('scorecards:grid', 'foreign'): ('302 404 404 404 403 200 200', '302 404 404 404 403 302 302'),
    ('scorecards:grid', 'own'): ('302 404 403 200 403 200 200', '302 404 403 302 403 302 302'),
    ('scorecards:grid-choose', 'foreign'): ('302 404 404 404 302 302 302', '302 404 404 404 302 302 302'),
    ('scorecards:grid-choose', 'own'): ('302 404 302 302 302 302 302', '302 404 302 302 302 302 302'),
    ('scorecards:import', 'any'): ('302 403 403 200 403 200 200', '302 403 403 200 403 200 200'),
    ('scorecards:import-preview', 'foreign'): 'no kwargs known',
    ('scorecards:import-preview', 'own'): 'no kwargs known',
    ('scorecards:indicator-create', 'foreign'): ('302 404 404 404 403 403 200', '302 404 404 404 403 403 200'),
    ('scorecards:indicator-create', 'own'): ('302 404 403 200 403 403 200', '302 404 403 200 403 403 200'),
    ('scorecards:indicator-edit', 'foreign'): ('302 404 404 404 403 403 200', '302 404 404 404 403 403 200'),
    ('scorecards:indicator-edit', 'own'): ('302 404 403 200 403 403 200', '302 404 403 200 403 403 200'),
    ('scorecards:my-scorecard', 'any'): ('302 200 200 302 200 200 200', '302 200 200 302 200 200 200'),
    ('scorecards:scorecard', 'foreign'): ('302 404 404 404 200 200 200', '302 404 404 404 200 200 200'),
    ('scorecards:scorecard', 'own'): ('302 404 200 200 200 200 200', '302 404 200 200 200 200 200'),
    ('scorecards:team', 'any'): ('302 404 200 200 404 404 200', '302 404 200 200 404 404 200'),
    ('scorecards:team-detail', 'foreign'): ('302 404 404 404 200 200 200', '302 404 404 404 200 200 200'),
    ('scorecards:team-detail', 'own'): ('302 404 200 200 200 200 200', '302 404 200 200 200 200 200'),
}


def observed_matrix(client, world):
    observed = {}
    names = url_names()
    for name, (route, kwarg_names) in sorted(names.items()):
        if not kwarg_names:
            cases = [("any", {})]
        elif name in ROUND_URLS:
            cases = [("any", round_kwargs(name, route, world))]
        else:
            cases = [(side, kwargs_for(name, world, side)) for side in ("own", "foreign")]
        for side, kwargs in cases:
            if kwargs is None:
                observed[(name, side)] = "no kwargs known"
                continue
            url = reverse(name, kwargs=kwargs)
            answers = {"GET": [], "POST": []}
            for role in ROLES:
                client.logout()
                if role != "anonymous":
                    client.force_login(world.users[role])
                answers["GET"].append(str(client.get(url).status_code))
                # An empty POST: refused outright where the role may not write, a form error (200/400)
                # or a redirect where it may. Each POST is rolled back so the next role meets the same data.
                savepoint = transaction.savepoint()
                try:
                    answers["POST"].append(str(client.post(url, {}).status_code))
                finally:
                    transaction.savepoint_rollback(savepoint)
            observed[(name, side)] = (" ".join(answers["GET"]), " ".join(answers["POST"]))
    return observed


def test_every_url_is_in_the_matrix():
    missing = sorted(name for name in url_names() if not any(key[0] == name for key in EXPECTED))
    assert not missing, f"URLs without an entry in the permission matrix: {missing}"


def test_every_role_gets_the_expected_answer_on_every_url(client):
    world = World()
    observed = observed_matrix(client, world)
    if os.environ.get("TILLIT_PRINT_MATRIX"):
        for key, answers in sorted(observed.items()):
            print(f"    {key!r}: {answers!r},")
    mismatches = [f"{key}: expected {EXPECTED.get(key)!r}, got {answers!r}"
                  for key, answers in sorted(observed.items()) if EXPECTED.get(key) != answers]
    assert not mismatches, "\n".join(mismatches)
