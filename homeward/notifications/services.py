"""Reading and acknowledging notifications."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import NotFound
from homeward.notifications.models import Notification
from homeward.organisations import policy
from homeward.organisations.policy import Action


def inbox(actor: Actor) -> QuerySet[Notification]:
    if actor.user is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=actor.user).select_related("event")


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
    episode = policy.get_episode(actor, reference, Action.SEE_EPISODES)
    audit.record(
        actor, "view_notifications", "episode", episode.reference, child_id=episode.child_id
    )
    return (
        Notification.objects.filter(episode_reference=episode.reference)
        .select_related("recipient", "organisation", "event", "email")
        .order_by("created_at", "pk")
    )
