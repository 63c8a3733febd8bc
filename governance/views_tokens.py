"""API keys ("API-nycklar") and integration accounts ("integrationskonton"), for controllers.

A key is either the controller's own or an integration account's; never another person's (issue
12: a key "acting as" a unit manager let a controller approve follow-ups as that manager). An
integration account is a source system with its own memberships, set explicitly by a controller
and only within the controller's own rights; it cannot log in and is used only through its keys.

The pages: the list of the keys a controller may see and revoke (also keys whose user has lost
every membership), a new key (the key is shown once, on the page that answers the creation, and
never again), revoking one, the integration accounts the controller manages, a new one and
changing one's name and memberships. The rules are ``governance.services``' (token_create,
token_revoke, integration_account_create, integration_account_update) and
``governance.selectors``' ("API tokens and integration accounts")."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from governance import selectors, services
from governance.extensions import text_limit
from governance.models import ApiToken, Role, User

app_name = "governance"


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=text_limit(ApiToken, "name"),
                           help_text=gettext_lazy("What the token is for, e.g. the name of the source system."))
    user = forms.ModelChoiceField(
        label=gettext_lazy("The key is for"), queryset=None,
        help_text=gettext_lazy("Your own key may do what you may do; an integration account's key may do exactly "
                               "what the account's roles allow. A key never acts as another person."))
    expires_on = forms.DateField(label=gettext_lazy("Valid through"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=gettext_lazy("Leave empty for a token that is valid until it is revoked."))

    def __init__(self, *args, users, me, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users

        def label(u):
            if u.pk == me.pk:
                return _("My own key (%(user)s)") % {"user": u}
            return _("Integration account: %(name)s (%(username)s)") % {"name": u, "username": u.username}

        self.fields["user"].label_from_instance = label

    def expires_at(self):
        """The end of the day given (the token is valid through it), in the local time zone."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


class IntegrationAccountForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=text_limit(User, "first_name"),
                           help_text=gettext_lazy("The source system, e.g. Verksamhetssystemet Familjebehandling."))


class MembershipRowForm(forms.Form):
    org_unit = forms.ModelChoiceField(label=gettext_lazy("Organisational unit"), queryset=None, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), required=False,
                             choices=[("", "---------")] + list(Role.choices))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        self.fields["org_unit"].label_from_instance = lambda unit: f"{'– ' * unit.depth}{unit}"

    def clean(self):
        data = super().clean()
        if bool(data.get("org_unit")) != bool(data.get("role")):
            raise ValidationError(_("Choose both a unit and a role, or neither."))
        return data


MembershipRowFormSet = forms.formset_factory(MembershipRowForm, extra=3, max_num=50, validate_max=True)


def token_state(token, now):
    if token.revoked_at is not None:
        return "revoked", _("Revoked")
    if not token.acts_for_permitted_user:
        # Created outside Tillit's pages as another person: the authentication refuses it.
        return "refused", _("Acts as another person – refused, revoke it")
    if token.expires_at is not None and token.expires_at <= now:
        return "expired", _("Expired")
    if not token.user.is_active:
        return "inactive", _("The user is deactivated")
    return "active", _("Active")


@login_required
@require_safe
def token_list(request):
    services.require_token_manager(request.user)
    now = timezone.now()
    tokens = list(selectors.api_token_list(user=request.user).prefetch_related("user__memberships"))
    rows = [(token, *token_state(token, now)) for token in tokens]
    return render(request, "governance/tokens/list.html", {"tokens": rows})


@login_required
def token_create(request):
    services.require_token_manager(request.user)
    users = selectors.api_token_users(user=request.user)
    form = TokenCreateForm(request.POST or None, users=users, me=request.user, initial={"user": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.token_create(user=request.user, for_user=form.cleaned_data["user"],
                                               name=form.cleaned_data["name"], expires_at=form.expires_at())
        except PermissionDenied as error:
            form.add_error("user", str(error))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else ("expires_on" if field == "expires_at" else None),
                               errors)
        else:
            # The key is in this answer only: it must not be cached anywhere on the way.
            response = render(request, "governance/tokens/created.html", {"token": token, "key": key})
            add_never_cache_headers(response)
            return response
    return render(request, "governance/tokens/create.html", {"form": form})


@login_required
@require_POST
def token_revoke(request, pk):
    token = selectors.api_token_list(user=request.user).filter(pk=pk).first()
    if token is None:
        raise Http404(_("No such API token."))
    services.token_revoke(user=request.user, token=token)
    messages.success(request, _("The token %(name)s was revoked. It can no longer be used.") % {"name": token.name})
    return redirect("governance:tokens")


# --- integration accounts ----------------------------------------------------------------------

@login_required
@require_safe
def integration_list(request):
    services.require_token_manager(request.user)
    return render(request, "governance/tokens/integration_list.html",
                  {"accounts": selectors.integration_account_list(user=request.user)})


def _membership_pairs(formset):
    return [(row["org_unit"], row["role"]) for row in formset.cleaned_data if row.get("org_unit") and row.get("role")]


def _integration_form(request, account=None):
    services.require_token_manager(request.user)
    units = selectors.grantable_units(user=request.user)
    if account is None:
        initial, rows = {}, []
    else:
        initial = {"name": account.first_name}
        rows = [{"org_unit": m.org_unit_id, "role": m.role}
                for m in account.memberships.order_by("org_unit__path", "role")]
    form = IntegrationAccountForm(request.POST or None, initial=initial)
    formset = MembershipRowFormSet(request.POST or None, initial=rows, prefix="memberships",
                                   form_kwargs={"units": units})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        pairs = _membership_pairs(formset)
        try:
            if account is None:
                account = services.integration_account_create(user=request.user, name=form.cleaned_data["name"],
                                                              memberships=pairs)
                messages.success(request, _("The integration account %(name)s was created. Create a key for it "
                                            "below.") % {"name": account})
                return redirect("governance:token-create")
            services.integration_account_update(user=request.user, account=account, name=form.cleaned_data["name"],
                                                memberships=pairs)
            messages.success(request, _("The integration account %(name)s was saved.") % {"name": account.first_name})
            return redirect("governance:integrations")
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(request, "governance/tokens/integration_form.html",
                  {"form": form, "formset": formset, "account": account})


@login_required
def integration_create(request):
    return _integration_form(request)


@login_required
def integration_edit(request, pk):
    services.require_token_manager(request.user)
    account = User.objects.filter(pk=pk, is_integration=True).first()
    if account is None or not selectors.may_manage_integration(request.user, account):
        raise Http404(_("No such integration account."))
    return _integration_form(request, account)


urlpatterns = [
    path("", token_list, name="tokens"),
    path("ny/", token_create, name="token-create"),
    path("<int:pk>/aterkalla/", token_revoke, name="token-revoke"),
    path("integrationskonton/", integration_list, name="integrations"),
    path("integrationskonton/nytt/", integration_create, name="integration-create"),
    path("integrationskonton/<int:pk>/", integration_edit, name="integration-edit"),
]
