from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self):
        # Registers the background job functions (governance/jobs.py), in the web and the worker alike.
        from scorecards import jobs  # noqa: F401
        from governance import history
        from scorecards.models import (
            Activity, ActivityUpdate, Indicator, Measurement, Scorecard, ScorecardGoal, ScorecardIndicator, Target,
        )

        history.register(Scorecard, unit_of=lambda scorecard: scorecard.unit, unit_relations=("unit",))
        history.register(ScorecardGoal, unit_of=lambda goal: goal.scorecard.unit,
                         unit_relations=("scorecard__unit",))
        history.register(Indicator, unit_of=lambda indicator: indicator.owner, unit_relations=("owner",))
        history.register(ScorecardIndicator, unit_of=lambda link: link.scorecard.unit,
                         unit_relations=("scorecard__unit",))
        history.register(Target, unit_of=lambda target: target.unit if target.unit_id else target.indicator.owner,
                         unit_relations=("unit", "indicator__owner"))
        history.register(Measurement, unit_of=lambda measurement: measurement.unit, unit_relations=("unit",))
        history.register(Activity, unit_of=lambda activity: activity.team, unit_relations=("team",))
        history.register(ActivityUpdate, unit_of=lambda update: update.activity.team,
                         unit_relations=("activity__team",))

        # Text fields bound for the board (guarded against personal data) and internal ones:
        # governance/extensions.py.
        from governance import extensions
        from scorecards.models import ComparisonValue, Perspective

        board = extensions.board_text_fields
        board.add(Perspective, ["name", "description"])
        board.add(Scorecard, ["mission"])
        board.add(ScorecardGoal, ["title", "description"])
        board.add(Indicator, ["name", "description", "mandate_source", "measure_unit_label"])
        board.add(ScorecardIndicator, ["analysis"])
        board.add(Target, ["comment"])
        board.add(Measurement, ["comment"])
        board.add(Activity, ["title", "description", "expected_citizen_value"])
        board.add(ActivityUpdate, ["text"])
        internal = extensions.internal_text_fields
        internal.add(Scorecard, ["state"])
        internal.add(Indicator, ["mandate", "direction", "measure_unit", "frequency", "kolada_kpi", "external_code"])
        internal.add(Measurement, ["source"])
        internal.add(Activity, ["status"])
        internal.add(ActivityUpdate, ["status_after"])
        # Kolada's reference data: codes and the names of municipalities, not written here.
        internal.add(ComparisonValue, ["kpi", "area_code", "area_name", "area_kind", "gender", "source"])
        # The bound of every free-text TextField (a CharField's is its max_length): extensions.text_limits.
        limits, long_text, comment = extensions.text_limits, extensions.LONG_TEXT, extensions.COMMENT_TEXT
        limits.add(Perspective, description=long_text)
        limits.add(Scorecard, mission=long_text)
        limits.add(ScorecardGoal, description=long_text)
        limits.add(Indicator, description=long_text)
        limits.add(ScorecardIndicator, analysis=long_text)
        limits.add(Measurement, comment=comment)
        limits.add(Activity, description=long_text, expected_citizen_value=long_text)
        limits.add(ActivityUpdate, text=comment)
