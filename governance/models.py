"""The organisation, who belongs where, the reporting calendar and the board's political goals."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who logs in, or an integration account. Kept as our own model so that fields can
    be added without a painful swap later; rights come from memberships, not from Django's groups.

    An **integration account** (``is_integration``) is a source system, not a person: it is used
    only through its API keys (governance.services.integration_account_create). It never has a
    usable password (``set_password`` and ``save`` keep it unusable, so no login form or
    authentication backend can accept one), a web session of one is never valid (its session
    hash matches nothing, so ``django.contrib.auth`` drops the session on the next request: no
    web page and no session-authenticated API call), and it is never staff or a superuser. Its
    rights are its memberships, set explicitly by a controller within the controller's own.
    """

    is_integration = models.BooleanField(
        _("integration account"), default=False,
        help_text=_("A source system using the API through its keys; it cannot log in."))
    integration_created_by = models.ForeignKey(
        "self", verbose_name=_("integration account created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def set_password(self, raw_password):
        if self.is_integration:
            self.set_unusable_password()
            return
        super().set_password(raw_password)

    def save(self, *args, **kwargs):
        if self.is_integration:
            # Whatever face saved it (admin, shell, a service): no password, no staff, no superuser.
            if self.has_usable_password():
                self.set_unusable_password()
            self.is_staff = self.is_superuser = False
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = set(update_fields) | {"password", "is_staff", "is_superuser"}
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None):
        if self.is_integration:
            import secrets

            # Random each time: a session of an integration account never verifies.
            return secrets.token_hex(32)
        return super()._get_session_auth_hash(secret=secret)


class OrgUnitKind(models.TextChoices):
    BOARD = "board", _("Board")
    ADMINISTRATION = "administration", _("Administration")
    DEPARTMENT = "department", _("Department")
    UNIT = "unit", _("Unit")
    TEAM = "team", _("Team")


# Which kinds may stand directly under which. A department may hold sub-departments
# (sektioner), and a unit may sit directly under the administration in a small
# municipality. A team belongs under a unit, always (also enforced by a database trigger).
ALLOWED_PARENT_KINDS = {
    OrgUnitKind.BOARD: set(),
    OrgUnitKind.ADMINISTRATION: {OrgUnitKind.BOARD},
    OrgUnitKind.DEPARTMENT: {OrgUnitKind.ADMINISTRATION, OrgUnitKind.DEPARTMENT},
    OrgUnitKind.UNIT: {OrgUnitKind.ADMINISTRATION, OrgUnitKind.DEPARTMENT},
    OrgUnitKind.TEAM: {OrgUnitKind.UNIT},
}

PATH_SEGMENT_WIDTH = 8


class OrgUnit(models.Model):
    """A node of the organisation tree: board, administration, department, unit or team.

    ``path`` is a materialised path ("00000001/00000004/") maintained on save, so that a
    whole subtree is one indexed ``startswith`` query however deep the tree is.
    """

    Kind = OrgUnitKind

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    external_code = models.CharField(
        _("external code"), max_length=50, blank=True,
        help_text=_("The unit's code in other systems (HR, finance), used by imports."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    # path and depth are derived from the parent and written with .update() after save(), so a
    # history row would hold a half-computed path: the parent is what the history keeps.
    history = HistoricalRecords(excluded_fields=["path", "depth"])

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_code"], condition=~Q(external_code=""), name="orgunit_unique_external_code",
                violation_error_message=_("Another organisational unit already has this external code."),
            ),
            models.CheckConstraint(
                condition=Q(kind=OrgUnitKind.BOARD, parent__isnull=True) | (~Q(kind=OrgUnitKind.BOARD) & Q(parent__isnull=False)),
                name="orgunit_only_boards_are_roots",
                violation_error_message=_("A board stands at the top of the organisation; every other unit stands "
                                          "under another unit."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_active"])]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind and self.parent_id is not None:
            allowed = ALLOWED_PARENT_KINDS[OrgUnitKind(self.kind)]
            if self.parent.kind not in allowed:
                raise ValidationError(
                    {"parent": _("A %(kind)s cannot be placed under a %(parent_kind)s.")
                     % {"kind": self.get_kind_display().lower(), "parent_kind": self.parent.get_kind_display().lower()}}
                )
            if self.pk and self.parent.path.startswith(self.path or "\0"):
                raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
        elif self.kind and self.kind != OrgUnitKind.BOARD:
            raise ValidationError({"parent": _("Only a board may stand without a parent.")})
        if self.pk and self.kind:
            # The children must still fit under the new kind (the database trigger would refuse too).
            kinds_below = set(OrgUnit.objects.filter(parent=self.pk).values_list("kind", flat=True))
            misfits = sorted(k for k in kinds_below if self.kind not in ALLOWED_PARENT_KINDS[OrgUnitKind(k)])
            if misfits:
                raise ValidationError({"kind": _("Units of this kind cannot hold what stands under this unit now.")})

    def _computed_path(self):
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.pk:0{PATH_SEGMENT_WIDTH}d}/"

    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = self._computed_path()
        if new_path != old_path:
            self.path = new_path
            self.depth = new_path.count("/") - 1
            OrgUnit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if old_path:
                self._move_descendants(old_path, new_path)

    def _move_descendants(self, old_path, new_path):
        for node in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).order_by("path"):
            node.path = new_path + node.path[len(old_path):]
            node.depth = node.path.count("/") - 1
            OrgUnit.objects.filter(pk=node.pk).update(path=node.path, depth=node.depth)

    def subtree(self):
        """This unit and everything under it."""
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestor_ids(self):
        """Primary keys from the root down to this unit's parent, read off the path (no query)."""
        return [int(segment) for segment in self.path.strip("/").split("/")[:-1]] if self.path else []

    def ancestors(self):
        return OrgUnit.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")

    def is_within(self, other):
        return bool(self.path) and self.path.startswith(other.path)

    @property
    def board(self):
        """The board this unit answers to (the root of its tree)."""
        if self.kind == OrgUnitKind.BOARD:
            return self
        ids = self.ancestor_ids()
        return OrgUnit.objects.get(pk=ids[0]) if ids else None


class Role(models.TextChoices):
    BOARD_MEMBER = "board_member", _("Board member")
    CONTROLLER = "controller", _("Controller")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    TEAM_MEMBER = "team_member", _("Team member")


class Membership(models.Model):
    """Ties a user to an organisational unit in a role; the role covers the unit's subtree."""

    user = models.ForeignKey("governance.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("organisational unit"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["org_unit__path", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit", "role"], name="membership_unique_user_unit_role",
                                    violation_error_message=_("The user already has this role at this unit.")),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_from__lte=models.F("valid_to")),
                name="membership_valid_span",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.org_unit}"

    def is_current(self, on=None):
        on = on or datetime.date.today()
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


