"""Locked decisions: what an adopted board report froze never changes, by any route.

Adoption stores a snapshot of everything the report shows (reporting.snapshot), so the adopted
report itself never changes. The rule here goes one step further: the values and the approved
follow-ups that the snapshot shows are *frozen* too, so that the live data cannot drift away from
what the board decided on without anyone noticing.

- ``freeze(report)`` (called by ``board_report_adopt``) records which measurements and follow-ups
  the snapshot shows (``BoardReport.frozen_measurements`` / ``frozen_follow_ups``) and sets their
  ``locked`` flag. A measurement that did not exist at adoption (a value shown as missing) is not
  frozen: entering it later does not alter the adopted report, which shows its snapshot.
- Every route that writes asks the flag: ``scorecards.services.measurement_record`` (the value
  grid, the API, the file and Kolada imports and management commands all call it), the follow-up
  services here, the admin (``lock_message``: read-only, undeletable), and the models' own
  ``save()``/``pre_save``/``pre_delete`` guards for code that bypasses all of these. A queryset
  ``.update()`` cannot be caught by model code; Tillit uses one only to set the flags below.
- A correction is the one legitimate way to change frozen data (docs/architecture.md §5): starting one
  (``board_report_correct``) releases what the corrected version froze, unless another adopted
  report that is not being corrected still shows it, so that the figures can be put right while
  the new version is prepared. The adopted version keeps its snapshot and is never changed;
  every edit made in between is kept in the history; adopting the correction freezes again.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from governance.models import Period
from reporting.models import BoardReport, FollowUp
from scorecards.models import Measurement


def holding_reports():
    """The adopted reports whose freeze is in force: those no correction has been started for."""
    return BoardReport.objects.filter(state=BoardReport.State.ADOPTED, correction__isnull=True)


def snapshot_measurement_ids(report):
    """The measurements whose values the report's snapshot shows (its value series included)."""
    snapshot = report.snapshot or {}
    wanted = set()  # (indicator id, unit id, period code)
    for goal in snapshot.get("goals", []):
        for row in goal.get("indicators", []):
            for point in row.get("series", []):
                wanted.add((row["indicator_id"], row["unit"]["id"], point["code"]))
    if not wanted:
        return set()
    periods = {p.code: p.pk for p in Period.objects.filter(year_id=report.round.period.year_id)}
    triples = {(indicator_id, unit_id, periods[code]) for indicator_id, unit_id, code in wanted if code in periods}
    candidates = Measurement.objects.filter(
        indicator_id__in={t[0] for t in triples}, unit_id__in={t[1] for t in triples},
        period_id__in={t[2] for t in triples},
    ).values_list("pk", "indicator_id", "unit_id", "period_id")
    return {pk for pk, indicator_id, unit_id, period_id in candidates if (indicator_id, unit_id, period_id) in triples}


def snapshot_follow_up_ids(report):
    """The approved follow-ups the report's snapshot shows."""
    snapshot = report.snapshot or {}
    return {f["id"] for goal in snapshot.get("goals", []) for f in goal.get("follow_ups", [])}


def freeze(report):
    """Freeze what the adopted ``report`` shows. Runs inside the adoption's transaction."""
    measurement_ids = snapshot_measurement_ids(report)
    follow_up_ids = set(FollowUp.objects.filter(pk__in=snapshot_follow_up_ids(report), state=FollowUp.State.APPROVED)
                        .values_list("pk", flat=True))
    report.frozen_measurements.set(measurement_ids)
    report.frozen_follow_ups.set(follow_up_ids)
    Measurement.objects.filter(pk__in=measurement_ids).update(locked=True)
    FollowUp.objects.filter(pk__in=follow_up_ids).update(locked=True)


def release(report):
    """Release what ``report`` froze, now that a correction of it has been started, except what
    another adopted report still holds."""
    others = holding_reports().exclude(pk=report.pk)
    measurement_through = BoardReport.frozen_measurements.through
    follow_up_through = BoardReport.frozen_follow_ups.through
    still_measurements = measurement_through.objects.filter(boardreport__in=others).values("measurement_id")
    still_follow_ups = follow_up_through.objects.filter(boardreport__in=others).values("followup_id")
    (Measurement.objects.filter(pk__in=measurement_through.objects.filter(boardreport=report).values("measurement_id"))
     .exclude(pk__in=still_measurements).update(locked=False))
    (FollowUp.objects.filter(pk__in=follow_up_through.objects.filter(boardreport=report).values("followup_id"))
     .exclude(pk__in=still_follow_ups).update(locked=False))


def restore(report):
    """Freeze again what ``report`` froze (its correction was given up), as far as it holds."""
    if report.state != BoardReport.State.ADOPTED or BoardReport.objects.filter(previous=report).exists():
        return
    Measurement.objects.filter(pk__in=report.frozen_measurements.values("pk")).update(locked=True)
    FollowUp.objects.filter(pk__in=report.frozen_follow_ups.values("pk")).update(locked=True)


@receiver(post_delete, sender=BoardReport, dispatch_uid="reporting.locks.restore_after_correction_deleted")
def _restore_when_a_correction_is_deleted(sender, instance, **kwargs):
    # A correction's draft deleted (e.g. in the admin): the version it corrected holds again.
    if instance.previous_id:
        previous = BoardReport.objects.filter(pk=instance.previous_id).first()
        if previous is not None:
            restore(previous)
