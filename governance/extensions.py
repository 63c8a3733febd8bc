"""Registries the upper apps fill from their ``AppConfig.ready()``; governance sits below them and
never imports them.

``board_text_fields``: the free-text fields of a model that reach the board report, the workbook,
the API or the public (a goal's title, an indicator's name, a round's name, a comment). Declaring
a field here is the whole of guarding it: ``add`` attaches the personal-data validator
(``governance.privacy``) to the field, so ``full_clean`` (every service through
``governance.concurrency``, every ModelForm, the admin) and every DRF ModelSerializer field built
from it reject an identity number, an e-mail address or a phone number;
``privacy.require_no_personal_data_in(instance)`` checks an instance for code that does not
``full_clean``; and ``manage.py scan_personal_data`` reads the same list.

``internal_text_fields``: the text fields that never reach the board (codes, choices, keys,
technical names). A test (tests/governance/test_board_text_fields.py) fails on any CharField or
TextField of a project model that is in neither list, so a new field cannot be forgotten.

``text_limits``: the one bound on the length of every free-text TextField (a CharField's bound is
its ``max_length``). ``add`` attaches a ``MaxLengthValidator`` to the field (so ``full_clean``,
every service, the admin and every DRF ModelSerializer built from it refuse a longer text) and
makes the field's form field carry ``max_length`` (the ``maxlength`` attribute and the form's own
check), without a migration. Hand-written forms and serializers take their bound from
``text_limit(model, name)``. A test (tests/governance/test_text_limits.py) fails on a TextField of
a project model without a bound, unless it is declared ``written_by_system`` (never typed by a
person, e.g. a job's error message).
"""

from functools import partial

# A follow-up's text, an analysis, a description, a summary, a motivation: a few thousand words.
LONG_TEXT = 20_000
# A comment on a value, a manager's comment to the team, a progress note in an activity's log.
COMMENT_TEXT = 5_000


class TextFieldRegistry:
    """Model -> field names, in the order they were declared."""

    def __init__(self, *, guarded):
        self.guarded = guarded
        self._fields = {}

    def add(self, model, fields):
        fields = list(fields)
        names = {field.name for field in model._meta.get_fields()}
        unknown = [name for name in fields if name not in names]
        if unknown:
            raise ValueError(f"{model._meta.label} has no field(s) {', '.join(unknown)}")
        known = self._fields.setdefault(model, [])
        for name in fields:
            if name in known:
                continue
            known.append(name)
            if self.guarded:
                _attach_validator(model._meta.get_field(name))

    def fields_for(self, model):
        """The declared fields of ``model`` (or of the concrete model a proxy stands for)."""
        model = getattr(model._meta, "concrete_model", model) or model
        return list(self._fields.get(model, []))

    def items(self):
        return [(model, list(fields)) for model, fields in self._fields.items()]

    def __contains__(self, model):
        return model in self._fields


def _attach_validator(field, validator=None):
    """Add the guard (or ``validator``) to the field's validators without touching
    ``_validators``, which Django's ``deconstruct`` reads: declaring a field needs no migration."""
    if validator is None:
        from governance.privacy import no_personal_data_validator as validator

    validators = field.validators  # cached_property: default validators + the field's own
    if validator not in validators:
        field.__dict__["validators"] = [*validators, validator]


board_text_fields = TextFieldRegistry(guarded=True)
internal_text_fields = TextFieldRegistry(guarded=False)


class TextLimitRegistry:
    """Model -> {TextField name: the most characters it holds}."""

    def __init__(self):
        self._limits = {}
        self._system = {}

    def add(self, model, **limits):
        from django.core.validators import MaxLengthValidator
        from django.db import models

        for name, limit in limits.items():
            field = model._meta.get_field(name)
            if not isinstance(field, models.TextField):
                raise ValueError(f"{model._meta.label}.{name} is not a TextField: its bound is its max_length")
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
                raise ValueError(f"{model._meta.label}.{name}: a bound is a positive number of characters")
            known = self._limits.setdefault(model, {})
            if known.get(name, limit) != limit:
                raise ValueError(f"{model._meta.label}.{name} is already bound to {known[name]} characters")
            if name in known:
                continue
            known[name] = limit
            _attach_validator(field, MaxLengthValidator(limit))
            field.formfield = partial(_bounded_formfield, field.formfield, limit)

    def written_by_system(self, model, fields):
        """TextFields no person types (a job's error message): they carry no bound."""
        for name in fields:
            model._meta.get_field(name)
            self._system.setdefault(model, set()).add(name)

    def limit_for(self, model, name):
        model = getattr(model._meta, "concrete_model", model) or model
        return self._limits.get(model, {}).get(name)

    def is_written_by_system(self, model, name):
        model = getattr(model._meta, "concrete_model", model) or model
        return name in self._system.get(model, ())


def _bounded_formfield(formfield, limit, **kwargs):
    """The field's own ``formfield`` with ``max_length``: ModelForms and the admin show the bound
    as ``maxlength`` and check it before the model does."""
    kwargs.setdefault("max_length", limit)
    return formfield(**kwargs)


text_limits = TextLimitRegistry()


def text_limit(model, name):
    """The most characters ``model.name`` holds: the declared bound of a TextField
    (``text_limits``), the ``max_length`` of a CharField. For hand-written forms and
    serializers, so every face refuses the same text."""
    from django.db import models

    field = model._meta.get_field(name)
    if isinstance(field, models.TextField):
        limit = text_limits.limit_for(model, name)
    else:
        limit = getattr(field, "max_length", None)
    if limit is None:
        raise LookupError(f"{model._meta.label}.{name} has no declared bound (governance/extensions.py "
                          "text_limits, filled in AppConfig.ready(): asked before it ran?)")
    return limit


class BoardTextSerializerMixin:
    """For a DRF serializer: its ``validate`` refuses personal data in every field it takes that is
    declared in ``board_text_fields`` for its model (``Meta.model``, or ``board_text_model`` for a
    plain Serializer that writes one), so the API answers 400 field by field before any service."""

    board_text_model = None

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.board_text_model or getattr(getattr(self, "Meta", None), "model", None)
        if model is None:
            return attrs
        from django.core.exceptions import ValidationError as DjangoValidationError
        from rest_framework.exceptions import ValidationError

        from governance import privacy

        texts = {name: attrs[name] for name in board_text_fields.fields_for(model) if isinstance(attrs.get(name), str)}
        try:
            privacy.require_no_personal_data(**texts)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return attrs
