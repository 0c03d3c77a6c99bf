"""Locking an account after repeated failed sign-ins (django-axes), and auditing sign-ins.

The lock is keyed by username alone: people sharing one address (a police station behind
one NAT) do not lock each other out, and an attacker spreading guesses over many addresses
is still stopped. A username nobody has is locked just the same, so the lockout page
never tells anyone whether an account exists.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from homeward.audit import services as audit
from homeward.core.actor import CHANNEL_UI, Actor
from homeward.organisations.models import User

LOCKED_STATUS = 429
# The sign-in form's username field, which django-axes reads the username from.
USERNAME_FIELD = "username"
MAX_USERNAME_LENGTH = 150


class LockoutBackend(AxesStandaloneBackend):
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
            return None
        return super().authenticate(request, username, password, **kwargs)


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
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page shown once an account is locked. It says the same whether or not the
    username exists, and does not repeat the username."""
    response = render(
        request,
        "organisations/locked_out.html",
        {"minutes": cool_off_minutes(request)},
        status=LOCKED_STATUS,
    )
    return response


def is_locked(request: HttpRequest, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {USERNAME_FIELD: username})


def count_failure(request: HttpRequest, username: str) -> bool:
    """Count a failure against ``username`` (a wrong two-factor code counts as a wrong
    password does). Returns whether the account is now locked."""
    user_login_failed.send(sender=__name__, credentials={USERNAME_FIELD: username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def clear_failures(username: str) -> None:
    """After a whole sign-in succeeds (password and, where asked, the code)."""
    AxesProxyHandler.reset_attempts(username=username)


def known_user(username: str) -> User | None:
    if not username or len(username) > MAX_USERNAME_LENGTH:
        return None
    return User.objects.filter(username=username).first()


def actor_for(user: User | None) -> Actor:
    if user is None:
        return Actor(user=None, membership=None, channel=CHANNEL_UI)
    return Actor.for_user(user)


def audit_sign_in_failed(
    request: HttpRequest, username: str, reason: str, locked: bool = False
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
