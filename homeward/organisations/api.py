"""Bearer-token authentication for the API. A token acts as its user, through the user's
active membership, on the API channel; a wrong, expired or revoked token is a 401. Too
many of those from one address (HOMEWARD_API_TOKEN_FAILURES in the lockout period) and
every request from it is a 429 for a while, whatever its token. Where two-factor
authentication is required, a token works only while its user has an authenticator app."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja.security import HttpBearer

from homeward.core import clock
from homeward.core.actor import CHANNEL_API, Actor
from homeward.core.api import TooManyRequests
from homeward.organisations import lockout, mfa
from homeward.organisations.models import ApiToken, hash_api_token

# last_used_at is for people reviewing tokens, not an access log: write it at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


class BearerToken(HttpBearer):
    # ninja copies openapi_* attributes into the OpenAPI security scheme.
    openapi_description = (
        "A Homeward API token, sent as `Authorization: Bearer hw_...`. "
        "`homeward create-token USERNAME` makes one; it is shown once."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        retry_after = lockout.token_retry_after(request)
        if retry_after is not None:
            raise TooManyRequests(
                "Too many requests from your address had a wrong, expired or revoked "
                f"token. Wait {retry_after} seconds, then try again with a valid token.",
                retry_after=retry_after,
            )
        actor = self._actor(token.strip())
        if actor is None:
            lockout.count_token_failure(request)
        return actor

    @staticmethod
    def _actor(token: str) -> Actor | None:
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        rows = ApiToken.objects.select_related("user").filter(token_hash=hash_api_token(token))
        if mfa.mfa_required():
            confirmed = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
            rows = rows.filter(Exists(confirmed))
        row = rows.first()
        now = clock.now()
        if row is None or not row.is_usable(now):
            return None
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return Actor.for_user(row.user, channel=CHANNEL_API)
