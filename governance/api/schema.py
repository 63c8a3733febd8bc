"""The OpenAPI conventions of the whole API, in one place: every operation documents the error
answers the exception handler gives (401, 403, 404; 400 for bad input and filters; 409 for a
stale write), so that the schema is truthful about them."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer("Error", fields={"detail": serializers.CharField()})

StaleWriteSerializer = inline_serializer("StaleWrite", fields={
    "detail": serializers.CharField(),
    "code": serializers.CharField(help_text="Always 'stale_write'."),
    "current_version": serializers.IntegerField(allow_null=True,
                                                help_text="The version now stored; read the record again."),
})

BAD_INPUT = OpenApiResponse(OpenApiTypes.OBJECT, description=(
    "Bad input: an object of field → list of messages (``non_field_errors`` for the record as a "
    "whole); nested for lists of rows."))
ERRORS = {
    "400": BAD_INPUT,
    "401": OpenApiResponse(ErrorSerializer, description="Not authenticated, or the token is invalid, revoked or expired."),
    "403": OpenApiResponse(ErrorSerializer, description="Readable, but the user may not do this."),
    "404": OpenApiResponse(ErrorSerializer, description="No such object within the user's scope."),
    "409": OpenApiResponse(StaleWriteSerializer, description="Stale write: someone saved the record after the "
                                                             "version given in ``version``. Nothing was saved."),
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class TillitAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["401", "403", "404"]
        if self.method in WRITE_METHODS:
            codes += ["400", "409"]
        elif self.get_filter_backends() or self._get_paginator():
            codes += ["400"]  # a filter value that is not valid
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ERRORS[code], code, direction=direction)
        return responses
