"""The demo (fixtures/demo.py, manage.py load_demo): the same every time, believable, and valid.

Most tests share one build of the demo (class-scoped, rolled back afterwards); the tests that need
an empty database to start from build their own.
"""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings

from fixtures import demo
from governance.models import GoalArea, Membership, OrgUnit, Period, PoliticalGoal, ReportingYear, User
from governance.privacy import find_personal_data
from reporting.models import BoardReport, FollowUp, GoalAssessment, ReportingRound, UnitReport
from reporting.rules import DivergenceKind, IndicatorEvidence, SelfAssessmentEvidence, goal_evidence
from scorecards.models import (
    Activity,
    ActivityUpdate,
    Indicator,
    Measurement,
    Perspective,
    Scorecard,
    ScorecardGoal,
    ScorecardIndicator,
    Target,
)
from scorecards.status import Status, indicator_status

# Hashing the demo password with the real hasher costs a noticeable fraction of a second per
# login; the tests are about the data, not the hasher.
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]

MODELS = [
    OrgUnit, User, Membership, ReportingYear, Period, Perspective, GoalArea, PoliticalGoal, Indicator, Target,
    Scorecard, ScorecardGoal, ScorecardIndicator, Measurement, Activity, ActivityUpdate, ReportingRound,
    FollowUp, UnitReport, BoardReport, GoalAssessment,
]
# Fields that differ between two builds of the same content: keys, clocks, salted hashes, and
# the org path (made of primary keys).
VOLATILE_FIELDS = {"id", "password", "last_login", "date_joined", "created_at", "updated_at", "path"}


def canonical_dump():
    """Every row of the demo's tables as sorted natural tuples: foreign keys are replaced by the
    related row's own natural tuple, so primary keys and timestamps play no part."""
    rows = {model: {obj.pk: obj for obj in model.objects.all()} for model in MODELS}
    many = {}
    for model in MODELS:
        for field in model._meta.many_to_many:
            if field.related_model not in rows:
                continue  # groups and permissions: not demo content
            through = field.remote_field.through
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            pairs = many.setdefault((model, field.name), {})
            for left, right in through.objects.values_list(f"{source}_id", f"{target}_id"):
                pairs.setdefault(left, []).append(right)
    memo = {}

    def natural(model, pk):
        if pk is None:
            return None
        key = (model, pk)
        if key not in memo:
            obj = rows[model][pk]
            fields = []
            for field in model._meta.concrete_fields:
                if field.name in VOLATILE_FIELDS:
                    continue
                value = getattr(obj, field.attname)
                fields.append((field.name, natural(field.related_model, value) if field.is_relation else value))
            for field in model._meta.many_to_many:
                if (model, field.name) in many:
                    related = many[(model, field.name)].get(pk, [])
                    fields.append((field.name, sorted(repr(natural(field.related_model, r)) for r in related)))
            memo[key] = tuple(fields)
        return memo[key]

    return {model.__name__: sorted(repr(natural(model, pk)) for pk in rows[model]) for model in MODELS}


def table_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def status_of(measurement, targets):
    year_id = measurement.period.year_id
    target = (targets.get((measurement.indicator_id, year_id, measurement.unit_id))
              or targets[(measurement.indicator_id, year_id, None)])
    return indicator_status(
        value=measurement.value, target=target.target_value, direction=measurement.indicator.direction,
        target_max=target.target_max, yellow_threshold=target.yellow_threshold,
        tolerance_percent=target.tolerance_percent,
    )


def round_evidence(round_name, goal_code):
    """The evidence for one political goal in one round, gathered the way the board report does:
    each indicator judged on the last period of its frequency inside the round's period, and the
    approved follow-ups' self-assessments, both per unit."""
    reporting_round = ReportingRound.objects.select_related("period").get(name=round_name)
    within = reporting_round.period
    goal = PoliticalGoal.objects.get(board__name=demo.BOARD_NAME, code=goal_code)
    periods = list(Period.objects.filter(year=within.year))
    targets = {(t.indicator_id, t.year_id, t.unit_id): t for t in Target.objects.filter(year=within.year)}
    indicators = []
    for link in (ScorecardIndicator.objects.filter(goal__political_goals=goal, scorecard__year=within.year)
                 .select_related("indicator", "scorecard")):
        kind = link.indicator.period_kind
        inside = [p for p in periods if p.kind == kind and within.start <= p.start and p.end <= within.end]
        period = max(inside, key=lambda p: p.end) if kind != "year" else next(p for p in periods if p.kind == "year")
        measurement = Measurement.objects.filter(indicator=link.indicator, unit=link.scorecard.unit,
                                                 period=period).select_related("indicator", "period").first()
        if measurement is None:
            continue
        indicators.append(IndicatorEvidence(mandated=link.indicator.is_mandated,
                                            status=status_of(measurement, targets), unit_id=link.scorecard.unit_id))
    self_assessments = [
        SelfAssessmentEvidence(assessment=f.self_assessment or None, unit_id=f.scorecard_goal.scorecard.unit_id)
        for f in FollowUp.objects.filter(round=reporting_round, scorecard_goal__political_goals=goal,
                                         state=FollowUp.State.APPROVED).select_related("scorecard_goal__scorecard")
    ]
    return goal_evidence(indicators=indicators, self_assessments=self_assessments)


