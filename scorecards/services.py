"""Writes to scorecards, indicators, targets, measurements and activities.

Each function is keyword-only, runs in one transaction, checks permission through
``governance.scope`` and validates before it saves; the HTML views and the API call these
and repeat none of their checks. Editable records are versioned: pass the version the
user saw as ``expected_version`` and a write based on an older one raises StaleWrite.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from governance import privacy, scope
from governance.concurrency import StaleWrite, check_version, locked, save_created, save_new_version, update_versioned
from governance.history import record_api_token_bulk
from governance.models import OrgUnitKind
from governance.scope import Action
from scorecards.models import (
    MEASUREMENT_LOCKED_MESSAGE, Activity, ActivityStatus, ActivityUpdate, Indicator, Mandate, Measurement, ScorecardGoal,
    ScorecardIndicator, Target,
)


# --- scorecard goals --------------------------------------------------------------------------

def _check_political_goals(scorecard, political_goals):
    board = scorecard.unit.board
    for goal in political_goals:
        if goal.board_id != board.pk or not goal.is_valid_in(scorecard.year.year):
            raise ValidationError({"political_goals": _("“%(goal)s” is not one of the board's goals for %(year)s.")
                                   % {"goal": goal, "year": scorecard.year.year}})


@transaction.atomic
def scorecard_goal_create(*, user, scorecard, perspective, title, description="", political_goals=(), order=0):
    scope.require(user, Action.EDIT_SCORECARD, scorecard.unit)
    political_goals = list(political_goals)
    _check_political_goals(scorecard, political_goals)
    goal = ScorecardGoal(scorecard=scorecard, perspective=perspective, title=title, description=description, order=order)
    save_created(goal, user=user)
    goal.political_goals.set(political_goals)
    return goal


@transaction.atomic
def scorecard_goal_update(*, user, goal, expected_version, political_goals=None, **changes):
    scope.require(user, Action.EDIT_SCORECARD, goal.scorecard.unit)
    allowed = {"perspective", "title", "description", "order"}
    _refuse_unknown(changes, allowed)
    goal = update_versioned(goal, expected_version=expected_version, changes=changes, user=user)
    if political_goals is not None:
        political_goals = list(political_goals)
        _check_political_goals(goal.scorecard, political_goals)
        goal.political_goals.set(political_goals)
    return goal


# --- indicators -------------------------------------------------------------------------------

INDICATOR_FIELDS = {"name", "description", "direction", "measure_unit", "measure_unit_label", "decimals", "frequency",
                    "kolada_kpi", "external_code", "is_active", "mandate_source"}


def require_indicator_edit(user, indicator):
    """Own indicators are the unit's to change; mandated ones only the controller's."""
    action = Action.MANAGE_MANDATED_INDICATORS if indicator.is_mandated else Action.EDIT_SCORECARD
    scope.require(user, action, indicator.owner)


@transaction.atomic
def own_indicator_create(*, user, scorecard, goal=None, analysis="", **fields):
    """Create an own indicator of the scorecard's unit and place it in the scorecard."""
    scope.require(user, Action.EDIT_SCORECARD, scorecard.unit)
    _refuse_unknown(fields, INDICATOR_FIELDS - {"mandate_source"})
    indicator = Indicator(owner=scorecard.unit, mandate=Mandate.OWN, **fields)
    save_created(indicator, user=user)
    link = ScorecardIndicator(scorecard=scorecard, indicator=indicator, goal=goal, analysis=analysis)
    save_created(link, user=user)
    return link


@transaction.atomic
def indicator_update(*, user, indicator, expected_version, **changes):
    require_indicator_edit(user, indicator)
    _refuse_unknown(changes, INDICATOR_FIELDS)
    # The source of a mandate (a law, IVO, the board's decision) is what makes an indicator
    # mandated: the unit cannot claim one for its own indicator, by any face. Sending back the
    # value it already has (a client that PATCHes every field) is no change.
    if (not indicator.is_mandated and "mandate_source" in changes
            and (changes["mandate_source"] or "") != indicator.mandate_source):
        raise ValidationError({"mandate_source": _(
            "An own indicator has no source of a mandate. Mandated indicators are set up by the controllers.")})
    return update_versioned(indicator, expected_version=expected_version, changes=changes, user=user)


