"""A token to report against a record one may not see: only its holder can use it, for an
hour, and it shows nothing of the child."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, ValidationFailed
from homeward.linkage import tokens
from homeward.organisations.models import Membership, Role
from tests import factories
from tests.actors import user_of

pytestmark = pytest.mark.django_db


def test_the_holder_redeems_the_token_for_the_record(police_officer: Actor, child: Child) -> None:
    assert tokens.redeem(police_officer, tokens.issue(police_officer, child.pk)) == child.pk


def test_the_token_does_not_show_the_records_id(police_officer: Actor) -> None:
    token = tokens.issue(police_officer, 987654321)
    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert b"987654321" not in decoded
    assert "987654321" not in token


def test_a_changed_token_is_refused(police_officer: Actor, child: Child) -> None:
    token = tokens.issue(police_officer, child.pk)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(ValidationFailed) as refused:
        tokens.redeem(police_officer, forged)
    assert "token" in refused.value.errors


def test_anything_that_is_not_a_token_is_refused(police_officer: Actor) -> None:
    with pytest.raises(ValidationFailed):
        tokens.redeem(police_officer, "not a token")


def test_a_token_expires_after_an_hour(
    police_officer: Actor, child: Child, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tokens.issue(police_officer, child.pk)
    issued = clock.now()
    monkeypatch.setattr(clock, "now", lambda: issued + timedelta(minutes=59))
    assert tokens.redeem(police_officer, token) == child.pk
    monkeypatch.setattr(clock, "now", lambda: issued + timedelta(minutes=61))
    with pytest.raises(ValidationFailed):
        tokens.redeem(police_officer, token)


def test_another_users_token_is_refused(police_officer: Actor, child: Child) -> None:
    token = tokens.issue(police_officer, child.pk)
    colleague = factories.actor(Role.POLICE_OFFICER, police_officer.organisation)  # type: ignore[arg-type]
    with pytest.raises(AccessDenied):
        tokens.redeem(colleague, token)


def test_the_same_user_in_another_membership_cannot_use_it(
    police_officer: Actor, child: Child
) -> None:
    token = tokens.issue(police_officer, child.pk)
    elsewhere = Membership.objects.create(
        user=user_of(police_officer),
        organisation=factories.PoliceForceFactory(),
        role=Role.POLICE_OFFICER,
    )
    with pytest.raises(AccessDenied):
        tokens.redeem(Actor(user=user_of(police_officer), membership=elsewhere), token)


def test_a_token_needs_a_user(child: Child) -> None:
    with pytest.raises(AccessDenied):
        tokens.issue(Actor.system(), child.pk)
