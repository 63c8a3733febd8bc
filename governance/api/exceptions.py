"""One place that turns what services raise into HTTP answers (set as REST_FRAMEWORK's
EXCEPTION_HANDLER):

- ``django.core.exceptions.PermissionDenied`` → 403 (DRF does this already);
- a read outside the user's scope (``Http404``, ``ObjectDoesNotExist``) → 404;
- ``django.core.exceptions.ValidationError`` → 400 with a body of field → messages, like a
  serializer's (a message not tied to a field under ``non_field_errors``);
- ``StaleWrite`` → 409 with ``detail``, ``code`` "stale_write" and the ``current_version``.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from governance.concurrency import StaleWrite


def validation_error_body(error):
    """A Django ValidationError as ``{field: [messages]}``."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(error, "error_dict"):
        return {(non_field if key == "__all__" else key): list(messages) for key, messages in error.message_dict.items()}
    return {non_field: list(error.messages)}


def stale_write_body(error):
    instance = getattr(error, "instance", None)
    current = None
    if instance is not None and instance.pk is not None:
        current = type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    return {"detail": str(error.message), "code": "stale_write", "current_version": current}


def exception_handler(exc, context):
    if isinstance(exc, StaleWrite):
        return Response(stale_write_body(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_body(exc))
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound(_("Not found."))
    return drf_exception_handler(exc, context)


def server_error(request, *args, **kwargs):
    """Django's handler500: under /api/ an unexpected error is answered in JSON (never the HTML
    error page, never a traceback); elsewhere Django's own page."""
    from django.http import JsonResponse
    from django.views import defaults

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "A server error occurred. It has been logged; please try again later.",
                             "code": "server_error"}, status=500)
    return defaults.server_error(request, *args, **kwargs)
