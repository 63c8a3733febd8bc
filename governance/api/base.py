"""Building blocks the API modules of every app share."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key chosen among the objects the requesting user may read: ``scoped(user)``
    gives the queryset. An id outside it is "does not exist" (400), never a hint that it does."""

    def __init__(self, scoped, **kwargs):
        self.scoped = scoped
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scoped(self.context["request"].user)


def version_field(**kwargs):
    return serializers.IntegerField(
        min_value=0, max_value=2**31 - 1,
        help_text="The version you read. A write based on an older version is refused with 409.", **kwargs)


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True,
                      "description": "A number, or text as Swedes write it (\"12,5\", \"1 234,5\", \"80 %\"). "
                                     "null or \"\" for a value known to be missing.",
                      "example": "12,5"})
class NumberInputField(serializers.Field):
    """A value passed on as written to the service, which reads Swedish and English numbers."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float, str)):
            raise serializers.ValidationError("Give a number or a text with a number.")
        if isinstance(data, str) and len(data) > 100:
            raise serializers.ValidationError("The value is too long.")
        return data

    def to_representation(self, value):
        return value



class PartialUpdateMixin:
    """For a PATCH: every field may be left out but ``version``, which a change must give."""

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if name != "version":
                field.required = False
        return fields


class ServiceViewSetMixin:
    """A viewset whose reads come from a selector (``get_queryset``) and whose writes call a
    service: ``read_input`` checks the request's shape, the service decides, and ``answer``
    renders the saved row as the list shows it (read again through the same selector)."""

    output_serializer_class = None

    def read_input(self, serializer_class, data=None):
        serializer = serializer_class(data=self.request.data if data is None else data,
                                      context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def answer(self, instance, status=200):
        from rest_framework.response import Response

        fresh = self.get_queryset().get(pk=instance.pk)
        serializer = self.output_serializer_class(fresh, context=self.get_serializer_context())
        return Response(serializer.data, status=status)
