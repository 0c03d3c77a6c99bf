"""Migration 0002 re-keys an existing audit chain: events written with the old, unkeyed
hash verify afterwards with the key, and a chain already broken is not re-keyed (that
would hide the break)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

from homeward.audit import chain, verification
from homeward.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0001_initial")]


def migrate(targets: list[tuple[str, str]]) -> StateApps:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str]]:
    return [("audit", MigrationExecutor(connection).loader.graph.leaf_nodes("audit")[0][1])]


def write_unkeyed_chain(apps: StateApps, count: int) -> None:
    """Events as the service wrote them before the chain was keyed."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    previous = chain.GENESIS
    for sequence in range(1, count + 1):
        event = AuditEvent(
            sequence=sequence,
            at=datetime(2026, 1, sequence, 9, 0, tzinfo=UTC),
            role="",
            channel="cli",
            action="load_demo",
            object_type="demo",
            object_id="",
            details={"n": sequence},
            prev_hash=previous,
        )
        content = {
            "sequence": event.sequence,
            "at": event.at.astimezone(UTC).isoformat(),
            "user": None,
            "organisation": None,
            "role": "",
            "channel": "cli",
            "action": "load_demo",
            "object_type": "demo",
            "object_id": "",
            "child_id": None,
            "details": event.details,
            "prev_hash": previous,
        }
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
        event.hash = hashlib.sha256(canonical.encode()).hexdigest()
        previous = event.hash
        AuditEvent.objects.bulk_create([event])
    AuditChainHead.objects.create(pk=1, sequence=count, hash=previous)


@pytest.fixture
def before_keying() -> Iterator[StateApps]:
    target = latest()
    apps = migrate(BEFORE)
    yield apps
    migrate(BEFORE)  # without PostgreSQL's append-only triggers, so the test's events
    with connection.cursor() as cursor:  # can be cleared before migrating forwards again
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("DELETE FROM audit_auditchainhead")
    migrate(target)


def test_an_old_chain_is_re_keyed_and_verifies(before_keying: StateApps) -> None:
    write_unkeyed_chain(before_keying, 3)
    migrate(latest())
    assert verification.verify_chain() is None
    assert AuditEvent.objects.count() == 3
    # and now, with the key, the old hash no longer passes
    first = AuditEvent.objects.get(sequence=1)
    assert first.hash == chain.event_hash(first)


def test_a_broken_old_chain_is_not_re_keyed(before_keying: StateApps) -> None:
    write_unkeyed_chain(before_keying, 3)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE sequence = 2")
    with pytest.raises(RuntimeError, match="broken at event 2, so it is not re-keyed"):
        migrate(latest())
