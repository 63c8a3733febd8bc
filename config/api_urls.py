"""The REST API, mounted at /api/v1/: every app's resources, the OpenAPI schema and its
documentation pages (Swagger UI and ReDoc, served from the app's own static files)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from governance.api.docs import RedocView, SwaggerView, redoc_bundle

app_name = "api"

urlpatterns = [
    path("", include("governance.api.urls")),
    path("", include("scorecards.api.urls")),
    path("", include("reporting.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
]