@transaction.atomic
def scorecard_indicator_update(*, user, link, expected_version, **changes):
    """Place an indicator under a goal and write the unit's analysis; allowed for mandated
    indicators too (the unit cannot rename or remove them, but it adds its own analysis)."""
    scope.require(user, Action.EDIT_SCORECARD, link.scorecard.unit)
    _refuse_unknown(changes, {"goal", "analysis", "order"})
    return update_versioned(link, expected_version=expected_version, changes=changes, user=user)


@transaction.atomic
def mandated_indicator_assign(*, user, indicator, scorecard, goal=None):
    """Assign a centrally defined indicator to a unit's scorecard (controllers)."""
    if not indicator.is_mandated:
        raise ValidationError(_("Only mandated indicators are assigned centrally."))
    scope.require(user, Action.MANAGE_MANDATED_INDICATORS, scorecard.unit)
    # Only the controllers who keep an indicator hand it out: otherwise one board's
    # indicator could be put into another board's scorecards.
    scope.require(user, Action.MANAGE_MANDATED_INDICATORS, indicator.owner)
    existing = ScorecardIndicator.objects.filter(scorecard=scorecard, indicator=indicator).first()
    if existing is not None:
        return existing
    link = ScorecardIndicator(scorecard=scorecard, indicator=indicator, goal=goal)
    save_created(link, user=user)  # full_clean: the goal must be one of this scorecard's
    return link


# --- targets ----------------------------------------------------------------------------------

def require_target_edit(user, indicator, unit):
    """Units set targets for their own indicators; targets of mandated indicators, also a
    unit's own override, are set by the controllers who own them."""
    action = Action.MANAGE_MANDATED_INDICATORS if indicator.is_mandated else Action.SET_TARGETS
    # Both the indicator's owner and, for an override, the unit it is for: a grant on the
    # unit alone would let a controller set targets for another board's indicators.
    scope.require(user, action, indicator.owner)
    if unit is not None:
        scope.require(user, action, unit)


@transaction.atomic
def target_set(*, user, indicator, year, unit=None, target_value, target_max=None, yellow_threshold=None,
               tolerance_percent=None, comment="", expected_version=None):
    require_target_edit(user, indicator, unit)
    # Read the numbers here: a string reaching Target.clean (e.g. "80,5", which the model
    # field does not accept) made the threshold rule raise TypeError, a server error.
    numbers, errors = {}, {}
    for field, raw in (("target_value", target_value), ("target_max", target_max),
                       ("yellow_threshold", yellow_threshold), ("tolerance_percent", tolerance_percent)):
        try:
            numbers[field] = parse_decimal(raw)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    values = {**numbers, "comment": comment}
    existing = Target.objects.select_for_update(of=("self",)).filter(indicator=indicator, year=year, unit=unit).first()
    if existing is None:
        target = Target(indicator=indicator, year=year, unit=unit, **values)
        return save_created(target, user=user)
    check_version(existing, expected_version)
    for field, value in values.items():
        setattr(existing, field, value)
    return save_new_version(existing, user=user)


# --- measurements -----------------------------------------------------------------------------

def parse_decimal(raw):
    """Read a number as Swedes write it: decimal comma or point, spaces as thousands
    separators, a trailing % ignored. Empty means no value. Raises ValidationError."""
    if raw is None:
        return None
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").rstrip("%").strip()
    if text == "":
        return None
    text = text.replace("−", "-")
    if "," in text and "." in text:
        # "1.234,5" (Swedish thousands dot) or "1,234.5" (English): the last mark is the decimal one.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw}) from None
    if not value.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw})
    return value


def indicator_is_used_by(indicator, unit, year):
    """Whether ``unit`` reports ``indicator`` in ``year``: it is in the unit's scorecard, or
    it is the unit's own indicator."""
    if indicator.owner_id == unit.pk and not indicator.is_mandated:
        return True
    return ScorecardIndicator.objects.filter(indicator=indicator, scorecard__unit=unit, scorecard__year=year).exists()


