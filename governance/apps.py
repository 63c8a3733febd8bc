from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from governance import history
        from governance.models import GoalArea, Membership, OrgUnit, Period, PoliticalGoal, ReportingYear

        history.register(OrgUnit, unit_of=lambda unit: unit)
        history.register(Membership, unit_of=lambda membership: membership.org_unit,
                         unit_relations=("org_unit",))
        history.register(GoalArea, unit_of=lambda area: area.board, unit_relations=("board",))
        history.register(PoliticalGoal, unit_of=lambda goal: goal.board, unit_relations=("board",))
        history.register(ReportingYear, is_global=True)
        history.register(Period, is_global=True)
