"""The goal drill-down lists its contributing units a page at a time, with a search on the name,
a filter for units with a divergence and a link from each divergence line to its unit. The
evidence at the top always covers every unit; live and adopted reports page alike."""

import pytest
from django.urls import reverse

from reporting.evidence import board_report_data, goal_units
from reporting.views import board as board_views
from reporting.views.board import UnitEntry, filter_units
from tests.reporting.test_board_views import adopt, goal_url
from tests.reporting.test_evidence import TODAY, grow, report_world  # noqa: F401  (fixture)

# --- the filter (a pure function) ------------------------------------------------------------------------

ENTRIES = [UnitEntry(1, "Familjebehandling Angered", True), UnitEntry(2, "Barnutredning", False),
           UnitEntry(3, "Familjehem Öster", False), UnitEntry(None, "Ekonomiskt bistånd", True)]


@pytest.mark.parametrize("choice,expected", [
    ({}, [1, 2, 3, None]),
    ({"query": "famil"}, [1, 3]),
    ({"query": "FAMILJE"}, [1, 3]),
    ({"query": "öster"}, [3]),
    ({"query": "ÖSTER"}, [3]),
    ({"query": "saknas"}, []),
    ({"divergent_only": True}, [1, None]),
    ({"query": "famil", "divergent_only": True}, [1]),
    ({"unit_id": 2}, [2]),
    ({"unit_id": 2, "query": "famil", "divergent_only": True}, [2]),  # one unit asked for by its link
    ({"unit_id": 99}, []),
])
def test_filter_units(choice, expected):
    assert [e.unit_id for e in filter_units(ENTRIES, **choice)] == expected


# --- the page -------------------------------------------------------------------------------------------

@pytest.fixture
def paged(monkeypatch):
    """Two units a page, so that the small world has several pages."""
    monkeypatch.setattr(board_views, "UNITS_PER_PAGE", 2)


def unit_names(response):
    return [unit.name for unit in response.context["units"]]


def test_the_units_are_listed_a_page_at_a_time_in_the_organisations_order(client, report_world, board_member, paged):
    grow(report_world, 3)  # Enhet 0-2 beside Familjebehandling, Barnutredning and Ekonomiskt bistånd
    client.force_login(board_member)
    everyone = [name for _, name in goal_units(user=board_member, reporting_round=report_world.round,
                                               political_goal=report_world.goal_support)]
    assert len(everyone) == 6 and {"Familjebehandling", "Barnutredning", "Ekonomiskt bistånd"} <= set(everyone)
    pages = []
    for number in (1, 2, 3):
        response = client.get(goal_url(report_world), {"page": number})
        assert response.status_code == 200
        pages.append(unit_names(response))
        html = response.content.decode()
        assert f"Visar enheterna {2 * number - 1}–{2 * number} av 6." in html
        assert 'aria-label="Sidor med bidragande enheter"' in html
    assert sum(pages, []) == everyone and all(len(p) == 2 for p in pages)
    # Every page carries the evidence of the whole goal, not of its own units.
    first = client.get(goal_url(report_world), {"page": 1}).context["summary"]
    last = client.get(goal_url(report_world), {"page": 3}).context["summary"]
    assert first == last
    assert sum(c.count for c in first.mandated) == 2 + 3  # two original units and three grown ones


def test_a_page_out_of_range_or_not_a_number_shows_a_page_not_an_error(client, report_world, board_member, paged):
    client.force_login(board_member)
    last = client.get(goal_url(report_world), {"page": 2})
    assert client.get(goal_url(report_world), {"page": 999}).context["units"] == last.context["units"]
    first = client.get(goal_url(report_world))
    for page in ("abc", "-1", "0", "1" * 40):
        response = client.get(goal_url(report_world), {"page": page})
        assert response.status_code == 200
        assert unit_names(response) in (unit_names(first), unit_names(last))


def test_the_pager_keeps_the_search(client, report_world, board_member, paged):
    grow(report_world, 3)
    client.force_login(board_member)
    response = client.get(goal_url(report_world), {"q": "enhet"})
    assert unit_names(response) == ["Enhet 0", "Enhet 1"]
    html = response.content.decode()
    assert 'href="?q=enhet&amp;page=2"' in html
    assert unit_names(client.get(goal_url(report_world), {"q": "enhet", "page": 2})) == ["Enhet 2"]


