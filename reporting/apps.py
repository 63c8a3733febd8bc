from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from governance import history
        from reporting.models import BoardReport, FollowUp, GoalAssessment, ReportingRound, UnitReport, can_read_follow_up

        history.register(ReportingRound, unit_of=lambda reporting_round: reporting_round.board,
                         unit_relations=("board",))
        # A follow-up's versions as a draft (or returned) are read only by those who read the draft.
        history.register(FollowUp, unit_of=lambda follow_up: follow_up.org_unit, unit_relations=("org_unit",),
                         readable=can_read_follow_up)
        history.register(UnitReport, unit_of=lambda unit_report: unit_report.unit, unit_relations=("unit",))
        history.register(BoardReport, unit_of=lambda report: report.board, unit_relations=("board",))
        history.register(GoalAssessment, unit_of=lambda assessment: assessment.report.board,
                         unit_relations=("report__board",))

        # Text fields bound for the board (guarded against personal data) and internal ones:
        # governance/extensions.py.
        from governance import extensions

        board = extensions.board_text_fields
        board.add(ReportingRound, ["name"])
        board.add(FollowUp, ["what_we_did", "effect_for_citizens", "learning", "next_step", "review_comment"])
        board.add(UnitReport, ["summary"])
        board.add(BoardReport, ["summary", "minute_paragraph", "snapshot"])
        board.add(GoalAssessment, ["text"])
        internal = extensions.internal_text_fields
        internal.add(ReportingRound, ["state"])
        internal.add(FollowUp, ["self_assessment", "state"])
        internal.add(UnitReport, ["state"])
        internal.add(BoardReport, ["state"])
        internal.add(GoalAssessment, ["assessment"])
        # The bound of every free-text TextField (a CharField's is its max_length): extensions.text_limits.
        limits, long_text = extensions.text_limits, extensions.LONG_TEXT
        limits.add(FollowUp, what_we_did=long_text, effect_for_citizens=long_text, learning=long_text,
                   next_step=long_text, review_comment=extensions.COMMENT_TEXT)
        limits.add(UnitReport, summary=long_text)
        limits.add(BoardReport, summary=long_text)
        limits.add(GoalAssessment, text=long_text)

        from reporting import locks  # noqa: F401  (connects its signal receivers)

        # Registers the background job functions (governance/jobs.py), in the web and the worker alike.
        from reporting import jobs  # noqa: F401
