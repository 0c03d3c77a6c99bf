"""Reading and acknowledging notifications."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.notifications import events
from homeward.notifications.models import CouncilRules, Notification
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
    audit.record(
        actor,
        "set_notification_rules",
        "organisation",
        org.pk,
        details={
            "fields": [
                "repeat_count",
                "repeat_days",
                "high_risk_review_hours",
                "long_episode_hours",
            ]
        },
    )
    events.emit(events.COUNCIL_RULES_CHANGED, "organisation", org.pk)
    return rules
