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
VIEW_TRAIL = "view_audit_trail"
EXPORT_TRAIL = "export_audit_trail"


def may_see_trail(actor: Actor, child: Any) -> bool:
    """Need to know: the child's responsible council answers for its record (and for a
    subject access request), so its missing coordinator and managers see who looked."""
    return (
        actor.user is not None
        and actor.role in TRAIL_ROLES
        and actor.organisation is not None
        and getattr(child, "responsible_council_id", None) == actor.organisation.pk
    )


def _trail_child(actor: Actor, child_id: object) -> Any:
    from homeward.children.models import Child
    from homeward.core.errors import AccessDenied, NotFound

    if actor.user is not None and actor.role not in TRAIL_ROLES:
        raise AccessDenied("Only the council's missing coordinator or manager can see this.")
    try:
        pk = int(str(child_id))
    except ValueError:
        raise NotFound("No child was found.") from None
    children = Child.objects.select_related("responsible_council").filter(pk=pk)
    if actor.user is not None:
        children = children.filter(responsible_council=actor.organisation)
    child = children.first()
    if child is None:
        raise NotFound("No child was found.")
    return child


def child_audit_trail(
    actor: Actor, child_id: int, action: str = VIEW_TRAIL
) -> QuerySet[AuditEvent]:
    """Who saw or changed this child's records. For the responsible council's missing
    coordinator or manager (and, as the system actor, for a subject access request).
    Looking at the trail, or exporting it (``action``), is itself an audited read."""
    return child_trail(actor, child_id, action).events


@dataclass
class Trail:
    child: Any  # homeward.children.models.Child
    events: QuerySet[AuditEvent]


def child_trail(actor: Actor, child_id: object, action: str = VIEW_TRAIL) -> Trail:
    """The child and their audit trail (oldest first), after checking the actor may see
    it and recording that they did."""
    child = _trail_child(actor, child_id)
    record(actor, action, "child", child.pk, child_id=child.pk)
    events = AuditEvent.objects.filter(child_id=child.pk).select_related("user", "organisation")
    return Trail(child=child, events=events)


# What each action means, in words for the "who has looked at this record" page.
ACTION_LABELS = {
    "view": "Opened the record",
    "search_result": "Shown in search results",
    "list_result": "Shown in a list",
    "view_notifications": "Looked at who was told",
    "view_audit_trail": "Looked at who has seen the record",
    "export_audit_trail": "Downloaded who has seen the record",
    "export_903": "Included in an SSDA903 export",
    "emergency_access": "Opened under emergency access",
    "review_emergency_access": "Reviewed an emergency access",
    "create": "Added the child",
    "start_placement": "Started a placement",
    "set_legal_status": "Changed the legal status",
    "allocate_worker": "Allocated a worker",
    "report": "Reported missing",
    "further_report": "Made a further report",
    "update": "Changed episode details",
    "regrade": "Re-graded the risk",
    "change_classification": "Changed the classification",
    "add_timeline": "Added to the timeline",
    "record_return": "Recorded the return",
    "close": "Closed the episode",
    "link": "Linked episodes",
    "record_check": "Recorded the safe and well check",
    "open_interview": "Opened a return interview",
    "extend_interview": "Added an episode to a return interview",
    "assign_interview": "Assigned the return interview",
    "record_offer": "Recorded the interview offer",
    "record_outcome": "Recorded the interview outcome",
    "record_interview": "Recorded the return interview",
}
OBJECT_LABELS = {
    "child": "Child's record",
    "episode": "Episode",
    "return_interview": "Return interview",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def object_label(event: AuditEvent) -> str:
    """The record an event was about: "Episode HW-7Q2K9M4P", "Child's record"."""
    kind = OBJECT_LABELS.get(event.object_type, event.object_type.replace("_", " ").capitalize())
    if event.object_type == "child":
        return kind
    return f"{kind} {event.object_id}".strip()


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
