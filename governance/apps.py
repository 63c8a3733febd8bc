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

        # Which text fields reach the board or the public (guarded against personal data) and which
        # stay internal: governance/extensions.py. Every CharField/TextField is in one of the two.
        from governance import extensions
        from governance.models import ApiToken, HistoryViaApiToken, Job, User

        extensions.board_text_fields.add(OrgUnit, ["name"])
        extensions.board_text_fields.add(GoalArea, ["name", "description"])
        extensions.board_text_fields.add(PoliticalGoal, ["title", "short_title", "description", "vision_link"])
        extensions.internal_text_fields.add(User, ["password", "username", "first_name", "last_name", "email"])
        extensions.internal_text_fields.add(OrgUnit, ["kind", "external_code", "path"])
        extensions.internal_text_fields.add(Membership, ["role"])
        extensions.internal_text_fields.add(Period, ["kind"])
        extensions.internal_text_fields.add(PoliticalGoal, ["code"])
        extensions.internal_text_fields.add(ApiToken, ["name", "key_hash", "key_prefix", "revocation_reason"])
        extensions.internal_text_fields.add(HistoryViaApiToken, ["history_model", "token_name", "token_prefix",
                                                                 "token_created_by_name"])
        extensions.internal_text_fields.add(Job, ["kind", "title", "status", "message", "error", "result_name",
                                                  "result_content_type"])
        # The bound of every free-text TextField (a CharField's is its max_length): extensions.text_limits.
        extensions.text_limits.add(GoalArea, description=extensions.LONG_TEXT)
        extensions.text_limits.add(PoliticalGoal, description=extensions.LONG_TEXT)
        extensions.text_limits.written_by_system(Job, ["error"])
