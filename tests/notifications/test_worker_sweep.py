"""The worker's sweep: besides re-queueing a dead worker's work, it deletes stored API
answers (Idempotency-Key) past their lifetime, since they hold what the response held."""

from datetime import timedelta

import pytest

from homeward.core import clock
from homeward.core.idempotency import KEY_LIFETIME
from homeward.core.models import IdempotencyKey
from homeward.notifications.management.commands.worker import _sweep
from homeward.organisations.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def stored(user: User, key: str, age: timedelta) -> IdempotencyKey:
    row = IdempotencyKey.objects.create(
        user=user,
        key=key,
        method_path="POST /api/v1/episodes",
        request_hash="0" * 64,
        status_code=201,
        response_body={"child": {"first_name": "Someone"}},
    )
    IdempotencyKey.objects.filter(pk=row.pk).update(created_at=clock.now() - age)
    return row


def test_the_sweep_deletes_answers_past_their_lifetime_and_keeps_the_rest() -> None:
    user: User = factories.UserFactory()
    stored(user, "expired", KEY_LIFETIME + timedelta(minutes=1))
    stored(user, "fresh", KEY_LIFETIME - timedelta(minutes=1))
    _sweep()
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