class ReportingYear(models.Model):
    """A financial year (verksamhetsår). Swedish municipalities' financial year is the calendar
    year, so the year number alone fixes its span."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting year")
        verbose_name_plural = _("reporting years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="reportingyear_sensible_year",
                                   violation_error_message=_("The year must be between 2000 and 2100.")),
        ]

    def __str__(self):
        return str(self.year)

    @property
    def start(self):
        return datetime.date(self.year, 1, 1)

    @property
    def end(self):
        return datetime.date(self.year, 12, 31)


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    TERTIAL = "tertial", _("Tertial")
    YEAR = "year", _("Year")


MONTH_ABBREVIATIONS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


class Period(models.Model):
    """A month, tertial or the whole year. Months nest in tertials, tertials in the year;
    a database trigger keeps every period inside its parent and its reporting year."""

    Kind = PeriodKind

    year = models.ForeignKey(ReportingYear, verbose_name=_("reporting year"), on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Month 1–12, tertial 1–3, year 1."))
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["start", "-end"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "number"], name="period_unique_kind_number_in_year",
                                    violation_error_message=_("The year already has this period.")),
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="period_start_before_end",
                                   violation_error_message=_("A period cannot end before it starts.")),
            models.CheckConstraint(
                condition=(Q(kind=PeriodKind.MONTH, number__gte=1, number__lte=12)
                           | Q(kind=PeriodKind.TERTIAL, number__gte=1, number__lte=3)
                           | Q(kind=PeriodKind.YEAR, number=1)),
                name="period_number_fits_kind",
                violation_error_message=_("A month is numbered 1 to 12, a tertial 1 to 3 and a year 1."),
            ),
            models.CheckConstraint(
                condition=Q(kind=PeriodKind.YEAR, parent__isnull=True) | (~Q(kind=PeriodKind.YEAR) & Q(parent__isnull=False)),
                name="period_only_year_is_root",
                violation_error_message=_("A year is part of no other period; a month or tertial is part of one."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "start"])]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """Swedish period names as used in board reports: "jan 2026", "T1 2026", "2026"."""
        y = self.start.year
        if self.kind == PeriodKind.MONTH:
            return f"{MONTH_ABBREVIATIONS[self.number - 1]} {y}"
        if self.kind == PeriodKind.TERTIAL:
            return f"T{self.number} {y}"
        return str(y)

    @property
    def code(self):
        """The code used in import files: 2026-01, 2026-T1, 2026."""
        y = self.start.year
        if self.kind == PeriodKind.MONTH:
            return f"{y}-{self.number:02d}"
        if self.kind == PeriodKind.TERTIAL:
            return f"{y}-T{self.number}"
        return str(y)

    def has_ended(self, today=None):
        return self.end < (today or datetime.date.today())

    def clean(self):
        if self.start and self.end and self.year_id:
            year = self.year.year
            if self.start.year != year or self.end.year != year:
                raise ValidationError(_("A period must lie within its reporting year."))
            if self.parent_id and not (self.parent.start <= self.start and self.end <= self.parent.end):
                raise ValidationError(_("A period must lie within the period it is part of."))


def validate_sheet_name(value):
    """Excel refuses these characters in sheet names, and the short title becomes one."""
    bad = sorted(set(value) & set("[]:*?/\\"))
    if bad:
        raise ValidationError(_("The short title cannot contain %(chars)s.") % {"chars": " ".join(bad)})
    if value.strip("'") != value:
        raise ValidationError(_("The short title cannot begin or end with an apostrophe."))


class GoalArea(models.Model):
    """A goal area (målområde) grouping the board's political goals."""

    board = models.ForeignKey(OrgUnit, verbose_name=_("board"), on_delete=models.CASCADE, related_name="goal_areas",
                              limit_choices_to={"kind": OrgUnitKind.BOARD})
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal area")
        verbose_name_plural = _("goal areas")
        ordering = ["board", "order", "name"]
        constraints = [models.UniqueConstraint(
            fields=["board", "name"], name="goalarea_unique_name_per_board",
            violation_error_message=_("The board already has a goal area with this name."))]

    def __str__(self):
        return self.name


