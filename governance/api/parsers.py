"""The API's JSON parser (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES): DRF's, but a body nested
deeper than ``MAX_DEPTH`` is a 400 with a clear message instead of a RecursionError (a 500)."""

import json

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No request body of Tillit's API is nested more than a few levels; this leaves ample room.
MAX_DEPTH = 32

TOO_DEEP = "The JSON is nested too deeply (more than %(depth)s levels)."


def depth_exceeds(data, limit):
    """Whether ``data`` (parsed JSON) has containers nested more than ``limit`` levels, without
    recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class SafeJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
        except UnicodeDecodeError as exc:
            raise ParseError("JSON parse error - the body is not valid %s." % encoding) from exc
        try:
            data = json.loads(text, parse_constant=self._reject_constant)
        except RecursionError:
            raise ParseError(TOO_DEEP % {"depth": MAX_DEPTH}) from None
        except ValueError as exc:
            raise ParseError("JSON parse error - %s" % exc) from None
        if depth_exceeds(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP % {"depth": MAX_DEPTH})
        return data

    @staticmethod
    def _reject_constant(name):
        # NaN and Infinity are not JSON (DRF's strict mode refuses them too).
        raise ValueError("%s is not valid JSON" % name)
