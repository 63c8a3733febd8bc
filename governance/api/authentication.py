"""Token authentication for integrations: ``Authorization: Bearer <key>`` (``Token <key>`` is
accepted too). The key is looked up by its SHA-256 hash; a revoked or expired token, one whose
user is inactive, and one that acts as neither its creator nor an integration account
(``ApiToken.acts_for_permitted_user``: a key never acts as another person) are refused with 401.
The request then acts as the token's user, with exactly that user's scope, and carries the token
as ``request.api_token`` (the Django request too), which governance.history records beside the
author of every change the request makes."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from governance.models import ApiToken

# The attribute of the (Django) request that holds the key a request authenticated with.
REQUEST_ATTRIBUTE = "api_token"

KEYWORDS = ("bearer", "token")
# last_used_at is written at most this often per token, so that a busy integration does not
# turn every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode("latin-1") not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give the key after the word Bearer."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        user, token = self.authenticate_key(key)
        # DRF's Request wraps Django's: the history (governance.history) reads Django's.
        setattr(request, REQUEST_ATTRIBUTE, token)
        setattr(getattr(request, "_request", request), REQUEST_ATTRIBUTE, token)
        return user, token

    def authenticate_key(self, key):
        token = (ApiToken.objects.select_related("user", "created_by").filter(key_hash=ApiToken.hash_key(key)).first())
        now = timezone.now()
        if token is None or not token.is_usable(now) or not token.user.is_active or not token.acts_for_permitted_user:
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or expired token."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 (with this challenge) rather than a 403.
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An API token created by a controller (Tillit → API-nycklar). "
                               "`Authorization: Bearer <key>`; `Token <key>` is accepted too."}
