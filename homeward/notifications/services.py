"""Reading and acknowledging notifications."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from homeward.audit import services as audit
from homeward.children import visibility as children_visibility
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.episodes import visibility as episodes_visibility
from homeward.episodes.models import Episode, RiskGrade
from homeward.events.change import record_change
from homeward.events.models import DomainEvent
from homeward.notifications import heartbeat
from homeward.notifications.events import CouncilRulesChanged
from homeward.notifications.models import CouncilRules, EmailDelivery, Notification
from homeward.notifications.rules import TITLES
from homeward.organisations.policy import Action


def inbox(actor: Actor) -> QuerySet[Notification]:
    if actor.user is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=actor.user).select_related("event")


# A notification that reached the inbox this much after the event says how much later.
LATE = timedelta(minutes=1)


@dataclass(frozen=True)
class InboxItem:
    notification: Notification
    happened_at: datetime  # when the thing happened, not when the worker got to it
    late_by: timedelta | None  # how long after that it reached the inbox, if noticeably
    child_name: str  # "" unless the reader may see the child now
    episode: Any  # the episode as it is now (status, risk grade), if the reader may see it
    grade_then: str  # the risk grade the event carried ("medium"), if not the grade now
    email: EmailDelivery | None


def inbox_items(actor: Actor, notifications: Sequence[Notification]) -> list[InboxItem]:
    """One page of the inbox, with what is needed to act on each at 3 a.m.: when it
    happened, the child (only to a reader who may see the child now; each name shown is an
    audited read) and the risk grade."""
    if actor.user is None or not notifications:
        return []
    references = {n.episode_reference for n in notifications if n.episode_reference}
    episodes = {
        e.reference: e
        for e in episodes_visibility.visible_episodes(actor).filter(reference__in=references)
    }
    child_ids = {n.child_id for n in notifications if n.child_id is not None}
    children = {
        c.pk: c.full_name
        for c in children_visibility.visible_children(actor).filter(pk__in=child_ids)
    }
    emails = {
        e.notification_id: e
        for e in EmailDelivery.objects.filter(notification__in=[n.pk for n in notifications])
    }
    items = []
    for n in notifications:
        happened = n.event.occurred_at
        late = n.created_at - happened
        episode: Episode | None = episodes.get(n.episode_reference)
        payload = n.event.payload or {}
        then = str(payload.get("to") or payload.get("risk_grade") or "")
        items.append(
            InboxItem(
                notification=n,
                happened_at=happened,
                late_by=late if late >= LATE else None,
                child_name=children.get(n.child_id, "") if n.child_id is not None else "",
                episode=episode,
                grade_then=(
                    str(dict(RiskGrade.choices).get(then, then)).lower()
                    if then and episode is not None and then != episode.risk_grade
                    else ""
                ),
                email=emails.get(n.pk),
            )
        )
    shown = sorted(
        {n.child_id for n in notifications if n.child_id is not None and n.child_id in children}
    )
    if shown:
        audit.record_many_reads(actor, "child", shown, action="list_result")
    return items


@dataclass(frozen=True)
class Delivery:
    """Whether notifications are going out now: for pages that say what was sent."""

    worker_alive: bool
    worker_last_seen: datetime | None
    anything_waiting: bool  # any change in the service not yet delivered to anyone
    waiting: list[tuple[str, datetime]]  # this episode's undelivered changes: what, when


def delivery_state(reference: str | None = None) -> Delivery:
    worker = heartbeat.state()
    undelivered = DomainEvent.objects.filter(delivered_at__isnull=True)
    waiting: list[tuple[str, datetime]] = []
    if reference is not None:
        waiting = [
            (TITLES.get(name, "A change"), occurred_at)
            for name, occurred_at in undelivered.filter(
                aggregate_type="episode", aggregate_id=reference
            )
            .order_by("occurred_at", "pk")
            .values_list("name", "occurred_at")
        ]
    return Delivery(
        worker_alive=worker.alive,
        worker_last_seen=worker.last_seen,
        anything_waiting=bool(waiting) or undelivered.exists(),
        waiting=waiting,
    )


def unread_count(actor: Actor) -> int:
    return inbox(actor).filter(read_at__isnull=True).count()


@transaction.atomic
def mark_read(actor: Actor, notification_id: object) -> Notification:
    try:
        pk = int(str(notification_id))
    except ValueError:
        raise NotFound("No notification was found.") from None
    notification = inbox(actor).select_for_update(of=("self",)).filter(pk=pk).first()
    if notification is None:
        raise NotFound("No notification was found.")
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    return notification


def who_knew(actor: Actor, reference: str) -> QuerySet[Notification]:
    """Every notification about one episode: to whom, why, sent when, read when, and how
    the email went. Anyone who can see the episode can see who was told about it."""
    episode = episodes_visibility.get_episode(actor, reference, Action.SEE_EPISODES)
    audit.record(
        actor, "view_notifications", "episode", episode.reference, child_id=episode.child_id
    )
    return (
        Notification.objects.filter(episode_reference=episode.reference)
        .select_related("recipient", "organisation", "event", "email")
        .order_by("created_at", "pk")
    )


RULE_EDITORS = {"council_missing_coordinator", "council_manager"}


def _hours(text: str, name: str, errors: dict[str, list[str]]) -> list[int]:
    try:
        values = sorted({int(part) for part in text.replace(" ", "").split(",") if part})
    except ValueError:
        errors[name] = ["Enter whole numbers of hours separated by commas, like 2, 24, 48"]
        return []
    if not values or values[0] < 1 or values[-1] > 24 * 30:
        errors[name] = ["Enter at least one number of hours between 1 and 720"]
    return values


@transaction.atomic
def set_council_rules(
    actor: Actor,
    *,
    repeat_count: int,
    repeat_days: int,
    high_risk_review_hours: str,
    long_episode_hours: str,
) -> CouncilRules:
    """A council tunes its own thresholds; the service's defaults apply until it does."""
    org = actor.organisation
    if actor.role not in RULE_EDITORS or org is None:
        raise AccessDenied("Only the council's missing coordinator or a manager sets these.")
    errors: dict[str, list[str]] = {}
    if not 2 <= repeat_count <= 20:
        errors["repeat_count"] = ["Enter a number of episodes between 2 and 20"]
    if not 7 <= repeat_days <= 365:
        errors["repeat_days"] = ["Enter a number of days between 7 and 365"]
    high = _hours(high_risk_review_hours, "high_risk_review_hours", errors)
    long = _hours(long_episode_hours, "long_episode_hours", errors)
    if errors:
        raise ValidationFailed(errors)
    rules, _ = CouncilRules.objects.select_for_update().get_or_create(council=org)
    rules.repeat_count, rules.repeat_days = repeat_count, repeat_days
    rules.high_risk_review_hours, rules.long_episode_hours = high, long
    rules.save()
    record_change(
        actor,
        CouncilRulesChanged(aggregate_id=org.pk),
        action="set_notification_rules",
        details={
            "fields": [
                "repeat_count",
                "repeat_days",
                "high_risk_review_hours",
                "long_episode_hours",
            ]
        },
    )
    return rules
