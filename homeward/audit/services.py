"""Writing and checking the audit log. Every service function and read path calls
``record``; nothing else writes audit events."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from homeward.audit.models import AuditChainHead, AuditEvent
from homeward.core import clock
from homeward.core.actor import Actor

GENESIS = "0" * 64


def event_hash(event: AuditEvent) -> str:
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
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _append(actor: Actor, rows: Iterable[dict[str, Any]]) -> list[AuditEvent]:
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        now = clock.now()
        created = []
        for row in rows:
            event = AuditEvent(
                sequence=head.sequence + 1,
                at=now,
                user=actor.user,
                organisation=actor.organisation,
                role=actor.role or "",
                channel=actor.channel,
                prev_hash=head.hash,
                **row,
            )
            event.hash = event_hash(event)
            head.sequence, head.hash = event.sequence, event.hash
            created.append(event)
        if created:
            AuditEvent.objects.bulk_create(created)
            head.save(update_fields=["sequence", "hash"])
        return created


def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    child_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    row = {
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "child_id": child_id,
        "details": details or {},
    }
    return _append(actor, [row])[0]


def record_many_reads(actor: Actor, object_type: str, child_ids: list[int], action: str) -> None:
    """One event per child shown in a list or search result."""
    _append(
        actor,
        (
            {
                "action": action,
                "object_type": object_type,
                "object_id": str(child_id),
                "child_id": child_id,
                "details": {},
            }
            for child_id in child_ids
        ),
    )


@dataclass
class ChainProblem:
    sequence: int
    reason: str


def verify_chain(batch_size: int = 5000) -> ChainProblem | None:
    """Walk the whole log in order; return the first break, or None if it is intact."""
    expected_sequence = 1
    previous = GENESIS
    last_seen = 0
    queryset = AuditEvent.objects.order_by("sequence")
    while True:
        batch = list(queryset.filter(sequence__gt=last_seen)[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.sequence != expected_sequence:
                return ChainProblem(expected_sequence, "event is missing (removed from the log)")
            if event.prev_hash != previous:
                return ChainProblem(event.sequence, "does not follow the previous event's hash")
            if event_hash(event) != event.hash:
                return ChainProblem(event.sequence, "content was altered after it was written")
            previous = event.hash
            expected_sequence += 1
            last_seen = event.sequence
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence != last_seen or head.hash != previous):
        return ChainProblem(last_seen + 1, "event is missing (removed from the end of the log)")
    return None


TRAIL_ROLES = {"council_missing_coordinator", "council_manager"}


def child_audit_trail(actor: Actor, child_id: int) -> QuerySet[AuditEvent]:
    """Who saw or changed this child's records. For the responsible council's missing
    coordinator or manager (and, as the system actor, for a subject access request)."""
    from homeward.children.models import Child
    from homeward.core.errors import AccessDenied, NotFound

    if actor.user is not None:
        if actor.role not in TRAIL_ROLES:
            raise AccessDenied("Only the council's missing coordinator or manager can see this.")
        if not Child.objects.filter(pk=child_id, responsible_council=actor.organisation).exists():
            raise NotFound("No child was found.")
    elif not Child.objects.filter(pk=child_id).exists():
        raise NotFound("No child was found.")
    record(actor, "view_audit_trail", "child", child_id, child_id=child_id)
    return AuditEvent.objects.filter(child_id=child_id).select_related("user", "organisation")


TRAIL_COLUMNS = [
    "when",
    "username",
    "name",
    "organisation",
    "role",
    "channel",
    "action",
    "record_type",
    "record",
]


def trail_rows(events: Iterable[AuditEvent]) -> Iterable[list[str]]:
    for event in events:
        user = event.user
        yield [
            event.at.astimezone(UTC).isoformat(),
            user.get_username() if user else "system",
            (user.get_full_name() if user else "Homeward"),
            event.organisation.name if event.organisation else "",
            event.role,
            event.channel,
            event.action,
            event.object_type,
            event.object_id,
        ]