def validate_measurement_target(*, indicator, unit, period):
    if period.kind != indicator.period_kind:
        raise ValidationError({"period": _("“%(indicator)s” is reported %(frequency)s, not for %(period)s.")
                               % {"indicator": indicator, "frequency": indicator.get_frequency_display().lower(),
                                  "period": period.label}})
    if not indicator_is_used_by(indicator, unit, period.year):
        raise ValidationError({"indicator": _("“%(indicator)s” is not in the scorecard of %(unit)s for %(year)s.")
                               % {"indicator": indicator, "unit": unit, "year": period.year}})


@transaction.atomic
def measurement_record(*, user, indicator, unit, period, value, comment="", source=Measurement.Source.MANUAL,
                       expected_version=None):
    """Record or correct one value. Raises PermissionDenied, StaleWrite or ValidationError.

    Writing the same value and comment again changes nothing (no new version), so
    repeating an import or a form post is harmless.
    """
    scope.require(user, Action.ENTER_MEASUREMENTS, unit)
    privacy.require_no_personal_data(comment=comment)
    value = parse_decimal(value)
    validate_measurement_target(indicator=indicator, unit=unit, period=period)
    existing = Measurement.objects.select_for_update(of=("self",)).filter(indicator=indicator, unit=unit, period=period).first()
    if existing is None:
        measurement = Measurement(indicator=indicator, unit=unit, period=period, value=value, comment=comment,
                                  source=source, author=user)
        return save_created(measurement, user=user)
    check_version(existing, expected_version)
    if existing.value == value and existing.comment == comment:
        return existing
    if existing.locked:
        # Frozen by an adopted board report (set by the reporting app at adoption). Writing the
        # same value again (above) stays harmless, so a repeated import is still a no-op.
        raise ValidationError(MEASUREMENT_LOCKED_MESSAGE, code="locked")
    existing.value, existing.comment, existing.source, existing.author = value, comment, source, user
    return save_new_version(existing, user=user)


@transaction.atomic
def measurements_record_for_period(*, user, unit, period, rows, source=Measurement.Source.MANUAL):
    """Record a whole grid (one period, many indicators) all or nothing.

    ``rows`` is a list of dicts with ``indicator``, ``value``, ``comment`` and
    ``expected_version``. Raises ValidationError whose ``error_dict`` is keyed
    ``"<indicator pk>"`` so the grid can show each error on its row; nothing is saved then.
    ``source`` says where the values come from (the grid: manual; the API: api).
    """
    scope.require(user, Action.ENTER_MEASUREMENTS, unit)
    items = [{**row, "unit": unit, "period": period, "key": str(row["indicator"].pk)} for row in rows]
    saved, errors = measurements_record_batch(user=user, items=items, source=source)
    if errors:
        raise ValidationError(errors)
    return saved


def scorecard_links(pairs):
    """The (indicator pk, unit pk, year pk) triples of ``pairs`` (indicator, unit, year) that are
    in a scorecard, in one query: the set-based ``indicator_is_used_by``."""
    pairs = list(pairs)
    if not pairs:
        return set()
    return set(ScorecardIndicator.objects.filter(
        indicator__in={i.pk for i, _u, _y in pairs}, scorecard__unit__in={u.pk for _i, u, _y in pairs},
        scorecard__year__in={y.pk for _i, _u, y in pairs},
    ).values_list("indicator_id", "scorecard__unit_id", "scorecard__year_id"))


def measurement_target_errors(items):
    """``validate_measurement_target`` for many (indicator, unit, period): the messages by index,
    with one query whatever the number of items."""
    links = scorecard_links((it["indicator"], it["unit"], it["period"].year) for it in items
                            if not (it["indicator"].owner_id == it["unit"].pk and not it["indicator"].is_mandated))
    errors = {}
    for index, it in enumerate(items):
        indicator, unit, period = it["indicator"], it["unit"], it["period"]
        if period.kind != indicator.period_kind:
            errors[index] = [_("“%(indicator)s” is reported %(frequency)s, not for %(period)s.")
                             % {"indicator": indicator, "frequency": indicator.get_frequency_display().lower(),
                                "period": period.label}]
        elif not (indicator.owner_id == unit.pk and not indicator.is_mandated) and \
                (indicator.pk, unit.pk, period.year_id) not in links:
            errors[index] = [_("“%(indicator)s” is not in the scorecard of %(unit)s for %(year)s.")
                             % {"indicator": indicator, "unit": unit, "year": period.year}]
    return errors


