"""Limits on guessing passwords, two-factor codes and API tokens, and auditing sign-ins.

Failed sign-ins (a wrong password or a wrong code) are counted by django-axes in the
database, so every web node sees the same counts. Three limits apply, each over the
lockout period (``HOMEWARD_LOCKOUT_MINUTES``):

- a username from one address: ``HOMEWARD_LOCKOUT_FAILURES`` failures lock that username
  at that address only. Someone elsewhere guessing a known username cannot lock its owner
  out, and colleagues sharing one address (a police station behind one NAT) do not lock
  each other out;
- one address, whatever the usernames: ``HOMEWARD_LOCKOUT_ADDRESS_FAILURES`` failures stop
  sign-ins from that address, so one client cannot try username after username;
- a username from everywhere: ``HOMEWARD_LOCKOUT_ACCOUNT_FAILURES`` failures, spread over
  many addresses, lock the username everywhere except at the addresses its owner has
  signed in from in the last ``USUAL_ADDRESS_DAYS`` days.

A username nobody has is counted and locked just the same, so the lockout page never
tells anyone whether an account exists. API requests with a wrong, expired or revoked
bearer token are counted per address too: ``HOMEWARD_API_TOKEN_FAILURES`` of them and
the address gets 429 for any token until the oldest failure is a lockout period old.

The client address is REMOTE_ADDR, or behind ``HOMEWARD_TRUSTED_PROXIES`` proxies the
address the nearest of them saw (from X-Forwarded-For); an IPv6 client is counted by its
/64 network, since one household or device holds a whole /64.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import CHANNEL_UI, Actor
from homeward.organisations.models import SignInAddress, TokenFailure, User

LOCKED_STATUS = 429
# The sign-in form's username field, which django-axes reads the username from.
USERNAME_FIELD = "username"
MAX_USERNAME_LENGTH = 150
# An address a user has signed in from within this many days is one of their usual ones.
USUAL_ADDRESS_DAYS = 90
IPV6_NETWORK_BITS = 64

# Why a sign-in is refused (request.homeward_lock_reason).
ACCOUNT = "account"
ADDRESS = "address"


# --- the client's address -------------------------------------------------------------


def _normalised(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = ipaddress.ip_network(f"{address}/{IPV6_NETWORK_BITS}", strict=False)
        return str(network.network_address)
    return str(address)


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, as every limit counts it (django-axes calls
    this too: AXES_CLIENT_IP_CALLABLE). With N trusted proxies in front, it is the Nth
    address from the right of X-Forwarded-For: what the nearest proxy saw, which a client
    cannot forge by sending its own X-Forwarded-For."""
    proxies = int(getattr(settings, "HOMEWARD_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
        ]
        if len(forwarded) >= proxies:
            address = _normalised(forwarded[-proxies])
            if address is not None:
                return address
    return _normalised(str(request.META.get("REMOTE_ADDR", "")))


def lockout_period() -> timedelta:
    return get_cool_off() or timedelta(minutes=15)


# --- signing in (django-axes) -----------------------------------------------------------


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def is_usual_address(username: str, address: str | None) -> bool:
    if not address:
        return False
    since = clock.now() - timedelta(days=USUAL_ADDRESS_DAYS)
    return SignInAddress.objects.filter(
        user__username=username, address=address, last_signed_in_at__gte=since
    ).exists()


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]  # django-axes has no types
    """django-axes' database handler with the address and whole-username limits added to
    its own (a username at one address: AXES_LOCKOUT_PARAMETERS)."""

    def lock_reason(self, request: Any, credentials: dict[str, Any] | None = None) -> str | None:
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        address = request.axes_ip_address
        reason = None
        address_failures = _failures(recent.filter(ip_address=address))
        if address_failures >= settings.HOMEWARD_LOCKOUT_ADDRESS_FAILURES:
            reason = ADDRESS
        elif super().is_locked(request, credentials):
            reason = ACCOUNT
        else:
            username = get_client_username(request, credentials)
            if (
                username
                and _failures(recent.filter(username=username))
                >= settings.HOMEWARD_LOCKOUT_ACCOUNT_FAILURES
                and not is_usual_address(username, address)
            ):
                reason = ACCOUNT
        request.homeward_lock_reason = reason
        return reason

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        return self.lock_reason(request, credentials) is not None

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        """Counted as django-axes counts it; then the failure that reaches any of the
        limits is itself answered with the lockout page, not just the next attempt."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if (
            request is not None
            and not request.axes_locked_out
            and self.is_locked(request, credentials)
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # django-axes has no types
    """django-axes' check, before Django's own backend. Only sign-ins from a web request are
    watched: authenticating without one (the test client's ``login``, a shell) is not a
    sign-in anyone outside could make, so it is let through to the next backend."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return
        super().authenticate(request, username, password, **kwargs)


def username_of(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The username django-axes keys on: as typed, cut to the longest a username can be, so
    a page-long "username" cannot overflow its table (and cannot be anyone's)."""
    source: Any = credentials if credentials else getattr(request, "POST", {})
    username = source.get(USERNAME_FIELD)
    return None if username is None else str(username)[:MAX_USERNAME_LENGTH]


def cool_off_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request) or timedelta(0)
    return max(int(cool_off.total_seconds() // 60), 1)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,  # noqa: ARG001
    credentials: Any = None,  # noqa: ARG001
) -> HttpResponse:
    """The page shown once a sign-in is refused: for the account (it says the same whether
    or not the username exists, and does not repeat it) or for the address."""
    minutes = cool_off_minutes(request)
    template = (
        "organisations/too_many_sign_ins.html"
        if getattr(request, "homeward_lock_reason", None) == ADDRESS
        else "organisations/locked_out.html"
    )
    response = render(request, template, {"minutes": minutes}, status=LOCKED_STATUS)
    response["Retry-After"] = str(minutes * 60)
    return response


def is_locked(request: HttpRequest, username: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {USERNAME_FIELD: username}))


def count_failure(request: HttpRequest, username: str) -> bool:
    """Count a failure against ``username`` (a wrong two-factor code counts as a wrong
    password does). Returns whether the sign-in is now refused."""
    user_login_failed.send(sender=__name__, credentials={USERNAME_FIELD: username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def signed_in(request: HttpRequest, user: User) -> None:
    """After a whole sign-in succeeds (password and, where asked, the code): the failures
    on this username from this address are forgotten, and the address becomes one of the
    user's usual ones. Failures from elsewhere still count."""
    address = client_address(request)
    now = clock.now()
    AccessAttempt.objects.filter(username=user.get_username(), ip_address=address).delete()
    # An address unused for USUAL_ADDRESS_DAYS is no longer usual: not kept either.
    SignInAddress.objects.filter(
        user=user, last_signed_in_at__lt=now - timedelta(days=USUAL_ADDRESS_DAYS)
    ).delete()
    if address:
        SignInAddress.objects.update_or_create(
            user=user, address=address, defaults={"last_signed_in_at": now}
        )


def known_user(username: str) -> User | None:
    if not username or len(username) > MAX_USERNAME_LENGTH:
        return None
    return User.objects.filter(username=username).first()


def actor_for(user: User | None) -> Actor:
    if user is None:
        return Actor(user=None, membership=None, channel=CHANNEL_UI)
    return Actor.for_user(user)


def audit_sign_in_failed(
    request: HttpRequest,  # noqa: ARG001
    username: str,
    reason: str,
    locked: bool = False,
) -> None:
    """A failed sign-in, against the user where one has that username. Never the password;
    and an unknown username is not stored either (it may be a password typed in the
    wrong box)."""
    user = known_user(username)
    audit.record(
        actor_for(user),
        "sign_in_failed",
        "user",
        user.pk if user else "",
        details={"reason": reason, "locked": locked, "known_user": user is not None},
    )


# --- API tokens ---------------------------------------------------------------------------


def token_retry_after(request: HttpRequest) -> int | None:
    """Seconds until this address may try a bearer token again, or None if it may now."""
    now = clock.now()
    return token_retry_after_nth(token_failure_nth(request, now).first(), now)


def token_failure_nth(request: HttpRequest, now: datetime) -> QuerySet[TokenFailure, datetime]:
    """The time of the address's limit-th most recent token failure in the lockout period,
    as a query of one value (none: fewer failures), to read alone or with the token."""
    recent = TokenFailure.objects.filter(
        address=client_address(request), at__gte=now - lockout_period()
    )
    limit = int(settings.HOMEWARD_API_TOKEN_FAILURES)
    return recent.order_by("-at").values_list("at", flat=True)[limit - 1 : limit]


def token_retry_after_nth(nth: datetime | None, now: datetime) -> int | None:
    """``token_retry_after`` from ``token_failure_nth``: once the limit-th most recent
    failure is a period old, fewer than the limit remain."""
    if nth is None:
        return None
    return max(math.ceil((nth + lockout_period() - now).total_seconds()), 1)


def count_token_failure(request: HttpRequest) -> None:
    now = clock.now()
    TokenFailure.objects.filter(at__lt=now - lockout_period()).delete()
    TokenFailure.objects.create(address=client_address(request), at=now)
