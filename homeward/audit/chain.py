"""The audit log's chain: each event keyed and linked to the one before it.

The log is a chain keyed with ``HOMEWARD_AUDIT_KEY`` (kept outside the database): each
event's hash is an HMAC of its content and the previous event's hash, so without the key
no event can be edited or forged, nor a removed one hidden by rehashing the chain.
``append`` adds events at the head; ``homeward.audit.services`` decides which transaction
they join, and ``homeward.audit.verification`` checks the chain and signs checkpoints of it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import transaction

from homeward.audit.models import AuditChainHead, AuditEvent
from homeward.core import clock
from homeward.core.actor import Actor

GENESIS = "0" * 64


def audit_key() -> bytes:
    return str(settings.HOMEWARD_AUDIT_KEY).encode()


def _canonical(event: AuditEvent) -> bytes:
    content = {
        "sequence": event.sequence,
        "at": event.at.astimezone(UTC).isoformat(),
        "user": event.user_id,
        "organisation": event.organisation_id,
        "role": event.role,
        "channel": event.channel,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "child_id": event.child_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the event's content and the previous event's hash."""
    return hmac.new(key or audit_key(), _canonical(event), hashlib.sha256).hexdigest()


# The chain's head as this process last wrote or read it: (sequence, hash). Only a hint:
# an append moves the head with ``UPDATE ... WHERE sequence = s AND hash = h``, which
# changes nothing unless the stored head is still exactly that, and reads the head (locking
# it) only then. So a run of appends costs two statements each (move the head, insert the
# events), not five, and a stale hint (another process appended, or a rollback undid an
# append) only costs the read it saves.
_head_hint: list[tuple[int, str]] = []


def _move_head(sequence: int, old_hash: str, new_sequence: int, new_hash: str) -> bool:
    """Move the head from (sequence, old_hash) to (new_sequence, new_hash), if that is where
    it is. On PostgreSQL the update also locks the row until the transaction ends."""
    moved = AuditChainHead.objects.filter(pk=1, sequence=sequence, hash=old_hash).update(
        sequence=new_sequence, hash=new_hash
    )
    return moved == 1


def _chain(
    actor: Actor, rows: list[dict[str, Any]], sequence: int, prev_hash: str
) -> list[AuditEvent]:
    now = clock.now()
    key = audit_key()
    created = []
    for row in rows:
        event = AuditEvent(
            sequence=sequence + 1,
            at=now,
            user=actor.user,
            organisation=actor.organisation,
            role=actor.role or "",
            channel=actor.channel,
            prev_hash=prev_hash,
            **row,
        )
        event.hash = event_hash(event, key)
        sequence, prev_hash = event.sequence, event.hash
        created.append(event)
    return created


def append(actor: Actor, rows: Iterable[dict[str, Any]]) -> list[AuditEvent]:
    """Add one event per row at the chain's head, in the caller's transaction if any."""
    rows = list(rows)
    if not rows:
        return []
    # No savepoint of its own inside a caller's transaction: if anything here fails, the
    # caller's transaction cannot commit anyway (Django marks it for rollback).
    with transaction.atomic(savepoint=False):
        created: list[AuditEvent] = []
        if _head_hint:
            sequence, prev_hash = _head_hint[0]
            created = _chain(actor, rows, sequence, prev_hash)
            if not _move_head(sequence, prev_hash, created[-1].sequence, created[-1].hash):
                created = []
        if not created:
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
            created = _chain(actor, rows, head.sequence, head.hash)
            if not _move_head(head.sequence, head.hash, created[-1].sequence, created[-1].hash):
                raise RuntimeError("The audit chain head moved while it was locked")
        AuditEvent.objects.bulk_create(created)
        _head_hint[:] = [(created[-1].sequence, created[-1].hash)]
        return created
