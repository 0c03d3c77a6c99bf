"""A breach of a harbouring notice: when, where (a place, or words, or both) and with which
child, and the episode it happened in if there was one. Recorded by any police force that
sees the notice; the child's council is told (``NoticeBreached``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction

from homeward.children import visibility
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, ValidationFailed
from homeward.core.validation import implausible_time
from homeward.episodes import visibility as episode_visibility
from homeward.events import bus
from homeward.events.change import record_change
from homeward.safeguarding.events import NoticeBreached
from homeward.safeguarding.models import NoticeBreach, Place
from homeward.safeguarding.services import notice_rules as rules
from homeward.safeguarding.services import notices, person_rules

LOCATION_LIMIT = 300


def _when(value: object) -> tuple[datetime | None, list[str]]:
    if value in (None, ""):
        return None, ["Enter when the breach happened"]
    if not isinstance(value, datetime) or implausible_time(value):
        return None, ["When the breach happened must be a real date and time"]
    if value > clock.now():
        return None, ["When the breach happened must be in the past"]
    return value, []


def clean_breach(
    actor: Actor, notice: Any, data: Mapping[str, Any], visible_children: list[Any]
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    child = next(
        (c for c in visible_children if c.pk == person_rules.as_int(data.get("child_id"))), None
    )
    if child is None:
        errors["child_id"] = ["Choose the child named on the notice who was with them"]
    occurred_at, wrong = _when(data.get("occurred_at"))
    if wrong:
        errors["occurred_at"] = wrong
    elif occurred_at is not None and not rules.in_force_on(
        notice, occurred_at.astimezone(clock.UK).date()
    ):
        errors["occurred_at"] = ["The notice was not in force then"]
    location, details = rules.text(data, "location"), rules.text(data, "details")
    place = None
    if data.get("place_id"):
        place = Place.objects.filter(pk=person_rules.as_int(data["place_id"])).first()
        if place is None:
            errors["place_id"] = ["No place was found"]
    elif not location:
        errors["location"] = ["Enter where the breach happened, or choose a place"]
    if len(location) > LOCATION_LIMIT or "\x00" in location:
        errors["location"] = [f"Where it happened must be {LOCATION_LIMIT} characters or fewer"]
    if problem := rules.long_text_error(details, "What happened"):
        errors["details"] = [problem]
    episode = None
    if data.get("episode") and child is not None:
        episode = (
            episode_visibility.visible_episodes(actor)
            .filter(reference=str(data["episode"]).strip().upper(), child=child)
            .first()
        )
        if episode is None:
            errors["episode"] = ["No episode of that child was found with that reference"]
    if errors:
        raise ValidationFailed(errors)
    return {
        "child": child,
        "occurred_at": occurred_at,
        "place": place,
        "location": location,
        "episode": episode,
        "details": details,
    }


@transaction.atomic
@bus.in_unit_of_work
def record_breach(actor: Actor, notice_id: object, data: Mapping[str, Any]) -> NoticeBreach:
    """Record a breach: ``child_id`` (a child on the notice), ``occurred_at``,
    ``place_id`` and/or ``location``, optionally ``episode`` (its reference) and
    ``details``. The child's council is told."""
    notice = notices.get_notice(actor, notice_id, for_update=True)
    if not notices.may_record_breach(actor):
        raise AccessDenied("Only the police can record a breach of a harbouring notice.")
    visible = visibility.visible_children(actor).values("pk")
    children = list(notice.children.filter(pk__in=visible))
    values = clean_breach(actor, notice, data, children)
    breach = NoticeBreach.objects.create(
        notice=notice,
        **values,
        recorded_at=clock.now(),
        recorded_by=actor.user,
        recorded_by_organisation=actor.organisation,
    )
    record_change(
        actor,
        NoticeBreached(
            aggregate_id=notice.pk,
            child_id=breach.child_id,
            force=notice.force_id,
            breach=breach.pk,
        ),
        action="record_breach",
        details={"breach": breach.pk, "place": breach.place_id},
    )
    return breach
