"""The OpenAPI schema and its documentation pages, served from the app itself: no script,
style or font from another host, and no inline script (the content security policy forbids it)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
FOREIGN = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture
def logged_in(client, controller):
    client.force_login(controller)
    return client


def test_the_schema_is_openapi_3_and_documents_the_error_answers(logged_in):
    response = logged_in.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/measurements/{id}/"]["patch"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(operation["responses"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert "/api/v1/units/{unit_pk}/measurements/" in schema["paths"]


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_pages_load_nothing_from_elsewhere_and_run_no_inline_script(logged_in, url):
    response = logged_in.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), html
    assert not FOREIGN.search(html), html
    assert "<style" not in html
    for asset in re.findall(r"""(?:src|href)="(/static/[^"?]+)""", html):
        assert finders.find(asset.removeprefix("/static/")), asset


def test_the_swagger_start_script_is_a_separate_javascript_file(logged_in):
    html = logged_in.get("/api/v1/docs/").content.decode()
    script_url = re.search(r'<script src="([^"]*\?script=[^"]*)"', html).group(1).replace("&amp;", "&")
    response = logged_in.get(script_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_the_documentation_needs_a_login(db):
    assert Client().get("/api/v1/schema/").status_code in (401, 403)
