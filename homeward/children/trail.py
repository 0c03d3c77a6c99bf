"""A child's audit trail: who saw or changed the child's records. Read here, beside the
child, for the responsible council's missing coordinator or manager (and, as the system
actor, for a subject access request); looking at it is itself an audited read. What the
events mean to a reader is in ``homeward.audit.reads``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from homeward.audit import services as audit
from homeward.audit.models import AuditEvent
from homeward.audit.reads import TRAIL_ROLES, VIEW_TRAIL
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound


def _trail_child(actor: Actor, child_id: object) -> Child:
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
    child: Child
    events: QuerySet[AuditEvent]


def child_trail(actor: Actor, child_id: object, action: str = VIEW_TRAIL) -> Trail:
    """The child and their audit trail (oldest first), after checking the actor may see
    it and recording that they did."""
    child = _trail_child(actor, child_id)
    audit.record(actor, action, "child", child.pk, child_id=child.pk)
    events = AuditEvent.objects.filter(child_id=child.pk).select_related("user", "organisation")
    return Trail(child=child, events=events)
