"""API tokens for integrations ("API-nycklar"): a controller lists the tokens of the users in
their part of the organisation, creates one (the key is shown once, on the page that answers
the creation, and never again) and revokes one. The rules are ``governance.services``'
(token_create, token_revoke) and ``governance.selectors.api_token_users``."""

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

app_name = "governance"


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("What the token is for, e.g. the name of the source system."))
    user = forms.ModelChoiceField(label=gettext_lazy("Acts as"), queryset=None,
                                  help_text=gettext_lazy("The token may do exactly what this user may do."))
    expires_on = forms.DateField(label=gettext_lazy("Valid through"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=gettext_lazy("Leave empty for a token that is valid until it is revoked."))

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.username})"

    def expires_at(self):
        """The end of the day given (the token is valid through it), in the local time zone."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _require_token_manager(user):
    if not selectors.api_token_users(user=user).exists():
        raise PermissionDenied(_("Only controllers manage API tokens."))


def token_state(token, now):
    if token.revoked_at is not None:
        return "revoked", _("Revoked")
    if token.expires_at is not None and token.expires_at <= now:
        return "expired", _("Expired")
    return "active", _("Active")


@login_required
@require_safe
def token_list(request):
    _require_token_manager(request.user)
    now = timezone.now()
    tokens = [(token, *token_state(token, now)) for token in selectors.api_token_list(user=request.user)]
    return render(request, "governance/tokens/list.html", {"tokens": tokens})


@login_required
def token_create(request):
    _require_token_manager(request.user)
    users = selectors.api_token_users(user=request.user)
    form = TokenCreateForm(request.POST or None, users=users, initial={"user": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.token_create(user=request.user, for_user=form.cleaned_data["user"],
                                               name=form.cleaned_data["name"], expires_at=form.expires_at())
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


urlpatterns = [
    path("", token_list, name="tokens"),
    path("ny/", token_create, name="token-create"),
    path("<int:pk>/aterkalla/", token_revoke, name="token-revoke"),
]
