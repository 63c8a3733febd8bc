"""No lost updates (docs/architecture.md §9): concurrent writers of the same record, each with its own
database connection, through the real service. Needs PostgreSQL: SQLite serialises writers on
one file lock and would prove nothing about row locks; CI runs the suite on PostgreSQL too."""

import threading

import pytest
from django.db import connection, connections

from governance.concurrency import StaleWrite
from governance.models import Role
from scorecards import services
from scorecards.models import Activity, Perspective, ScorecardGoal
from tests.conftest import make_user

WRITERS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrent writers need PostgreSQL row locks; run with DATABASE_URL=postgres://..."),
]


@pytest.fixture
def activity(org, scorecard, political_goal):
    perspective = Perspective.objects.create(name="Invånare/brukare", order=1)
    goal = ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective, title="Familjer får stöd i tid")
    goal.political_goals.set([political_goal])
    return Activity.objects.create(team=org.north, title="Öppen mottagning", created_by=None)


@pytest.fixture
def writers(org):
    return [make_user(f"medarbetare-{n}", (org.north, Role.TEAM_MEMBER)) for n in range(WRITERS)]


def run_in_threads(work, users):
    """Run ``work(index, user)`` in one thread per user, released together by a barrier."""
    barrier = threading.Barrier(len(users))
    results = [None] * len(users)

    def thread_main(index, user):
        try:
            barrier.wait(timeout=30)
            results[index] = ("ok", work(index, user))
        except StaleWrite as error:
            results[index] = ("stale", str(error))
        except Exception as error:  # reported by the assertion below, with its type
            results[index] = ("error", repr(error))
        finally:
            connections.close_all()  # each thread has its own connection; leave none open

    threads = [threading.Thread(target=thread_main, args=(i, u)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return results


def changes_of(activity):
    return activity.history.filter(history_type="~").order_by("history_date", "history_id")


def test_of_writers_who_read_the_same_version_exactly_one_wins_and_the_others_are_told(activity, writers):
    read_version = Activity.objects.get(pk=activity.pk).version
    history_before = activity.history.count()

    def write(index, user):
        fresh = Activity.objects.get(pk=activity.pk)
        return services.activity_update(user=user, activity=fresh, expected_version=read_version,
                                        title=f"Titel från skribent {index}").title

    results = run_in_threads(write, writers)

    assert not [r for r in results if r[0] == "error"], results
    winners = [(i, r[1]) for i, r in enumerate(results) if r[0] == "ok"]
    refused = [r[1] for r in results if r[0] == "stale"]
    assert len(winners) == 1
    assert len(refused) == WRITERS - 1
    assert set(refused) == {str(StaleWrite.message)}  # every refused writer got the message
    winner_index, winner_title = winners[0]
    final = Activity.objects.get(pk=activity.pk)
    assert final.title == winner_title == f"Titel från skribent {winner_index}"
    assert final.version == read_version + 1
    # exactly one new change in the history, with the winner as its author and its title
    assert activity.history.count() == history_before + 1
    [change] = changes_of(activity)
    assert change.title == winner_title and change.history_user == writers[winner_index]


def test_writers_who_reread_and_retry_all_land_and_the_history_holds_every_write(activity, writers):
    start_version = Activity.objects.get(pk=activity.pk).version
    attempts = [0] * WRITERS

    def write_until_accepted(index, user):
        while True:
            attempts[index] += 1
            fresh = Activity.objects.get(pk=activity.pk)
            try:
                return services.activity_update(user=user, activity=fresh, expected_version=fresh.version,
                                                description=f"Rad från skribent {index}").description
            except StaleWrite:
                if attempts[index] > 100:
                    raise

    results = run_in_threads(write_until_accepted, writers)

    assert [r[0] for r in results] == ["ok"] * WRITERS, results
    final = Activity.objects.get(pk=activity.pk)
    assert final.version == start_version + WRITERS
    changes = list(changes_of(activity))
    assert len(changes) == WRITERS
    # nothing vanished: every writer's text is in the history once, by that writer, one version each
    assert sorted((c.description, c.history_user_id) for c in changes) == sorted(
        (f"Rad från skribent {i}", writers[i].pk) for i in range(WRITERS))
    assert [c.version for c in changes] == list(range(start_version + 1, start_version + WRITERS + 1))
    assert final.description == changes[-1].description
    assert sum(attempts) >= WRITERS  # and the losers of each race retried
