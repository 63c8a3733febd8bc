"""The API refuses personal data in every text field bound for the board, not only in comments:
an own indicator's name, a unit goal's title, a round's name (governance/extensions.py)."""

import pytest

from reporting.models import ReportingRound
from scorecards.models import Indicator, ScorecardGoal

pytestmark = pytest.mark.django_db

PNR = "19811218-9876"  # valid check digit, not a real person's number


def test_posting_an_indicator_named_with_a_personnummer_is_a_400(api_as, world):
    before = Indicator.objects.count()
    response = api_as("unit_manager").post("/api/v1/indicators/", {
        "scorecard": world.scorecard.pk, "goal": world.goal.pk, "name": f"Uppföljning {PNR}", "frequency": "tertial"})
    assert response.status_code == 400, response.content
    assert "name" in response.json()
    assert "9876" not in response.content.decode()
    assert Indicator.objects.count() == before


def test_patching_an_indicator_name_with_a_personnummer_is_a_400(api_as, world):
    client = api_as("unit_manager")
    response = client.patch(f"/api/v1/indicators/{world.own.pk}/",
                            {"version": world.own.version, "name": "Barn 19811218\u20139876"})
    assert response.status_code == 400, response.content
    assert "name" in response.json()
    world.own.refresh_from_db()
    assert "9876" not in world.own.name


def test_patching_a_unit_goal_title_with_a_personnummer_is_a_400(api_as, world):
    response = api_as("unit_manager").patch(f"/api/v1/scorecard-goals/{world.goal.pk}/",
                                            {"version": world.goal.version, "title": f"Mål för {PNR}"})
    assert response.status_code == 400, response.content
    world.goal.refresh_from_db()
    assert PNR not in world.goal.title
    assert ScorecardGoal.objects.filter(title__contains="9876").count() == 0


def test_creating_a_round_named_with_a_personnummer_is_a_400(api_as, world):
    before = ReportingRound.objects.count()
    response = api_as("controller").post("/api/v1/rounds/", {
        "board": world.org.board.pk, "period": "2026-T2", "name": f"T2 {PNR}", "deadline": "2026-09-15"})
    assert response.status_code == 400, response.content
    assert "name" in response.json()
    assert "9876" not in response.content.decode()
    assert ReportingRound.objects.count() == before


def test_plain_serializers_read_the_registry_for_their_model():
    from rest_framework import serializers

    from governance.extensions import BoardTextSerializerMixin
    from reporting.api.serializers import RoundCreateSerializer
    from scorecards.api.serializers import TargetUpdateSerializer, TargetWriteSerializer
    from scorecards.models import Target

    for serializer in (RoundCreateSerializer, TargetWriteSerializer, TargetUpdateSerializer):
        assert issubclass(serializer, BoardTextSerializerMixin)

    class Comment(BoardTextSerializerMixin, serializers.Serializer):
        board_text_model = Target
        comment = serializers.CharField()
        other = serializers.CharField()  # not declared for Target: not this guard's

    bad = Comment(data={"comment": f"Ring {PNR}", "other": "x"})
    assert not bad.is_valid() and set(bad.errors) == {"comment"}
    assert "9876" not in str(bad.errors)
    assert Comment(data={"comment": "Dnr 2025-0042, 2026-03-31", "other": PNR}).is_valid()