# --- building from an empty database ----------------------------------------------------------------

@override_settings(PASSWORD_HASHERS=FAST_HASHING)
def test_building_twice_from_empty_gives_the_same_content(db):
    dumps = []
    for _ in range(2):
        with transaction.atomic():
            demo.build_demo()
            dumps.append(canonical_dump())
            transaction.set_rollback(True)
    assert OrgUnit.objects.count() == 0
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["Measurement"]) > 400


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
def test_load_demo_twice_does_not_duplicate_anything(db):
    first = StringIO()
    call_command("load_demo", stdout=first)
    counts = table_counts()
    second = StringIO()
    call_command("load_demo", stdout=second)

    assert table_counts() == counts
    assert "Demodata inläst" in first.getvalue()
    assert "Demodata finns redan" in second.getvalue()
    for output in (first.getvalue(), second.getvalue()):
        assert demo.DEMO_PASSWORD in output
        assert "ledamot" in output and "enhetschef" in output and "medarbetare" in output


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
def test_load_demo_reset_builds_the_demo_again_from_an_empty_database(db):
    call_command("load_demo", stdout=StringIO())
    counts = table_counts()
    User.objects.create_user(username="extra", password="x")
    if connection.vendor == "postgresql":
        # Outside a test the first load is committed; here it is not, and PostgreSQL refuses to
        # truncate tables with foreign key checks still pending in the transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    call_command("load_demo", "--reset", stdout=StringIO())

    assert not User.objects.filter(username="extra").exists()
    assert table_counts() == counts
    assert OrgUnit.objects.filter(name=demo.BOARD_NAME).count() == 1


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
def test_load_demo_refuses_a_database_whose_names_collide_with_the_demo(db):
    User.objects.create_user(username="ledamot", password="x")

    with pytest.raises(CommandError, match="--reset"):
        call_command("load_demo", stdout=StringIO())
    assert not OrgUnit.objects.exists()


# --- the content, built once for the class ----------------------------------------------------------

