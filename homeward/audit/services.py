"""Writing audit events. Called by every service function and every read path."""

from __future__ import annotations

from typing import Any

from homeward.audit.models import AuditEvent
from homeward.core import clock
from homeward.core.actor import Actor


def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    child_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        at=clock.now(),
        user=actor.user,
        organisation=actor.organisation,
        role=actor.role or "",
        channel=actor.channel,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        child_id=child_id,
        details=details or {},
    )


def record_many_reads(actor: Actor, object_type: str, child_ids: list[int], action: str) -> None:
    """One event per child shown in a list or search result."""
    now = clock.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=now,
            user=actor.user,
            organisation=actor.organisation,
            role=actor.role or "",
            channel=actor.channel,
            action=action,
            object_type=object_type,
            object_id=str(child_id),
            child_id=child_id,
        )
        for child_id in child_ids
    )
