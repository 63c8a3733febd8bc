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
