"""The API's documentation pages, served from the app itself (drf-spectacular-sidecar), with
templates that load no script, style or font from another host and run no inline script, so
that they work under a content security policy with ``script-src 'self'``."""

import functools
from pathlib import Path

import drf_spectacular_sidecar
from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

# ReDoc's bundle always draws Redocly's logo from their CDN in its menu footer; nothing may load
# from another host, so the bundle is served with that address replaced by an empty inline image.
REDOC_BUNDLE = (Path(drf_spectacular_sidecar.__file__).parent
                / "static" / "drf_spectacular_sidecar" / "redoc" / "bundles" / "redoc.standalone.js")
REDOC_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E"


@functools.cache
def redoc_bundle_without_cdn():
    return REDOC_BUNDLE.read_text(encoding="utf-8").replace(REDOC_CDN_LOGO, EMPTY_SVG)


@require_GET
def redoc_bundle(request):
    response = HttpResponse(redoc_bundle_without_cdn(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI; its start script is a separate request (``?script``), never inline."""

    template_name = "governance/api/swagger_ui.html"


@method_decorator(csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]}), name="dispatch")
class RedocView(SpectacularRedocView):
    """ReDoc builds its styles in the browser (styled-components) and searches in a worker made
    from a blob: on this one page the policy allows inline *styles* and blob workers. Scripts
    stay ``'self'`` only: no inline script runs here either."""

    template_name = "governance/api/redoc.html"

    @staticmethod
    def _redoc_standalone():
        return reverse("api:redoc-bundle")
