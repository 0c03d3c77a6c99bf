"""Saving an episode's records: the timeline, the placement at the time, optimistic
concurrency, and the next version with the record of the change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from homeward.audit import services as audit
from homeward.audit.models import AuditEvent
from homeward.children.models import Child, Placement
from homeward.core.actor import Actor
from homeward.core.errors import StaleEdit
from homeward.episodes import visibility
from homeward.episodes.models import (
    Episode,
    EpisodeStatus,
    TimelineEntry,
)
from homeward.episodes.services.rules import OBJECT, Return
from homeward.events.change import record_change
from homeward.events.types import Event
from homeward.organisations.policy import Action


def _placement_at(child: Child, seen: datetime) -> Placement | None:
    """The placement the child was in when last seen (a late report can be about a time
    before the current placement began)."""
    day = timezone.localtime(seen).date()
    current = child.current_placement
    if current is not None and current.start_date <= day:
        return current
    return (
        Placement.objects.filter(child=child, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .order_by("-start_date", "-pk")
        .first()
    )


def _return_fields(returned: Return | None) -> dict[str, Any]:
    if returned is None:
        return {}
    return {
        "status": EpisodeStatus.RETURNED,
        "returned_at": returned.returned_at,
        "return_method": returned.return_method,
        "found_location": returned.found_location.strip(),
        "found_with": returned.found_with.strip(),
        "harm_indicators": returned.harm_indicators.strip(),
    }


def _add_timeline(
    actor: Actor,
    episode: Episode,
    kind: str,
    occurred_at: datetime,
    summary: str,
    location: str = "",
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        episode=episode,
        kind=kind,
        occurred_at=occurred_at,
        summary=summary,
        location=location,
        recorded_by=actor.user,
        recorded_by_organisation=actor.organisation,
    )


# --- optimistic concurrency ------------------------------------------------------------

FIELD_LABELS = {
    "classification": "classification",
    "last_seen_at": "when last seen",
    "last_seen_location": "where last seen",
    "missing_from": "missing from",
    "circumstances": "circumstances",
    "clothing": "clothing",
    "police_reference": "police reference",
    "reporter_name": "who reported",
    "risk_grade": "risk grade",
    "status": "status",
    "returned_at": "return",
    "went_missing_with": "children who went missing together",
}


def _lock(actor: Actor, reference: str, action: Action, expected_version: int | None) -> Episode:
    """The episode the actor is changing, read once and locked for the change, if they may
    see it and take ``action`` on it; refused if it changed since they opened it."""
    current = visibility.get_episode(actor, reference, action, for_update=True)
    if expected_version is not None and current.version != expected_version:
        changed: list[str] = []
        who: set[str] = set()
        for event in AuditEvent.objects.filter(
            object_type=OBJECT,
            object_id=current.reference,
            details__version__gt=expected_version,
        ).select_related("user"):
            for name in event.details.get("fields", []):
                label = FIELD_LABELS.get(name, name.replace("_", " "))
                if label not in changed:
                    changed.append(label)
            if event.user is not None:
                who.add(event.user.get_full_name() or event.user.get_username())
        by = f" by {', '.join(sorted(who))}" if who else ""
        what = f": {', '.join(changed)} changed" if changed else ""
        raise StaleEdit(
            f"Episode {current.reference} was changed{by} after you opened it{what}. "
            "Your changes have not been saved. Check the current details and try again.",
            changed_fields=changed,
            current_version=current.version,
        )
    return current


def _save(
    actor: Actor,
    episode: Episode,
    fields: list[str],
    action: str,
    event: Callable[[Episode], Event] | None = None,
    extra: dict[str, Any] | None = None,
) -> Episode:
    """Save the fields with the next version, and record the change: its audit event and,
    when ``event`` makes one, its domain event."""
    episode.version = F("version") + 1
    episode.save(update_fields=[*fields, "version", "updated_at"])
    episode.refresh_from_db()
    details = {"version": episode.version, "fields": fields, **(extra or {})}
    if event is None:
        audit.record(
            actor, action, OBJECT, episode.reference, child_id=episode.child_id, details=details
        )
    else:
        record_change(actor, event(episode), action=action, details=details)
    return episode


def _about(episode: Episode) -> dict[str, Any]:
    return {"aggregate_id": episode.reference, "child_id": episode.child_id}


EDITABLE_FIELDS = (
    "last_seen_at",
    "last_seen_location",
    "missing_from",
    "circumstances",
    "clothing",
    "police_reference",
    "reporter_name",
)