@pytest.fixture(scope="class")
def demo_result(django_db_setup, django_db_blocker):
    """One demo for every test in the class, rolled back when the class is done."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHING):
        with transaction.atomic():
            yield demo.build_demo()
            transaction.set_rollback(True)


@pytest.mark.usefixtures("demo_result", "db")
class TestDemoContent:
    def test_organisation_has_a_board_administration_departments_units_and_teams(self):
        board = OrgUnit.objects.get(name="Socialnämnden", kind="board")
        units = board.subtree()
        assert units.filter(kind="administration", name="Socialförvaltningen").exists()
        assert set(units.filter(kind="department").values_list("name", flat=True)) >= {
            "Barn och familj", "Vuxen", "Försörjningsstöd och arbetsmarknad"}
        unit_names = set(units.filter(kind="unit").values_list("name", flat=True))
        assert 7 <= len(unit_names) <= 9
        assert {"Familjebehandling", "Barnutredning", "Ekonomiskt bistånd", "Missbruk och beroende",
                "Boendestöd"} <= unit_names
        for unit in units.filter(kind="unit"):
            assert 2 <= unit.children.filter(kind="team").count() <= 3
            assert unit.external_code
        assert not units.filter(kind__in=["unit", "team"], external_code="").exists()

    def test_political_goals_span_the_mandate_period_and_short_titles_can_name_excel_sheets(self):
        goals = PoliticalGoal.objects.filter(board__name=demo.BOARD_NAME)
        assert 5 <= goals.count() <= 6
        for goal in goals:
            assert (goal.valid_from, goal.valid_to) == (2023, 2026)
            assert len(goal.short_title) <= 31
            assert not set(goal.short_title) & set("[]:*?/\\")
            assert goal.scorecard_goals.filter(scorecard__year__year=2026).exists()

    def test_indicators_include_the_legal_and_kolada_ones_and_own_ones(self):
        investigations = Indicator.objects.get(external_code="BUT-4M")
        assert (investigations.mandate, investigations.mandate_source, investigations.measure_unit,
                investigations.direction) == ("regulator", "SoL 11 kap. 2 §", "percent", "increase")
        waiting = Indicator.objects.get(external_code="U31402")
        assert (waiting.kolada_kpi, waiting.measure_unit, waiting.direction) == ("U31402", "days", "decrease")
        for indicator in Indicator.objects.exclude(mandate="own"):
            assert indicator.owner.kind in ("board", "administration") and indicator.mandate_source
        own = Indicator.objects.filter(mandate="own")
        assert own.filter(owner__kind="unit").count() == own.count() >= 5
        assert {"monthly", "tertial"} <= set(own.values_list("frequency", flat=True))
        assert own.filter(direction="target", targets__target_max__isnull=False).exists()

    def test_every_unit_has_a_scorecard_per_year_with_goals_over_the_perspectives(self):
        for unit in OrgUnit.objects.filter(kind="unit"):
            for year in (2025, 2026):
                scorecard = Scorecard.objects.get(unit=unit, year__year=year)
                assert scorecard.mission
                goals = list(scorecard.goals.all())
                assert 3 <= len(goals) <= 5
                assert len({g.perspective_id for g in goals}) >= 3
                for goal in goals:
                    assert 1 <= goal.political_goals.count() <= 2
        assert ScorecardIndicator.objects.exclude(analysis="").count() >= 8

    def test_the_sample_csv_would_find_its_units_indicators_and_periods(self):
        for unit_code, indicator_code in (("FAM-01", "BUT-4M"), ("EKB-02", "U31402")):
            assert ScorecardIndicator.objects.filter(
                scorecard__unit__external_code=unit_code, scorecard__year__year=2026,
                indicator__external_code=indicator_code).exists()
        january = Measurement.objects.get(indicator__external_code="BUT-4M", unit__external_code="FAM-01",
                                          period__year__year=2026, period__kind="month", period__number=1)
        assert (january.value, january.comment) == (Decimal("78.5"), "Två utredningar förlängdes")

    def test_values_cover_2025_and_2026_up_to_october(self):
        values = Measurement.objects.filter(unit__path__startswith=OrgUnit.objects.get(name=demo.BOARD_NAME).path)
        assert values.filter(period__year__year=2025).count() > 200
        assert values.filter(period__year__year=2026).count() > 150
        assert values.filter(period__year__year=2026, period__kind="month").exclude(
            period__number__lte=10).count() == 0
        assert not values.filter(period__year__year=2026, period__kind="year").exists()
        assert not values.filter(period__year__year=2026, period__kind="tertial", period__number=3).exists()
        assert set(values.values_list("source", flat=True)) >= {"manual", "import", "kolada"}

    def test_some_values_are_known_to_be_missing_and_say_why(self):
        gaps = Measurement.objects.filter(value__isnull=True)
        assert gaps.exists()
        assert all(gap.comment for gap in gaps)

    def test_status_mix_is_mostly_met_with_partly_and_not_met(self):
        targets = {(t.indicator_id, t.year_id, t.unit_id): t for t in Target.objects.all()}
        statuses = Counter(status_of(m, targets) for m in Measurement.objects.select_related("indicator", "period"))
        assessed = statuses[Status.MET] + statuses[Status.PARTLY] + statuses[Status.NOT_MET]
        assert statuses[Status.MET] > assessed / 2
        assert statuses[Status.PARTLY] > assessed / 6
        assert statuses[Status.NOT_MET] > assessed / 25
        assert statuses[Status.MISSING] >= 1

    def test_teams_define_activities_in_every_status_with_updates_by_their_members(self):
        activities = Activity.objects.all()
        assert 10 <= activities.count() <= 25
        assert set(activities.values_list("status", flat=True)) == {"planned", "ongoing", "done", "paused",
                                                                   "cancelled"}
        for activity in activities.select_related("team"):
            assert activity.team.kind == "team" and activity.expected_citizen_value
            assert all(goal.scorecard.unit_id == activity.team.parent_id for goal in activity.goals.all())
            assert activity.goals.exists()
            updates = list(activity.updates.select_related("author"))
            assert 1 <= len(updates) <= 4
            for update in updates:
                assert Membership.objects.filter(user=update.author, org_unit=activity.team,
                                                 role="team_member").exists()

    def test_every_round_has_follow_ups_and_the_open_round_shows_progress(self):
        rounds = {r.name: r for r in ReportingRound.objects.all()}
        assert set(rounds) == {"Verksamhetsberättelse 2025", "T1 2026", "Delårsrapport T2 2026"}
        for name in ("Verksamhetsberättelse 2025", "T1 2026"):
            assert rounds[name].state == "closed"
            follow_ups = FollowUp.objects.filter(round=rounds[name])
            assert follow_ups.count() >= 30
            assert not follow_ups.exclude(state="approved").exists()
            assert not follow_ups.filter(reviewed_by__isnull=True).exists()
            assert not UnitReport.objects.filter(round=rounds[name]).exclude(state="submitted").exists()
        open_round = rounds["Delårsrapport T2 2026"]
        assert (open_round.state, open_round.deadline.isoformat()) == ("open", "2026-12-11")
        assert open_round.period.kind == "tertial" and open_round.period.number == 2
        states = Counter(FollowUp.objects.filter(round=open_round).values_list("state", flat=True))
        assert all(states[s] for s in ("draft", "submitted", "returned", "approved"))
        assert not FollowUp.objects.filter(round=open_round, state="returned", review_comment="").exists()
        report_states = set(UnitReport.objects.filter(round=open_round).values_list("state", flat=True))
        assert report_states == {"open", "submitted"}
        assert UnitReport.objects.filter(reporting_hours__isnull=False).exists()
        teams_without = OrgUnit.objects.filter(kind="team").exclude(follow_ups__round=open_round)
        assert teams_without.exists()

    def test_board_reports_are_ready_or_draft_but_never_adopted(self):
        reports = {r.round.name: r for r in BoardReport.objects.select_related("round")}
        assert reports["Verksamhetsberättelse 2025"].state == "ready"
        assert reports["T1 2026"].state == "ready"
        assert reports["Delårsrapport T2 2026"].state == "draft"
        goal_count = PoliticalGoal.objects.count()
        for name in ("Verksamhetsberättelse 2025", "T1 2026"):
            assessments = reports[name].goal_assessments.all()
            assert assessments.count() == goal_count
            assert all(a.assessment and a.text for a in assessments)
        assert not BoardReport.objects.filter(state="adopted").exists()

    def test_red_numbers_with_the_words_attained_show_as_a_divergence(self):
        evidence = round_evidence("Delårsrapport T2 2026", "1")
        reception = OrgUnit.objects.get(external_code="MOT-01")
        assert any(d.unit_id == reception.pk and d.kind == DivergenceKind.NUMBERS_WORSE
                   for d in evidence.divergences)

    def test_green_numbers_with_the_words_not_attained_show_as_a_divergence(self):
        evidence = round_evidence("Delårsrapport T2 2026", "3")
        employment = OrgUnit.objects.get(external_code="AME-01")
        assert any(d.unit_id == employment.pk and d.kind == DivergenceKind.WORDS_WORSE
                   for d in evidence.divergences)

    def test_every_demo_user_logs_in_with_the_demo_password_and_has_the_expected_role(self, client, settings):
        settings.PASSWORD_HASHERS = FAST_HASHING
        logins = {login.username for login in demo.demo_logins()}
        assert {"ledamot", "strateg", "enhetschef", "medarbetare", "admin"} <= logins
        for spec in demo.USERS:
            assert client.login(username=spec.username, password=demo.DEMO_PASSWORD), spec.username
            client.logout()
            user = User.objects.get(username=spec.username)
            if spec.unit is None:
                assert user.is_superuser and not user.memberships.exists()
            else:
                assert list(user.memberships.values_list("org_unit__external_code", "role")) == [
                    (spec.unit, spec.role)]
        assert User.objects.get(username="strateg").is_staff
        expected = {"ledamot": ("Socialnämnden", "board_member"), "strateg": ("Socialförvaltningen", "controller"),
                    "enhetschef": ("Familjebehandling", "unit_manager"), "medarbetare": ("Team Norr", "team_member")}
        for username, (unit_name, role) in expected.items():
            assert Membership.objects.filter(user__username=username, org_unit__name=unit_name, role=role).exists()
        assert User.objects.get(username="medarbetare").memberships.get().org_unit.parent.name == "Familjebehandling"

    def test_every_object_passes_full_clean(self):
        for model in MODELS:
            objects = list(model.objects.all())
            # A spread-out sample keeps this quick: about fifteen rows per table, and every gap.
            objects = objects[::max(len(objects) // 15, 1)] + [o for o in objects if getattr(o, "value", 0) is None]
            assert objects, model.__name__
            for obj in objects:
                obj.full_clean()

    def test_texts_that_reach_the_board_hold_no_personal_data(self):
        texts = []
        for model, fields in (
            (FollowUp, ("what_we_did", "effect_for_citizens", "learning", "next_step", "review_comment")),
            (Activity, ("title", "description", "expected_citizen_value")),
            (ActivityUpdate, ("text",)),
            (Measurement, ("comment",)),
            (UnitReport, ("summary",)),
            (BoardReport, ("summary",)),
            (GoalAssessment, ("text",)),
            (ScorecardIndicator, ("analysis",)),
        ):
            texts += [text for row in model.objects.values_list(*fields) for text in row if text]
        assert len(texts) > 300
        assert [t for t in texts if find_personal_data(t)] == []