def _stored_measurements(items, *, for_update):
    queryset = Measurement.objects.filter(unit__in={it["unit"].pk for it in items},
                                          indicator__in={it["indicator"].pk for it in items},
                                          period__in={it["period"].pk for it in items})
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return {(m.indicator_id, m.unit_id, m.period_id): m for m in queryset.iterator(chunk_size=2000)}


BATCH_SIZE = 500
_FIELDS_SET_HERE = [f.name for f in Measurement._meta.concrete_fields if f.name not in ("value", "comment")]
# Values written between two progress reports (a multiple of BATCH_SIZE: no extra queries).
PROGRESS_CHUNK = 5000


@transaction.atomic
def measurements_record_batch(*, user, items, source=Measurement.Source.MANUAL, progress=None, check_only=False):
    """The one batch recorder (importer, grid, API): the rules of ``measurement_record`` for many
    values with a number of queries that does not grow with the number of values.

    ``items`` are dicts with ``indicator``, ``unit``, ``period``, ``value``, ``comment``,
    ``expected_version`` (optional) and ``key`` (how errors are reported). Returns
    ``(saved, errors)``: the measurements in the order of ``items`` and the messages by key. With
    any error nothing is written (the caller raises, which rolls the transaction back).
    Permission is checked once per distinct unit; identical values are left alone (no new version).
    ``progress``, if given, is called as ``progress(written, to_write)`` as the bulk writes go.
    ``check_only`` (an import's preview) runs every rule above and writes nothing, without locking
    the stored rows: what is left out are only the database's own constraints, which mirror the
    field validators run here (docs/architecture.md §11).
    """
    errors = {}
    allowed = {}
    for it in items:
        unit = it["unit"]
        if unit.pk not in allowed:
            allowed[unit.pk] = scope.can(user, Action.ENTER_MEASUREMENTS, unit)
    if not all(allowed.values()):
        scope.require(user, Action.ENTER_MEASUREMENTS, next(it["unit"] for it in items if not allowed[it["unit"].pk]))
    values = []
    for it in items:
        try:
            privacy.require_no_personal_data(comment=it.get("comment", "") or "")
            values.append(parse_decimal(it.get("value")))
        except ValidationError as error:
            errors.setdefault(it["key"], []).extend(error.messages)
            values.append(None)
    for index, messages in measurement_target_errors(items).items():
        errors.setdefault(items[index]["key"], []).extend(messages)
    stored = _stored_measurements(items, for_update=not check_only)
    now = timezone.now()
    saved, created, updated = [], [], []
    for it, value in zip(items, values):
        key = it["key"]
        comment = it.get("comment", "") or ""
        existing = stored.get((it["indicator"].pk, it["unit"].pk, it["period"].pk))
        if existing is None:
            measurement = Measurement(indicator=it["indicator"], unit=it["unit"], period=it["period"], value=value,
                                      comment=comment, source=source, author=user, created_at=now, updated_at=now)
            created.append(measurement)
        else:
            try:
                check_version(existing, it.get("expected_version"))
            except StaleWrite as error:
                errors.setdefault(key, []).append(str(error))
                saved.append(existing)
                continue
            if existing.value == value and existing.comment == comment:
                saved.append(existing)
                continue
            if existing.locked:
                errors.setdefault(key, []).append(str(MEASUREMENT_LOCKED_MESSAGE))
                saved.append(existing)
                continue
            existing.indicator, existing.unit, existing.period = it["indicator"], it["unit"], it["period"]
            existing.value, existing.comment, existing.source, existing.author = value, comment, source, user
            existing.version += 1
            existing.updated_at = now
            measurement = existing
            updated.append(measurement)
        if key not in errors:
            try:
                # The model's own rules without the per-row uniqueness queries (the read above
                # and the unique constraint cover those): the validators of the fields a caller
                # gives (value, comment: its max_length and the privacy guard); the others are set
                # here.
                measurement.clean_fields(exclude=_FIELDS_SET_HERE)
                measurement.clean()
            except ValidationError as error:
                errors.setdefault(key, []).extend(error.messages)
        saved.append(measurement)
    if errors or check_only:
        return saved, errors
    _bulk_write(created, updated, user=user, now=now, progress=progress)
    return saved, errors


