"""The board report as plain data: everything the report page and the workbook show, as one
JSON-able dict. Adoption stores this dict in ``BoardReport.snapshot``; from then on the
adopted report is shown and exported from it alone, so later changes to goals, indicators
or values cannot alter what the board adopted. A report not yet adopted is turned into the
same shape from live data, so there is one renderer for both.

Numbers are stored as strings (exact decimals), dates as ISO strings, and every status and
assessment with its code and its Swedish word (the board's language at the time of adoption).
"""

import datetime
from decimal import Decimal

from django.utils import timezone, translation

from reporting.evidence import board_report_data
from reporting.models import FollowUp
from reporting.rules import Assessment
from scorecards.models import MEASURE_UNIT_SYMBOLS, Mandate
from scorecards.status import STATUS_COLOURS, Status

SCHEMA_VERSION = 1


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f").rstrip("0")
    return str(value)


def _date(value):
    return value.isoformat() if value else None


def _status(status):
    status = Status(status)
    return {"code": status.value, "label": str(status.label), "colour": STATUS_COLOURS[status]}


def _assessment(code):
    if not code:
        return None
    assessment = Assessment(code)
    return {"code": assessment.value, "label": str(assessment.label)}


def _target(target):
    if target is None:
        return None
    return {
        "value": _number(target.target_value), "max": _number(target.target_max),
        "yellow_threshold": _number(target.yellow_threshold), "tolerance_percent": _number(target.tolerance_percent),
        "unit_specific": target.unit_id is not None,
    }


class _Words:
    """Labels looked up once per snapshot, in the language active while it is built: the same
    few statuses, mandates and periods recur in every one of thousands of rows, and a gettext
    or a period's label per row was a third of the time of a large board's snapshot."""

    def __init__(self):
        self._statuses, self._mandates, self._periods, self._activity_statuses = {}, {}, {}, {}

    def status(self, status):
        if status not in self._statuses:
            self._statuses[status] = _status(status)
        return dict(self._statuses[status])  # a copy: the snapshot's dicts are not shared

    def mandate(self, code):
        if code not in self._mandates:
            self._mandates[code] = str(Mandate(code).label)
        return self._mandates[code]

    def activity_status(self, activity):
        """{code, label} of an activity's status."""
        label = self._activity_statuses.get(activity.status)
        if label is None:
            label = self._activity_statuses[activity.status] = str(activity.get_status_display())
        return {"code": activity.status, "label": label}

    def period(self, period):
        """(label, code) of a Period."""
        found = self._periods.get(period.pk)
        if found is None:
            found = self._periods[period.pk] = (period.label, period.code)
        return found


def _indicator_row(row, words=None):
    words = words or _Words()
    indicator = row.indicator
    return {
        "link_id": row.link.pk,
        "indicator_id": indicator.pk,
        "name": indicator.name,
        "unit": {"id": row.unit.pk, "name": row.unit.name, "code": row.unit.external_code},
        "scorecard_goal": row.link.goal.title if row.link.goal_id else None,
        "mandate": {"code": indicator.mandate, "label": words.mandate(indicator.mandate),
                    "source": indicator.mandate_source},
        "mandated": indicator.is_mandated,
        "direction": indicator.direction,
        "measure": indicator.unit_symbol or MEASURE_UNIT_SYMBOLS.get(indicator.measure_unit, ""),
        "measure_unit": indicator.measure_unit,
        "decimals": indicator.decimals,
        "frequency": indicator.frequency,
        "kolada_kpi": indicator.kolada_kpi,
        "external_code": indicator.external_code,
        "target": _target(row.evaluation.target),
        "period": row.evaluation.period.label if row.evaluation.period else None,
        "value": _number(row.evaluation.value),
        "status": words.status(row.evaluation.status),
        "analysis": row.link.analysis,
        "series": [{"period": label, "code": code, "value": _number(v)}
                   for (label, code), v in ((words.period(p), v) for p, v in row.series)],
    }


