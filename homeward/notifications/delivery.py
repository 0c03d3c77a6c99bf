"""Delivering an outbox event: who is told (in the inbox, and by email), and the clocks it
starts. Every step is idempotent, so at-least-once delivery never tells anyone twice."""

from __future__ import annotations

from django.db import transaction

from homeward.core import clock as time
from homeward.events import task_ids
from homeward.events.bus import on_delivery
from homeward.events.models import DomainEvent
from homeward.notifications import clocks, emails, rules, tasks
from homeward.notifications import events as ev
from homeward.notifications.models import EmailDelivery, Notification


@on_delivery
def queue(event: DomainEvent) -> None:
    """Queue the event's delivery in the emitting transaction: if the change rolls back,
    so does its delivery; if it commits, the worker will deliver it."""
    wanted = event.task_id
    if wanted is None:
        queued = tasks.deliver_event.enqueue(event.pk).id
    else:
        # The row was written naming its task: queue the task under that id.
        with task_ids.wanting(wanted):
            queued = tasks.deliver_event.enqueue(event.pk).id
        if str(queued).replace("-", "") == wanted.hex:
            return
    # A backend that chooses its own ids (or a row written without one).
    event.task_id = queued
    DomainEvent.objects.filter(pk=event.pk).update(task_id=event.task_id)


def link_for(event: DomainEvent) -> str:
    registered = rules.LINKS.get(event.name)
    if registered and (event.child_id is not None or "{child}" not in registered):
        return registered.format(
            child=event.child_id, aggregate=event.aggregate_id, **event.payload
        )
    if event.aggregate_type == "episode":
        return f"/episodes/{event.aggregate_id}/"
    if event.aggregate_type == "return_interview":
        return f"/aftercare/interviews/{event.aggregate_id}/"
    if event.name == ev.EMERGENCY_ACCESS_USED:
        return "/children/emergency-access/reviews"  # where the coordinator reviews it
    if event.child_id is not None:
        return f"/children/{event.child_id}/"
    return "/"


def title_for(event: DomainEvent) -> str:
    base = rules.TITLES.get(event.name, event.name)
    if event.aggregate_type == "episode":
        return f"{base}: {event.aggregate_id}"
    return base


@transaction.atomic
def deliver(event_id: int) -> int:
    """Tell everyone who must know about one event. Returns how many were told now."""
    event = DomainEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None or event.delivered_at is not None:
        return 0  # a duplicate delivery: already done
    event.attempts += 1
    now = time.now()
    people = rules.recipients(event)
    Notification.objects.bulk_create(
        [
            Notification(
                event=event,
                recipient=person.user,
                organisation=person.membership.organisation,
                reason=person.reason,
                title=title_for(event),
                link=link_for(event),
                child_id=event.child_id,
                episode_reference=event.aggregate_id if event.aggregate_type == "episode" else "",
                created_at=now,
            )
            for person in people
        ],
        ignore_conflicts=True,
    )
    for notification in Notification.objects.filter(event=event, email__isnull=True).select_related(
        "recipient"
    ):
        if notification.recipient.email:
            delivery = EmailDelivery.objects.create(
                notification=notification,
                to_address=notification.recipient.email,
                message_id=emails.new_message_id(),
            )
            delivery.task_id = tasks.send_email.enqueue(delivery.pk).id
            delivery.save(update_fields=["task_id"])
    clocks.start_clocks(event)
    event.delivered_at = now
    event.save(update_fields=["delivered_at", "attempts"])
    return len(people)
