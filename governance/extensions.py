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
"""


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


def _attach_validator(field):
    """Add the guard to the field's validators without touching ``_validators``, which Django's
    ``deconstruct`` reads: declaring a field guarded needs no migration."""
    from governance.privacy import no_personal_data_validator

    validators = field.validators  # cached_property: default validators + the field's own
    if no_personal_data_validator not in validators:
        field.__dict__["validators"] = [*validators, no_personal_data_validator]


board_text_fields = TextFieldRegistry(guarded=True)
internal_text_fields = TextFieldRegistry(guarded=False)


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
