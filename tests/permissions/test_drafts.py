"""Drafts are read by those who write them and their manager, on every face (issue 12, class 5).

One rule (``reporting.models.FollowUpQuerySet.readable_by`` / ``can_read_follow_up``): a draft or
returned follow-up is read by the team (or unit) that writes it and by the unit manager who reviews
it; the board, the controllers and other teams see a follow-up once it has been submitted. The
follow-up page, the API, the unit's review page and the history pages all follow it.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Role
from reporting import services
from reporting.models import FollowUp
from tests.conftest import make_user
from tests.reporting.test_followup_views import goal, open_round, perspective  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

ROLES = ("outsider", "other_team_member", "team_member", "unit_manager", "board_member", "controller", "superuser")
DRAFT_TEXT = "Hemligt utkast om familjen Andersson"
SUBMITTED_TEXT = "Vi startade en föräldragrupp på kvällstid."


@pytest.fixture
def other_team_member(org):
    return make_user("soder", (org.south, Role.TEAM_MEMBER))


@pytest.fixture
def users(outsider, other_team_member, team_member, unit_manager, board_member, controller, superuser):
    return dict(zip(ROLES, (outsider, other_team_member, team_member, unit_manager, board_member, controller,
                            superuser)))


@pytest.fixture
def draft(org, team_member, open_round, goal):  # noqa: F811
    return services.follow_up_save(user=team_member, reporting_round=open_round, org_unit=org.north,
                                   scorecard_goal=goal, what_we_did=DRAFT_TEXT)


def submit(team_member, follow_up):
    saved = services.follow_up_save(
        user=team_member, reporting_round=follow_up.round, org_unit=follow_up.org_unit,
        scorecard_goal=follow_up.scorecard_goal, expected_version=follow_up.version, what_we_did=SUBMITTED_TEXT,
        effect_for_citizens="Färre akuta möten.", learning="Kvällstid passar fler.", next_step="Fortsätta.",
        self_assessment="partly")
    return services.follow_up_submit(user=team_member, follow_up=saved, expected_version=saved.version)


def answers(client, users, url):
    observed = []
    for role in ROLES:
        client.force_login(users[role])
        response = client.get(url)
        shown = DRAFT_TEXT in response.content.decode()
        observed.append(f"{response.status_code}{'+draft' if shown else ''}")
    return " ".join(observed)


# outsider other_team_member team_member unit_manager board_member controller superuser
DRAFT_PAGE = "404 404 200+draft 200+draft 404 404 200+draft"
DRAFT_API = "404 404 200+draft 200+draft 404 404 200+draft"
DRAFT_HISTORY = "404 404 404 404 404 404 200+draft"


def test_the_draft_follow_up_page_is_read_only_by_the_team_and_its_manager(client, users, draft, org, open_round, goal):  # noqa: F811
    url = reverse("reporting:follow-up", args=[open_round.pk, org.north.pk, goal.pk])
    assert answers(client, users, url) == DRAFT_PAGE


def test_the_api_reads_a_draft_by_the_same_rule(client, users, draft):
    url = reverse("api:follow-up-detail", kwargs={"pk": draft.pk})
    assert answers(client, users, url) == DRAFT_API
    listed = []
    for role in ROLES:
        client.force_login(users[role])
        listed.append(DRAFT_TEXT in client.get(reverse("api:follow-up-list")).content.decode())
    assert listed == [False, False, True, True, False, False, True]


def test_the_history_of_a_draft_is_not_shown_to_controllers(client, users, draft):
    url = reverse("history", kwargs={"label": "reporting.followup", "pk": draft.pk})
    assert answers(client, users, url) == DRAFT_HISTORY


def test_once_submitted_the_history_shows_the_submitted_version_but_not_the_draft(client, users, draft, team_member):
    submit(team_member, draft)
    url = reverse("history", kwargs={"label": "reporting.followup", "pk": draft.pk})
    client.force_login(users["controller"])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert SUBMITTED_TEXT in page
    assert DRAFT_TEXT not in page  # neither as a version nor as the "before" of the submission
    client.force_login(users["superuser"])
    assert DRAFT_TEXT in client.get(url).content.decode()


def test_a_deleted_draft_is_not_listed_to_controllers(client, users, draft):
    FollowUp.objects.filter(pk=draft.pk).delete()
    url = reverse("history-deleted", kwargs={"label": "reporting.followup"})
    client.force_login(users["controller"])
    response = client.get(url)
    assert response.status_code == 200
    assert reverse("history", kwargs={"label": "reporting.followup", "pk": draft.pk}) not in response.content.decode()
    client.force_login(users["superuser"])
    assert reverse("history", kwargs={"label": "reporting.followup", "pk": draft.pk}) in client.get(url).content.decode()


def test_the_units_review_page_shows_drafts_only_to_the_team_and_its_manager(client, users, draft, org, open_round):  # noqa: F811
    url = reverse("reporting:unit-review", args=[org.family.pk, open_round.pk])
    assert answers(client, users, url) == "404 200 200+draft 200+draft 200 200 200+draft"


def test_a_submitted_follow_up_is_read_by_everyone_who_reads_the_team(client, users, draft, team_member, org,
                                                                       open_round, goal):  # noqa: F811
    submit(team_member, draft)
    page = reverse("reporting:follow-up", args=[open_round.pk, org.north.pk, goal.pk])
    api = reverse("api:follow-up-detail", kwargs={"pk": draft.pk})
    for url in (page, api):
        statuses = []
        for role in ROLES:
            client.force_login(users[role])
            statuses.append(client.get(url).status_code)
        assert statuses == [404, 404, 200, 200, 200, 200, 200]


def test_the_rule_is_one_queryset_and_one_function_that_agree(users, draft, team_member):
    from reporting.models import can_read_follow_up

    for state in (FollowUp.State.DRAFT, FollowUp.State.RETURNED, FollowUp.State.SUBMITTED):
        FollowUp.objects.filter(pk=draft.pk).update(state=state, submitted_at=timezone.now())
        draft.state = state
        for role, user in users.items():
            in_queryset = FollowUp.objects.readable_by(user).filter(pk=draft.pk).exists()
            assert in_queryset == can_read_follow_up(user, draft), (state, role)