def _follow_up(follow_up):
    team = follow_up.org_unit if follow_up.org_unit.kind == "team" else None
    unit = follow_up.scorecard_goal.scorecard.unit if follow_up.scorecard_goal_id else follow_up.org_unit
    return {
        "id": follow_up.pk,
        "unit": unit.name,
        "team": team.name if team else None,
        "goal": follow_up.scorecard_goal.title if follow_up.scorecard_goal_id else follow_up.political_goal.title,
        "what_we_did": follow_up.what_we_did,
        "effect_for_citizens": follow_up.effect_for_citizens,
        "learning": follow_up.learning,
        "next_step": follow_up.next_step,
        "self_assessment": _assessment(follow_up.self_assessment),
        "state": {"code": follow_up.state, "label": str(FollowUp.State(follow_up.state).label)},
        "has_text": follow_up.has_text,
    }


def _activity(activity, words):
    updates = list(activity.updates.all())
    latest = updates[0] if updates else None
    return {
        "id": activity.pk,
        "team": activity.team.name,
        "unit": activity.team.parent.name if activity.team.parent_id else None,
        "title": activity.title,
        "description": activity.description,
        "expected_citizen_value": activity.expected_citizen_value,
        "status": words.activity_status(activity),
        "start_date": _date(activity.start_date),
        "end_date": _date(activity.end_date),
        "goals": [g.title for g in activity.goals.all()],
        "latest_update": {"date": _date(latest.date), "text": latest.text} if latest else None,
    }


def snapshot_from_data(data, *, balance=None, generated_at=None):
    """Turn ``board_report_data(..., with_details=True)`` into the snapshot dict."""
    report = data.report
    reporting_round = data.round
    goals = []
    words = _Words()
    for row in data.goals:
        political_goal = row.political_goal
        activities, seen = [], set()
        for contribution in row.units:
            for activity in contribution.activities:
                if activity.pk not in seen:
                    seen.add(activity.pk)
                    activities.append(_activity(activity, words))
        goals.append({
            "id": political_goal.pk,
            "code": political_goal.code,
            "title": political_goal.title,
            "short_title": political_goal.short_title,
            "description": political_goal.description,
            "assessment": ({**(_assessment(row.assessment.assessment) or {"code": "", "label": ""}),
                            "text": row.assessment.text} if row.assessment else None),
            "evidence": row.evidence.as_dict(),
            "suggested_assessment": _assessment(row.evidence.suggested_assessment),
            "indicators": [_indicator_row(r, words) for r in row.indicators],
            "follow_ups": [_follow_up(f) for f in row.follow_ups if f.state == FollowUp.State.APPROVED],
            "units": [c.unit.name for c in row.units],
            "activities": activities,
        })
    return {
        "schema": SCHEMA_VERSION,
        "generated_at": (generated_at or timezone.now()).isoformat(),
        "board": {"id": data.board.pk, "name": data.board.name},
        "round": {"id": reporting_round.pk, "name": reporting_round.name, "deadline": _date(reporting_round.deadline),
                  "period": {"label": reporting_round.period.label, "code": reporting_round.period.code,
                             "start": _date(reporting_round.period.start), "end": _date(reporting_round.period.end)}},
        "report": ({"id": report.pk, "version_number": report.version_number, "state": report.state,
                    "state_label": str(report.get_state_display()), "summary": report.summary,
                    "adopted_on": _date(report.adopted_on), "minute_paragraph": report.minute_paragraph,
                    "previous_id": report.previous_id} if report else None),
        "goals": goals,
        "balance": balance or [],
    }


def build_snapshot(*, user, reporting_round, today=None, balance=None, only_goal=None):
    """The snapshot of the round's report as it stands now, in Swedish; ``only_goal`` gives the
    same with only that political goal in ``goals``."""
    with translation.override("sv"):
        data = board_report_data(user=user, reporting_round=reporting_round, today=today, with_details=True,
                                 only_goal=only_goal)
        return snapshot_from_data(data, balance=balance)


def report_snapshot(*, user, report, today=None):
    """What a board report says: its frozen snapshot once adopted, else the live data."""
    if report is not None and report.is_adopted and report.snapshot:
        return report.snapshot
    return build_snapshot(user=user, reporting_round=report.round, today=today or datetime.date.today())
