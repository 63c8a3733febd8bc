"""API keys never carry more rights than their creator and never act as another person (issue 12,
class 4: a key created "acting as" a unit manager let a controller approve a follow-up as that
manager). Keys are the creator's own or an integration account's, whose roles a controller sets
within their own; history names the key and the person behind it; a key whose user lost every
membership stays listed and revocable; an integration account cannot log in on the web."""

import contextlib
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import modelform_factory
from django.urls import reverse
from rest_framework.test import APIClient
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from governance import history, selectors, services
from governance.admin import MembershipForm
from governance.models import ApiToken, HistoryViaApiToken, Membership, Role, User
from reporting.models import FollowUp
from scorecards.models import ActivityUpdate, Measurement
from tests.api.conftest import make_token
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def client_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@contextlib.contextmanager
def key_request(token):
    """Writes as during a request that authenticated with ``token`` (what the middleware and the
    token authentication leave for the history), for writes no API endpoint makes on its own."""
    HistoricalRecords.context.request = SimpleNamespace(api_token=token, user=token.user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def submitted(follow_up):
    from django.utils import timezone

    FollowUp.objects.filter(pk=follow_up.pk).update(state=FollowUp.State.SUBMITTED, submitted_at=timezone.now())
    follow_up.refresh_from_db()
    return follow_up


@pytest.fixture
def fam_system(controller, org):
    """The controller's integration account for Familjebehandling, with a controller's rights there."""
    return services.integration_account_create(user=controller, name="Verksamhetssystemet",
                                               memberships=[(org.family, Role.CONTROLLER)])


# --- the attack of the issue ---------------------------------------------------------------------

def test_a_controller_cannot_create_a_key_acting_as_a_unit_manager_through_the_service(controller, unit_manager):
    with pytest.raises(PermissionDenied):
        services.token_create(user=controller, for_user=unit_manager, name="Som chefen")
    assert not ApiToken.objects.exists()


def test_a_superuser_cannot_create_a_key_acting_as_another_person_either(superuser, unit_manager):
    with pytest.raises(PermissionDenied):
        services.token_create(user=superuser, for_user=unit_manager, name="Som chefen")
    assert not ApiToken.objects.exists()


def test_a_controller_cannot_create_a_key_acting_as_a_unit_manager_on_the_page(client, controller, unit_manager,
                                                                               fam_system):
    client.force_login(controller)
    form = client.get(reverse("governance:token-create")).context["form"]
    assert set(form.fields["user"].queryset) == {controller, fam_system}
    response = client.post(reverse("governance:token-create"), {"name": "Som chefen", "user": unit_manager.pk})
    assert response.status_code == 200 and response.context["form"].errors["user"]
    assert not ApiToken.objects.exists()


def test_an_integration_key_with_controller_rights_cannot_approve_a_follow_up(controller, fam_system, world):
    follow_up = submitted(world.follow_up)
    _token, key = services.token_create(user=controller, for_user=fam_system, name="Verksamhetssystemet")
    response = client_with(key).post(f"/api/v1/follow-ups/{follow_up.pk}/approve/",
                                     {"version": follow_up.version, "comment": "Bra."}, format="json")
    assert response.status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.SUBMITTED


def test_a_key_acting_as_another_person_is_refused_however_it_was_made(controller, unit_manager, world):
    """A key "acting as" the unit manager, created before the rule (or past the service): refused."""
    follow_up = submitted(world.follow_up)
    _token, key = make_token(unit_manager, created_by=controller)
    response = client_with(key).post(f"/api/v1/follow-ups/{follow_up.pk}/approve/",
                                     {"version": follow_up.version, "comment": "Bra."}, format="json")
    assert response.status_code == 401
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.SUBMITTED


def test_the_migration_revokes_keys_acting_as_another_person_with_a_reason(controller, unit_manager, fam_system):
    colleague, _ = make_token(unit_manager, created_by=controller)
    orphan, _ = make_token(unit_manager)
    ApiToken.objects.filter(pk=orphan.pk).update(created_by=None)
    own, _ = make_token(controller)
    system, _ = make_token(fam_system, created_by=controller)
    migration = importlib.import_module("governance.migrations.0007_integration_accounts")
    migration.revoke_keys_acting_as_another_person(apps, None)
    for token in (colleague, orphan, own, system):
        token.refresh_from_db()
    assert colleague.revoked_at and orphan.revoked_at and "annan person" in colleague.revocation_reason
    # The creator's own key passes; an integration account's too (when run again after accounts exist).
    assert own.revoked_at is None and system.revoked_at is None
    assert colleague in selectors.api_token_list(user=controller)


# --- integration accounts get only their creator's rights -----------------------------------------

@pytest.mark.parametrize("where, role", [
    ("family", Role.UNIT_MANAGER), ("north", Role.TEAM_MEMBER), ("board", Role.BOARD_MEMBER),
    ("family", Role.BOARD_MEMBER), ("home_care", Role.CONTROLLER), ("board", Role.CONTROLLER),
])
def test_an_integration_account_cannot_get_rights_its_creator_lacks(controller, org, where, role):
    with pytest.raises(PermissionDenied):
        services.integration_account_create(user=controller, name="System", memberships=[(getattr(org, where), role)])
    assert not User.objects.filter(is_integration=True).exists()


def test_a_controller_gives_what_they_hold_and_a_board_member_controller_read_rights(controller, org):
    make_user("ledamot-strateg", (org.board, Role.BOARD_MEMBER), (org.administration, Role.CONTROLLER))
    both = User.objects.get(username="ledamot-strateg")
    account = services.integration_account_create(user=both, name="Läsare", memberships=[
        (org.administration, Role.BOARD_MEMBER), (org.family, Role.CONTROLLER)])
    assert set(account.memberships.values_list("org_unit", "role")) == {
        (org.administration.pk, Role.BOARD_MEMBER), (org.family.pk, Role.CONTROLLER)}
    # Not at the board itself: the controllers of the administration do not manage the board's members.
    with pytest.raises(PermissionDenied):
        services.integration_account_create(user=both, name="Läsare", memberships=[(org.board, Role.BOARD_MEMBER)])


def test_changing_the_roles_follows_the_same_rule(controller, org, fam_system):
    with pytest.raises(PermissionDenied):
        services.integration_account_update(user=controller, account=fam_system, memberships=[
            (org.family, Role.CONTROLLER), (org.family, Role.UNIT_MANAGER)])
    assert list(fam_system.memberships.values_list("role", flat=True)) == [Role.CONTROLLER]
    services.integration_account_update(user=controller, account=fam_system, memberships=[
        (org.investigation, Role.CONTROLLER)])
    assert list(fam_system.memberships.values_list("org_unit", flat=True)) == [org.investigation.pk]


def test_another_controller_cannot_manage_an_account_with_rights_they_lack(org, fam_system, superuser):
    home = make_user("aldre-strateg", (org.elderly_admin, Role.CONTROLLER))
    with pytest.raises(PermissionDenied):
        services.token_create(user=home, for_user=fam_system, name="x")
    with pytest.raises(PermissionDenied):
        services.integration_account_update(user=home, account=fam_system, memberships=[(org.home_care, Role.CONTROLLER)])
    assert fam_system not in selectors.integration_account_list(user=home)


def test_the_creators_superuser_status_never_transfers(superuser, org):
    account = services.integration_account_create(user=superuser, name="Drift", memberships=[
        (org.family, Role.UNIT_MANAGER)])
    account.is_superuser = account.is_staff = True
    account.save()
    account.refresh_from_db()
    assert not account.is_superuser and not account.is_staff and not account.has_usable_password()


def test_an_integration_account_without_roles_or_with_a_bad_role_is_refused(controller, org):
    with pytest.raises(ValidationError):
        services.integration_account_create(user=controller, name="System", memberships=[])
    with pytest.raises(ValidationError):
        services.integration_account_create(user=controller, name="System", memberships=[(org.family, "owner")])
    with pytest.raises(ValidationError):
        services.integration_account_create(user=controller, name=" ", memberships=[(org.family, Role.CONTROLLER)])


@pytest.mark.parametrize("who", ["unit_manager", "team_member", "board_member", "outsider"])
def test_only_controllers_create_integration_accounts(request, who, org):
    with pytest.raises(PermissionDenied):
        services.integration_account_create(user=request.getfixturevalue(who), name="System",
                                            memberships=[(org.north, Role.TEAM_MEMBER)])


def test_an_integration_account_is_created_and_changed_on_the_pages(client, controller, org):
    client.force_login(controller)
    url = reverse("governance:integration-create")
    refused = client.post(url, {"name": "System", "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
                                "memberships-0-org_unit": org.family.pk, "memberships-0-role": Role.UNIT_MANAGER})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert not User.objects.filter(is_integration=True).exists()
    created = client.post(url, {"name": "System", "memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "0",
                                "memberships-0-org_unit": org.family.pk, "memberships-0-role": Role.CONTROLLER,
                                "memberships-1-org_unit": "", "memberships-1-role": ""})
    assert created.status_code == 302
    account = User.objects.get(is_integration=True)
    assert account.integration_created_by == controller
    assert "System" in client.get(reverse("governance:integrations")).content.decode()
    edit = reverse("governance:integration-edit", args=[account.pk])
    assert client.get(edit).status_code == 200
    changed = client.post(edit, {"name": "System 2", "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1",
                                 "memberships-0-org_unit": org.investigation.pk,
                                 "memberships-0-role": Role.CONTROLLER})
    assert changed.status_code == 302
    account.refresh_from_db()
    assert account.first_name == "System 2"
    assert list(account.memberships.values_list("org_unit", flat=True)) == [org.investigation.pk]


def test_the_admin_does_not_change_an_integration_accounts_roles(fam_system, org):
    form = modelform_factory(Membership, form=MembershipForm, fields=["user", "org_unit", "role"])(
        data={"user": fam_system.pk, "org_unit": org.north.pk, "role": Role.TEAM_MEMBER})
    assert not form.is_valid() and form.non_field_errors()


# --- history names the key and the person behind it ------------------------------------------------

def test_a_change_through_a_key_shows_the_key_and_its_creator_in_the_history(client, controller, fam_system, world):
    measurement = world.measurement
    token, key = services.token_create(user=controller, for_user=fam_system, name="Verksamhetssystemet")
    response = client_with(key).patch(f"/api/v1/measurements/{measurement.pk}/",
                                      {"value": "77", "version": measurement.version}, format="json")
    assert response.status_code == 200, response.content
    newest = measurement.history.order_by("-history_id").first()
    assert newest.history_user == fam_system
    via = HistoryViaApiToken.objects.get(history_model="scorecards.measurement", history_id=newest.pk)
    assert via.token == token and via.token_created_by == controller
    client.force_login(controller)
    page = client.get(reverse("history", args=["scorecards.measurement", measurement.pk])).content.decode()
    assert "via API-nyckel Verksamhetssystemet (skapad av Karin Berg)" in page
    # A change on the web names no key.
    older = measurement.history.order_by("history_id").first()
    assert not HistoryViaApiToken.objects.filter(history_id=older.pk).exists()


def test_the_history_keeps_the_creators_name_after_the_key_and_creator_are_gone(client, controller, fam_system,
                                                                                 world, superuser):
    measurement = world.measurement
    token, key = services.token_create(user=controller, for_user=fam_system, name="Verksamhetssystemet")
    client_with(key).patch(f"/api/v1/measurements/{measurement.pk}/", {"value": "78", "version": measurement.version},
                           format="json")
    token.delete()
    controller.delete()
    client.force_login(superuser)
    page = client.get(reverse("history", args=["scorecards.measurement", measurement.pk])).content.decode()
    assert "via API-nyckel Verksamhetssystemet (skapad av Karin Berg)" in page


# --- a key whose user lost every membership stays listed and revocable -----------------------------

def test_a_key_whose_integration_account_lost_its_roles_stays_listed_and_revocable(client, controller, org, superuser):
    account = services.integration_account_create(user=superuser, name="Gammalt system", memberships=[
        (org.family, Role.CONTROLLER)])
    token, key = services.token_create(user=superuser, for_user=account, name="Gammal nyckel")
    other = make_user("aldre-strateg", (org.elderly_admin, Role.CONTROLLER))
    Membership.objects.filter(user=account).delete()
    assert token in selectors.api_token_list(user=controller)
    assert token not in selectors.api_token_list(user=other)
    client.force_login(controller)
    listing = client.get(reverse("governance:tokens")).content.decode()
    assert "Gammal nyckel" in listing
    assert client.post(reverse("governance:token-revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == controller
    assert client_with(key).get("/api/v1/years/").status_code == 401


def test_a_colleagues_own_key_stays_listed_after_they_left(controller, org):
    colleague = make_user("kollega", (org.children, Role.CONTROLLER))
    token, _key = services.token_create(user=colleague, name="Egen analys")
    Membership.objects.filter(user=colleague).delete()
    colleague.is_active = False
    colleague.save()
    assert token in selectors.api_token_list(user=controller)
    services.token_revoke(user=controller, token=token)
    other = make_user("aldre-strateg", (org.elderly_admin, Role.CONTROLLER))
    assert token not in selectors.api_token_list(user=other)
    with pytest.raises(PermissionDenied):
        services.token_revoke(user=other, token=token)


# --- an integration account cannot log in on the web -------------------------------------------------

def test_an_integration_account_cannot_log_in_on_the_web(client, fam_system):
    fam_system.set_password("ett-langt-losenord-2026")
    fam_system.save()
    fam_system.refresh_from_db()
    assert not fam_system.has_usable_password()
    response = client.post(reverse("login"), {"username": fam_system.username, "password": "ett-langt-losenord-2026"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert not client.login(username=fam_system.username, password="ett-langt-losenord-2026")


def test_a_session_of_an_integration_account_is_never_valid(client, fam_system, world):
    client.force_login(fam_system)
    response = client.get(reverse("governance:tokens"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get("/api/v1/years/").status_code in (401, 403)


def test_an_integration_account_manages_no_keys(fam_system, org):
    with pytest.raises(PermissionDenied):
        services.token_create(user=fam_system, name="x")
    with pytest.raises(PermissionDenied):
        services.integration_account_create(user=fam_system, name="y", memberships=[(org.family, Role.CONTROLLER)])


def test_a_bulk_write_through_a_key_can_record_the_key_too(controller, fam_system, world):
    """``bulk_create_with_history`` sends no signal: its service calls record_api_token_bulk."""
    token, _key = services.token_create(user=controller, for_user=fam_system, name="Massimport")
    measurement = world.measurement
    history.record_api_token_bulk(Measurement, [measurement])  # outside a key's request: nothing
    assert not HistoryViaApiToken.objects.exists()
    with key_request(token):
        measurement.comment = "Ur verksamhetssystemet"
        bulk_update_with_history([measurement], Measurement, ["comment"], default_user=fam_system)
        history.record_api_token_bulk(Measurement, [measurement])
    newest = measurement.history.order_by("-history_id").first()
    via = HistoryViaApiToken.objects.get()
    assert (via.history_model, via.history_id, via.token) == ("scorecards.measurement", newest.pk, token)


def test_the_deleted_records_page_names_the_key(client, controller, fam_system, world):
    token, _key = services.token_create(user=controller, for_user=fam_system, name="Verksamhetssystemet")
    with key_request(token):
        ActivityUpdate.objects.get(activity=world.activity).delete()
    client.force_login(controller)
    page = client.get(reverse("history-deleted", args=["scorecards.activityupdate"])).content.decode()
    assert "via API-nyckel Verksamhetssystemet (skapad av Karin Berg)" in page
