"""API tokens: who may create and revoke them, how a request authenticates with one, the
controller's pages and the operations command."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance import services
from governance.models import ApiToken, Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(org, controller):
    """An integration account with a controller's role in Familjebehandling, which the controller
    (of the administration above it) manages."""
    return make_user("integration-fam", (org.family, Role.CONTROLLER), is_integration=True,
                     integration_created_by=controller)


def client_with(key, keyword="Bearer"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


# --- the services ----------------------------------------------------------------------------

def test_controller_creates_a_token_for_an_integration_account_in_scope(controller, integration):
    token, key = services.token_create(user=controller, for_user=integration, name="Verksamhetssystemet")
    assert token.user == integration and token.created_by == controller
    assert token.key_hash == ApiToken.hash_key(key) and len(token.key_hash) == 64
    assert key not in {getattr(token, f.attname) for f in ApiToken._meta.concrete_fields if f.attname != "key_prefix"}


def test_controller_creates_a_token_for_themselves(controller):
    token, _key = services.token_create(user=controller, for_user=controller, name="Egen analys")
    assert token.user == controller


def test_controller_cannot_create_a_token_for_a_user_outside_their_scope(controller, org):
    elsewhere = make_user("hemtjanst-chef", (org.home_care, Role.UNIT_MANAGER))
    with pytest.raises(PermissionDenied):
        services.token_create(user=controller, for_user=elsewhere, name="x")
    assert not ApiToken.objects.exists()


def test_controller_cannot_create_a_token_for_a_superuser(controller, superuser):
    with pytest.raises(PermissionDenied):
        services.token_create(user=controller, for_user=superuser, name="x")


def test_controller_cannot_create_a_token_for_someone_also_placed_outside_their_scope(controller, org):
    both = make_user("dubbel", (org.family, Role.UNIT_MANAGER), (org.home_care, Role.UNIT_MANAGER))
    with pytest.raises(PermissionDenied):
        services.token_create(user=controller, for_user=both, name="x")


@pytest.mark.parametrize("who", ["unit_manager", "team_member", "board_member", "outsider"])
def test_only_controllers_create_tokens(request, who, integration):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.token_create(user=user, for_user=user, name="x")
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name_and_a_future_expiry(controller, integration):
    with pytest.raises(ValidationError) as error:
        services.token_create(user=controller, for_user=integration, name=" ",
                              expires_at=timezone.now() - datetime.timedelta(days=1))
    assert set(error.value.message_dict) == {"name", "expires_at"}


def test_revoking_is_for_controllers_in_scope(controller, unit_manager, integration):
    token, _key = services.token_create(user=controller, for_user=integration, name="x")
    with pytest.raises(PermissionDenied):
        services.token_revoke(user=unit_manager, token=token)
    revoked = services.token_revoke(user=controller, token=token)
    assert revoked.revoked_at is not None


# --- authentication --------------------------------------------------------------------------

def test_a_valid_token_acts_with_its_users_scope(controller, integration, world):
    _token, key = services.token_create(user=controller, for_user=integration, name="x")
    response = client_with(key).get("/api/v1/org-units/", {"page_size": 500})
    assert response.status_code == 200
    names = {row["name"] for row in response.json()["results"]}
    assert "Familjebehandling" in names and "Team Norr" in names
    assert "Barnutredning" not in names and "Hemtjänst" not in names


def test_the_token_keyword_is_accepted_too(controller, world):
    _token, key = services.token_create(user=controller, for_user=controller, name="x")
    assert client_with(key, keyword="Token").get("/api/v1/years/").status_code == 200


def test_using_a_token_records_when_it_was_last_used(controller, world):
    token, key = services.token_create(user=controller, for_user=controller, name="x")
    assert token.last_used_at is None
    client_with(key).get("/api/v1/years/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(controller, world):
    token, key = services.token_create(user=controller, for_user=controller, name="x")
    services.token_revoke(user=controller, token=token)
    response = client_with(key).get("/api/v1/years/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_an_expired_token_is_refused(controller, world):
    token, key = services.token_create(user=controller, for_user=controller, name="x",
                                       expires_at=timezone.now() + datetime.timedelta(hours=1))
    assert client_with(key).get("/api/v1/years/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client_with(key).get("/api/v1/years/").status_code == 401


def test_the_token_of_a_deactivated_user_is_refused(controller, integration, world):
    _token, key = services.token_create(user=controller, for_user=integration, name="x")
    integration.is_active = False
    integration.save()
    assert client_with(key).get("/api/v1/years/").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer not-a-key", "Bearer a b", "Token ", "Bearer \u00e5\u00e4\u00f6"])
def test_a_wrong_token_is_refused(world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert client.get("/api/v1/years/").status_code == 401


def test_without_credentials_the_api_answers_401(world):
    response = APIClient().get("/api/v1/measurements/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_logged_in_user_uses_the_api_with_the_session(client, unit_manager, world):
    client.force_login(unit_manager)
    assert client.get("/api/v1/measurements/").status_code == 200


# --- the pages -------------------------------------------------------------------------------

def test_controller_creates_a_token_on_the_page_and_sees_the_key_once(client, controller, integration):
    client.force_login(controller)
    response = client.post(reverse("governance:token-create"), {"name": "Verksamhetssystemet", "user": integration.pk,
                                                                  "expires_on": ""})
    assert response.status_code == 200
    key = response.context["key"]
    token = ApiToken.objects.get()
    assert token.user == integration and token.key_hash == ApiToken.hash_key(key)
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    listing = client.get(reverse("governance:tokens")).content.decode()
    assert "Verksamhetssystemet" in listing and token.key_prefix in listing and key not in listing


def test_the_expiry_date_is_valid_through_that_day(client, controller, integration):
    client.force_login(controller)
    day = timezone.localdate() + datetime.timedelta(days=30)
    client.post(reverse("governance:token-create"), {"name": "x", "user": integration.pk, "expires_on": day.isoformat()})
    token = ApiToken.objects.get()
    assert timezone.localtime(token.expires_at).date() == day + datetime.timedelta(days=1)


def test_the_create_page_offers_only_users_in_scope(client, controller, integration, org):
    make_user("hemtjanst-chef", (org.home_care, Role.UNIT_MANAGER))
    client.force_login(controller)
    form = client.get(reverse("governance:token-create")).context["form"]
    assert set(form.fields["user"].queryset.values_list("username", flat=True)) == {"strateg", "integration-fam"}


def test_a_token_for_a_user_out_of_scope_cannot_be_posted(client, controller, org):
    elsewhere = make_user("hemtjanst-chef", (org.home_care, Role.UNIT_MANAGER))
    client.force_login(controller)
    response = client.post(reverse("governance:token-create"), {"name": "x", "user": elsewhere.pk})
    assert response.status_code == 200 and response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_controller_revokes_a_token_on_the_page(client, controller, integration):
    token, key = services.token_create(user=controller, for_user=integration, name="x")
    client.force_login(controller)
    response = client.post(reverse("governance:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client_with(key).get("/api/v1/years/").status_code == 401


@pytest.mark.parametrize("who", ["unit_manager", "team_member", "board_member", "outsider"])
def test_only_controllers_see_the_token_pages(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("governance:tokens")).status_code == 403
    assert client.get(reverse("governance:token-create")).status_code == 403


def test_a_token_out_of_scope_cannot_be_revoked(client, controller, superuser, org):
    elsewhere = make_user("hemtjanst-system", (org.home_care, Role.UNIT_MANAGER), is_integration=True)
    token, _key = services.token_create(user=superuser, for_user=elsewhere, name="x")
    client.force_login(controller)
    assert client.post(reverse("governance:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- the command -----------------------------------------------------------------------------

def test_operations_create_a_token_with_the_command(controller, integration):
    out = io.StringIO()
    call_command("create_api_token", "--user", "integration-fam", "--name", "Kolada", "--created-by", "strateg",
                 "--expires-days", "30", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.key_hash == ApiToken.hash_key(key) and token.expires_at is not None


def test_the_command_keeps_the_scope_rule(controller, org):
    make_user("hemtjanst-chef", (org.home_care, Role.UNIT_MANAGER))
    with pytest.raises(CommandError):
        call_command("create_api_token", "--user", "hemtjanst-chef", "--name", "x", "--created-by", "strateg",
                     stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_a_person_creates_their_own_key_with_the_command_without_naming_themselves(controller):
    out = io.StringIO()
    call_command("create_api_token", "--user", controller.username, "--name", "Egen", stdout=out)
    token = ApiToken.objects.get()
    assert token.user == controller and token.created_by == controller
    assert token.key_hash == ApiToken.hash_key(out.getvalue().strip().splitlines()[-1])
