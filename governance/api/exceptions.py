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


def _api_or_page(page, status_code, detail, code):
    """A Django error handler that answers JSON under /api/ (no HTML error page for a client that
    reads JSON, also with DEBUG off) and Django's own page elsewhere."""
    from django.http import JsonResponse

    def handler(request, *args, **kwargs):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail, "code": code}, status=status_code)
        return page(request, *args, **kwargs)

    handler.__name__ = f"handler{status_code}"
    return handler


def _defaults():
    from django.views import defaults

    return defaults


# Django's handler400/403/404/500 (config/urls.py). Django calls them only with DEBUG off; the
# messages are English, as the API's are, and say nothing of what went wrong inside.
bad_request = _api_or_page(lambda request, exception: _defaults().bad_request(request, exception), 400,
                           "Bad request.", "bad_request")
permission_denied = _api_or_page(lambda request, exception: _defaults().permission_denied(request, exception), 403,
                                 "You do not have permission to perform this action.", "permission_denied")
page_not_found = _api_or_page(lambda request, exception: _defaults().page_not_found(request, exception), 404,
                              "Not found: no such address in the API.", "not_found")
server_error = _api_or_page(lambda request: _defaults().server_error(request), 500,
                            "A server error occurred. It has been logged; please try again later.", "server_error")
