"""Bearer-token authentication for the API. A token acts as its user, through the user's
active membership, on the API channel; a wrong, expired or revoked token is a 401."""

from datetime import timedelta

from django.http import HttpRequest
from ninja.security import HttpBearer

from homeward.core import clock
from homeward.core.actor import CHANNEL_API, Actor
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
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        row = (
            ApiToken.objects.select_related("user").filter(token_hash=hash_api_token(token)).first()
        )
        now = clock.now()
        if row is None or not row.is_usable(now):
            return None
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return Actor.for_user(row.user, channel=CHANNEL_API)