class PoliticalGoal(models.Model):
    """A political goal (nämndmål) set by a board for a span of years, usually the mandate period."""

    board = models.ForeignKey(OrgUnit, verbose_name=_("board"), on_delete=models.PROTECT, related_name="political_goals",
                              limit_choices_to={"kind": OrgUnitKind.BOARD})
    area = models.ForeignKey(GoalArea, verbose_name=_("goal area"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="goals")
    code = models.CharField(_("code"), max_length=20, help_text=_("Short reference, e.g. 1 or 2.3."))
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=31, validators=[validate_sheet_name],
                                   help_text=_("At most 31 characters; used as the sheet name in the board workbook."))
    description = models.TextField(_("description"), blank=True)
    valid_from = models.PositiveSmallIntegerField(_("valid from year"))
    valid_to = models.PositiveSmallIntegerField(_("valid to year"))
    vision_link = models.CharField(_("link to vision or Agenda 2030"), max_length=200, blank=True,
                                   help_text=_("E.g. the city vision's theme or an Agenda 2030 target such as 10.2."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("political goal")
        verbose_name_plural = _("political goals")
        ordering = ["board", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["board", "code", "valid_from"], name="politicalgoal_unique_code",
                                    violation_error_message=_("The board already has a political goal with this code "
                                                              "from this year.")),
            models.CheckConstraint(condition=Q(valid_from__lte=models.F("valid_to")), name="politicalgoal_valid_span",
                                   violation_error_message=_("A political goal cannot end before the year it starts.")),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    def is_valid_in(self, year):
        return self.valid_from <= year <= self.valid_to


class ApiToken(models.Model):
    """A key ("API-nyckel") used to call the API as ``user``, with exactly that user's scope. Only
    a SHA-256 hash of the key is stored: the key itself is shown once, when the token is created,
    and cannot be read back.

    A key is either its creator's own (``user == created_by``) or an integration account's
    (``user.is_integration``), never another person's (``acts_for_permitted_user``): the
    authentication refuses any other, whatever created it. Keys that acted as another person
    before this rule were revoked by migration 0007 with ``revocation_reason`` saying so."""

    KEY_PREFIX_LENGTH = 8

    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the source system."))
    user = models.ForeignKey("governance.User", verbose_name=_("acts as"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key begins with"), max_length=KEY_PREFIX_LENGTH, editable=False)
    created_by = models.ForeignKey("governance.User", verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey("governance.User", verbose_name=_("revoked by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revocation_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(key):
        import hashlib

        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    @staticmethod
    def generate_key():
        import secrets

        return secrets.token_urlsafe(32)

    def is_usable(self, now=None):
        from django.utils import timezone

        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    @property
    def acts_for_permitted_user(self):
        """Whether the key acts as its creator or as an integration account (the only two kinds
        of key there are); a key acting as another person is never used."""
        return bool(self.user.is_integration or (self.created_by_id is not None and self.user_id == self.created_by_id))


class HistoryViaApiToken(models.Model):
    """That one history row (``history_model``'s row ``history_id``) was written through an API
    key: the key and the person who created it, beside the row's own author (the key's user).
    Written by governance.history when a request authenticated with a key saves a record; the
    names are kept as text too, so that the history still says who was behind a change after the
    key or its creator is deleted."""

    history_model = models.CharField(max_length=100)
    history_id = models.BigIntegerField()
    token = models.ForeignKey(ApiToken, verbose_name=_("API token"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    token_name = models.CharField(_("name"), max_length=100)
    token_prefix = models.CharField(_("key begins with"), max_length=ApiToken.KEY_PREFIX_LENGTH)
    token_created_by = models.ForeignKey("governance.User", verbose_name=_("created by"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    token_created_by_name = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("change through an API token")
        verbose_name_plural = _("changes through API tokens")
        constraints = [models.UniqueConstraint(fields=["history_model", "history_id"],
                                               name="historyviaapitoken_one_per_row")]

    def __str__(self):
        return f"{self.history_model} {self.history_id}: {self.token_name}"

    @property
    def creator_label(self):
        """The key's creator as the history shows them (the name kept if the account is gone)."""
        return str(self.token_created_by) if self.token_created_by_id else self.token_created_by_name


# Background jobs keep their model beside their machinery; imported here so Django finds it.
from governance.jobs import Job  # noqa: E402,F401
