"""Issue 11, point 1: the hourly limit on emergency look-ups holds when they arrive at
once. Real threads, each with its own database connection, start together at a barrier
and post through the API, as a client firing guesses in parallel would."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connections
from django.test import Client

from homeward.audit.models import AuditEvent
from homeward.children import emergency
from homeward.children.models import EmergencyAccess
from homeward.organisations.models import Role
from tests import factories
from tests.actors import user_of

OPEN = "/api/v1/children/emergency-access"
REASON = "Found at the bus station at 3am, need her medical needs and who to call"
AT_ONCE = 20

pytestmark = pytest.mark.django_db(transaction=True)


def fire_together(token: str, keyed: bool) -> list[str]:
    """AT_ONCE look-ups of identifiers that match no child, started at one moment."""
    barrier = threading.Barrier(AT_ONCE)
    answers: list[str] = [""] * AT_ONCE

    def guess(n: int) -> None:
        try:
            headers = {"Authorization": f"Bearer {token}"}
            if keyed:
                headers["Idempotency-Key"] = f"guess-{n}"
            client = Client()
            barrier.wait(timeout=60)
            response = client.post(
                OPEN,
                json.dumps({"identifier": f"99900000{n:02d}", "reason": REASON}),
                content_type="application/json",
                headers=headers,
            )
            answers[n] = f"{response.status_code} {response.content.decode()}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return answers


@pytest.mark.parametrize("keyed", [False, True], ids=["plain", "with Idempotency-Keys"])
def test_concurrent_look_ups_cannot_pass_the_limit(keyed: bool) -> None:
    outsider = factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())
    token = factories.api_token(user_of(outsider))

    answers = fire_together(token, keyed)

    looked_up = [a for a in answers if "No single child matches" in a]
    limited = [a for a in answers if "the most allowed" in a]
    assert all(a.startswith("422 ") for a in answers), answers
    assert len(looked_up) == emergency.LOOKUPS_PER_WINDOW
    assert len(limited) == AT_ONCE - emergency.LOOKUPS_PER_WINDOW
    # Every one of them, let through or refused, is in the audit log.
    events = AuditEvent.objects.filter(user=outsider.user)
    assert events.filter(action="emergency_lookup").count() == emergency.LOOKUPS_PER_WINDOW
    assert events.filter(action="emergency_lookup_refused").count() == len(limited)
    assert not EmergencyAccess.objects.exists()
