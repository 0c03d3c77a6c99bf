"""Bearer-token authentication for the API. A token acts as its user, through the user's
active membership, on the API channel; a wrong, expired or revoked token is a 401. Too
many of those from one address (HOMEWARD_API_TOKEN_FAILURES in the lockout period) and
every request from it is a 429 for a while, whatever its token. Where two-factor
authentication is required, a token works only while its user has an authenticator app."""

from datetime import datetime, timedelta

from django.db.models import Exists, FilteredRelation, OuterRef, Q, Subquery
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja.security import HttpBearer

from homeward.core import clock
from homeward.core.actor import CHANNEL_API, Actor
from homeward.core.api import TooManyRequests
from homeward.organisations import lockout, mfa
from homeward.organisations.models import ApiToken, Membership, hash_api_token

# last_used_at is for people reviewing tokens, not an access log: write it at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200
# The token's user and the user's active membership, read with the token.
ACTIVE_MEMBERSHIP = ("user", "active", "active__organisation", "active__organisation__police_force")


class BearerToken(HttpBearer):
    # ninja copies openapi_* attributes into the OpenAPI security scheme.
    openapi_description = (
        "A Homeward API token, sent as `Authorization: Bearer hw_...`. "
        "`homeward create-token USERNAME` makes one; it is shown once."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        now = clock.now()
        token = token.strip()
        # The address's failures are read with the token (one query), or alone when there
        # is no token to read.
        row = self._row(request, token, now) if token and len(token) <= MAX_TOKEN_LENGTH else None
        if row is not None:
            nth: datetime | None = getattr(row, "nth_failure", None)
        else:
            nth = lockout.token_failure_nth(request, now).first()
        retry_after = lockout.token_retry_after_nth(nth, now)
        if retry_after is not None:
            raise TooManyRequests(
                "Too many requests from your address had a wrong, expired or revoked "
                f"token. Wait {retry_after} seconds, then try again with a valid token.",
                retry_after=retry_after,
            )
        actor = self._actor(row, now)
        if actor is None:
            lockout.count_token_failure(request)
        return actor

    @staticmethod
    def _row(request: HttpRequest, token: str, now: datetime) -> ApiToken | None:
        """The token's row, with its user, the user's active membership (the first, as
        ``User.active_membership`` reads it) and the address's failures, in one query."""
        rows = (
            ApiToken.objects.filter(token_hash=hash_api_token(token))
            .annotate(
                active=FilteredRelation(
                    "user__memberships", condition=Q(user__memberships__is_active=True)
                ),
                nth_failure=Subquery(lockout.token_failure_nth(request, now)),
            )
            .select_related(*ACTIVE_MEMBERSHIP)
            .order_by("active__pk")
        )
        if mfa.mfa_required():
            confirmed = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
            rows = rows.filter(Exists(confirmed))
        return rows.first()

    @staticmethod
    def _actor(row: ApiToken | None, now: datetime) -> Actor | None:
        if row is None or not row.is_usable(now):
            return None
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        user = row.user
        membership: Membership | None = getattr(row, "active", None)
        if membership is None:
            return Actor.for_user(user, channel=CHANNEL_API)
        membership.user = user
        user._active_membership = membership  # what active_membership() would read
        return Actor(user=user, membership=membership, channel=CHANNEL_API)