def test_search_divergence_filter_and_a_single_unit(client, report_world, board_member):
    client.force_login(board_member)
    assert unit_names(client.get(goal_url(report_world), {"q": "FAMILJE"})) == ["Familjebehandling"]
    assert unit_names(client.get(goal_url(report_world), {"divergent": "on"})) == ["Familjebehandling"]
    investigation = report_world.org.investigation
    response = client.get(goal_url(report_world), {"unit": investigation.pk})
    assert unit_names(response) == ["Barnutredning"]
    html = response.content.decode()
    assert f'id="unit-{investigation.pk}"' in html
    assert f'href="{goal_url(report_world)}">Visa alla enheter</a>' in html
    none = client.get(goal_url(report_world), {"q": "Finns inte"})
    assert unit_names(none) == [] and "Ingen bidragande enhet matchar sökningen." in none.content.decode()


def test_the_divergence_line_links_to_its_unit(client, report_world, board_member):
    client.force_login(board_member)
    html = client.get(goal_url(report_world)).content.decode()
    family = report_world.org.family
    link = f'{goal_url(report_world)}?unit={family.pk}#unit-{family.pk}'
    assert f'<a href="{link}">Familjebehandling</a>:' in html
    response = client.get(link.split("#")[0])
    assert unit_names(response) == ["Familjebehandling"]


@pytest.mark.parametrize("params", [{"unit": "abc"}, {"unit": "-4"}, {"unit": "9" * 30}, {"q": "x" * 101}])
def test_bad_search_input_is_explained_in_swedish_and_the_rest_is_shown(client, report_world, board_member, params):
    client.force_login(board_member)
    response = client.get(goal_url(report_world), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "En del av sökningen kunde inte användas och lämnades därför bort:" in html
    # The invalid part is ignored: every unit is listed.
    assert len(response.context["units"]) == 3


def test_a_unit_outside_the_users_part_is_not_found_by_its_id(client, report_world, unit_manager):
    client.force_login(unit_manager)  # Familjebehandling's manager
    response = client.get(goal_url(report_world), {"unit": report_world.org.investigation.pk})
    assert response.status_code == 200
    assert unit_names(response) == [] and "Barnutredning" not in response.content.decode()


def test_an_adopted_report_is_paged_alike(client, report_world, board_member, controller, paged):
    grow(report_world, 3)
    adopt(report_world, controller)
    client.force_login(board_member)
    live_order = [name for _, name in goal_units(user=board_member, reporting_round=report_world.round,
                                                 political_goal=report_world.goal_support)]
    pages = [client.get(goal_url(report_world), {"page": n}) for n in (1, 2, 3)]
    assert all(p.context["frozen"] for p in pages)
    assert sum((unit_names(p) for p in pages), []) == live_order
    assert pages[0].context["summary"] == pages[2].context["summary"]
    family = report_world.org.family
    only = client.get(goal_url(report_world), {"unit": family.pk})
    assert unit_names(only) == ["Familjebehandling"] and f'id="unit-{family.pk}"' in only.content.decode()
    assert unit_names(client.get(goal_url(report_world), {"divergent": "on"})) == ["Familjebehandling"]


def test_a_small_goal_shows_no_search_and_no_pager(client, report_world, board_member):
    client.force_login(board_member)
    html = client.get(goal_url(report_world)).content.decode()
    assert 'class="unit-filter"' not in html and 'class="pagination"' not in html


# --- the rows of a page ---------------------------------------------------------------------------------

def test_the_rows_of_some_units_are_those_units_rows_of_the_whole(report_world, board_member):
    grow(report_world, 2)
    goal = report_world.goal_support
    whole = board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY,
                              with_details=True, only_goal=goal).goals[0]
    chosen = [report_world.org.family.pk, report_world.org.income.pk]
    part = board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY,
                             with_details=True, only_goal=goal, only_units=chosen, with_report=False)
    assert part.report is None and part.goals[0].assessment is None

    def described(contributions):
        return [(c.unit.pk, [g.pk for g in c.scorecard_goals],
                 [(r.link.pk, r.evaluation.status, r.series) for r in c.indicators],
                 [f.pk for f in c.follow_ups], [a.pk for a in c.activities]) for c in contributions]

    assert described(part.goals[0].units) == described(c for c in whole.units if c.unit.pk in chosen)
    assert {c.unit.pk for c in part.goals[0].units} == set(chosen)


def test_the_drill_down_link_of_the_report_page_still_works(client, report_world, board_member):
    client.force_login(board_member)
    url = reverse("reporting:goal-report-goal", args=[report_world.round.pk, report_world.goal_children.pk])
    assert client.get(url).status_code == 200
