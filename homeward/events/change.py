"""The one helper that records a change: its audit event and its domain event, together.

Every service that changes a record ends with ``record_change``: the audit event (who did
what to which record) joins the caller's transaction, and so does the domain event, so
either both are kept with the change or neither is."""

from __future__ import annotations

from typing import Any

from homeward.audit import services as audit
from homeward.audit.models import AuditEvent
from homeward.core.actor import Actor
from homeward.events import bus
from homeward.events.models import DomainEvent
from homeward.events.types import Event


def record_change(
    actor: Actor,
    event: Event,
    *,
    action: str,
    details: dict[str, Any] | None = None,
    object_type: str | None = None,
    object_id: object = None,
) -> tuple[AuditEvent, DomainEvent]:
    """Audit ``action`` on the event's record (or on ``object_type``/``object_id`` when the
    audit names it differently) and emit ``event``."""
    entry = audit.record(
        actor,
        action,
        object_type or event.aggregate_type,
        event.aggregate if object_id is None else object_id,
        child_id=event.child_id,
        details=details,
    )
    return entry, bus.emit(event, actor)
