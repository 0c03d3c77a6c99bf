"""What the audit log means to a reader: who may see a child's trail, and the words and
columns the trail is shown in. The trail itself is read by ``homeward.children.trail``,
beside the child it belongs to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import Any

from homeward.audit.models import AuditEvent
from homeward.core.actor import Actor

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