def _bulk_write(created, updated, *, user, now, progress):
    changed = ["value", "comment", "source", "author", "version", "updated_at"]
    writes = [
        (created, lambda chunk: bulk_create_with_history(chunk, Measurement, batch_size=BATCH_SIZE,
                                                         default_user=user, default_date=now)),
        (updated, lambda chunk: bulk_update_with_history(chunk, Measurement, changed, batch_size=BATCH_SIZE,
                                                         default_user=user, default_date=now)),
    ]
    to_write, written = len(created) + len(updated), 0
    for measurements, write in writes:
        for start in range(0, len(measurements), PROGRESS_CHUNK):
            chunk = measurements[start:start + PROGRESS_CHUNK]
            write(chunk)
            # A bulk write sends no history signal: name the API key (and its creator) here.
            record_api_token_bulk(Measurement, chunk)
            written += len(chunk)
            if progress is not None:
                progress(written, to_write)


# --- activities -------------------------------------------------------------------------------

ACTIVITY_FIELDS = {"title", "description", "expected_citizen_value", "status", "start_date", "end_date"}
# Free text that may reach the board's report, and so is checked for personal data.
ACTIVITY_TEXT_FIELDS = ("title", "description", "expected_citizen_value")


def _check_activity_goals(team, goals):
    for goal in goals:
        if goal.scorecard.unit_id != team.parent_id:
            raise ValidationError({"goals": _("“%(goal)s” is not a goal of %(unit)s.") % {"goal": goal, "unit": team.parent}})


def _require_team(team):
    if team.kind != OrgUnitKind.TEAM:
        raise ValidationError({"team": _("Activities belong to a team.")})


@transaction.atomic
def activity_create(*, user, team, goals, **fields):
    scope.require(user, Action.EDIT_ACTIVITIES, team)
    _require_team(team)
    _refuse_unknown(fields, ACTIVITY_FIELDS)
    privacy.require_no_personal_data(**_texts(fields, ACTIVITY_TEXT_FIELDS))
    goals = list(goals)
    if not goals:
        raise ValidationError({"goals": _("Choose at least one of the unit's goals that the activity serves.")})
    _check_activity_goals(team, goals)
    activity = Activity(team=team, created_by=user, **fields)
    save_created(activity, user=user)
    activity.goals.set(goals)
    return activity


@transaction.atomic
def activity_update(*, user, activity, expected_version, goals=None, **changes):
    scope.require(user, Action.EDIT_ACTIVITIES, activity.team)
    _refuse_unknown(changes, ACTIVITY_FIELDS)
    privacy.require_no_personal_data(**_texts(changes, ACTIVITY_TEXT_FIELDS))
    activity = update_versioned(activity, expected_version=expected_version, changes=changes, user=user)
    if goals is not None:
        goals = list(goals)
        if not goals:
            raise ValidationError({"goals": _("Choose at least one of the unit's goals that the activity serves.")})
        _check_activity_goals(activity.team, goals)
        activity.goals.set(goals)
    return activity


@transaction.atomic
def activity_log_update(*, user, activity, date, text, status_after=""):
    """Log dated progress; a new status given with the note changes the activity's status too."""
    scope.require(user, Action.EDIT_ACTIVITIES, activity.team)
    privacy.require_no_personal_data(text=text)
    update = ActivityUpdate(activity=activity, date=date, text=text, status_after=status_after, author=user)
    save_created(update, user=user)
    if status_after:
        # Compare with the locked row, not the caller's copy, which may be out of date.
        current = locked(activity)
        if current.status != status_after:
            current.status = ActivityStatus(status_after)
            save_new_version(current, user=user)
    return update


# --- helpers ----------------------------------------------------------------------------------

def _texts(values, names):
    return {name: values[name] for name in names if isinstance(values.get(name), str)}


def _refuse_unknown(changes, allowed):
    unknown = set(changes) - set(allowed)
    if unknown:
        # A programming error, not a user error: the caller passed a field this service does not change.
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))} here.")
