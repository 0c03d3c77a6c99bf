"""Delivering outbox events: notifications, emails and the clocks they start.

Every handler is idempotent, so at-least-once delivery never tells anyone twice."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from homeward.core import clock as time
from homeward.notifications import events as ev
from homeward.notifications import rules
from homeward.notifications.models import (
    Clock,
    DomainEvent,
    EmailDelivery,
    EmailStatus,
    Notification,
)

log = logging.getLogger(__name__)

EMAIL_MAX_ATTEMPTS = 5
EMAIL_FIRST_RETRY = timedelta(seconds=30)


def link_for(event: DomainEvent) -> str:
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
    from homeward.notifications.tasks import send_email

    for notification in Notification.objects.filter(event=event, email__isnull=True).select_related(
        "recipient"
    ):
        if notification.recipient.email:
            delivery = EmailDelivery.objects.create(
                notification=notification,
                to_address=notification.recipient.email,
                message_id=new_message_id(),
            )
            delivery.task_id = send_email.enqueue(delivery.pk).id
            delivery.save(update_fields=["task_id"])
    start_clocks(event)
    event.delivered_at = now
    event.save(update_fields=["delivered_at", "attempts"])
    return len(people)


# --- clocks ------------------------------------------------------------------------------


def schedule(
    kind: str, key: str, due_at: datetime, child_id: int | None, subject: Mapping[str, object]
) -> Clock | None:
    """Start a clock once (its key makes a second start a no-op)."""
    clock, created = Clock.objects.get_or_create(
        key=key,
        defaults={"kind": kind, "due_at": due_at, "child_id": child_id, "subject": subject},
    )
    if not created:
        return None
    from homeward.notifications.tasks import fire_clock

    clock.task_id = fire_clock.using(run_after=max(due_at, time.now())).enqueue(clock.pk).id
    clock.save(update_fields=["task_id"])
    return clock


def start_clocks(event: DomainEvent) -> None:
    from homeward.aftercare.models import ReturnInterview
    from homeward.aftercare.services import settings_for
    from homeward.episodes.models import Episode, EpisodeStatus, RiskGrade

    now = time.now()
    if event.aggregate_type == "episode" and event.name in {
        ev.EPISODE_REPORTED,
        ev.EPISODE_REGRADED,
        ev.EPISODE_RETURNED,
    }:
        episode = (
            Episode.objects.select_related("child__responsible_council")
            .filter(reference=event.aggregate_id)
            .first()
        )
        if episode is None:
            return
        limits = rules.thresholds(episode.child.responsible_council)
        ref = episode.reference
        if episode.status == EpisodeStatus.MISSING and episode.risk_grade == RiskGrade.HIGH:
            for hours in limits.high_risk_review_hours:
                due = episode.reported_at + timedelta(hours=hours)
                if due > now:
                    schedule(
                        "high_risk_review",
                        f"high_risk:{ref}:{hours}",
                        due,
                        episode.child_id,
                        {"episode": ref, "hours": hours},
                    )
        if event.name == ev.EPISODE_REPORTED:
            for hours in limits.long_episode_hours:
                due = episode.last_seen_at + timedelta(hours=hours)
                if due > now:
                    schedule(
                        "long_episode",
                        f"long:{ref}:{hours}",
                        due,
                        episode.child_id,
                        {"episode": ref, "hours": hours},
                    )
            since = now - timedelta(days=limits.repeat_days)
            count = Episode.objects.filter(
                child_id=episode.child_id, last_seen_at__gte=since
            ).count()
            if count >= limits.repeat_count:
                ev.emit(
                    ev.REPEAT_THRESHOLD_REACHED,
                    "child",
                    episode.child_id,
                    child_id=episode.child_id,
                    payload={"episodes": count, "days": limits.repeat_days},
                )
        if event.name == ev.EPISODE_RETURNED and episode.returned_at is not None:
            hours = settings_for(episode.child.responsible_council).check_due_hours
            schedule(
                "check_overdue",
                f"check_overdue:{ref}",
                episode.returned_at + timedelta(hours=hours),
                episode.child_id,
                {"episode": ref},
            )
    if event.name == ev.INTERVIEW_OPENED:
        interview = ReturnInterview.objects.filter(pk=event.aggregate_id).first()
        if interview is None:
            return
        subject = {"interview": interview.pk}
        schedule(
            "interview_due",
            f"interview_due:{interview.pk}",
            interview.due_at - timedelta(hours=24),
            interview.child_id,
            subject,
        )
        schedule(
            "interview_overdue",
            f"interview_overdue:{interview.pk}",
            interview.due_at,
            interview.child_id,
            subject,
        )


@transaction.atomic
def fire(clock_id: int) -> str:
    """Run one due clock exactly once: emit its event if it is still needed."""
    from homeward.aftercare.models import ReturnInterview, SafeAndWellCheck
    from homeward.episodes.models import Episode, EpisodeStatus, RiskGrade

    clock = Clock.objects.select_for_update().filter(pk=clock_id).first()
    if clock is None or clock.fired_at is not None:
        return "already"
    if clock.due_at > time.now():
        return "early"  # a stale early run; the scheduled run will fire it
    subject = clock.subject
    emit: tuple[str, str, object, dict[str, object]] | None = None
    if clock.kind in {"high_risk_review", "long_episode", "check_overdue"}:
        episode = Episode.objects.filter(reference=subject.get("episode")).first()
        if episode is not None:
            if (
                clock.kind == "high_risk_review"
                and episode.status == EpisodeStatus.MISSING
                and episode.risk_grade == RiskGrade.HIGH
            ):
                emit = (
                    ev.HIGH_RISK_REVIEW_DUE,
                    "episode",
                    episode.reference,
                    {"hours": subject.get("hours")},
                )
            elif clock.kind == "long_episode" and episode.status == EpisodeStatus.MISSING:
                emit = (
                    ev.LONG_EPISODE,
                    "episode",
                    episode.reference,
                    {"hours": subject.get("hours")},
                )
            elif (
                clock.kind == "check_overdue"
                and not SafeAndWellCheck.objects.filter(episode=episode).exists()
            ):
                emit = (ev.CHECK_OVERDUE, "episode", episode.reference, {})
    elif clock.kind in {"interview_due", "interview_overdue"}:
        interview = ReturnInterview.objects.filter(pk=subject.get("interview")).first()
        if interview is not None and interview.closed_at is None:
            name = ev.INTERVIEW_DUE if clock.kind == "interview_due" else ev.INTERVIEW_OVERDUE
            emit = (
                name,
                "return_interview",
                interview.pk,
                {"provider": interview.provider_id, "due_at": interview.due_at.isoformat()},
            )
    if emit is not None:
        name, aggregate_type, aggregate_id, payload = emit
        ev.emit(name, aggregate_type, aggregate_id, child_id=clock.child_id, payload=payload)
    clock.fired_at = time.now()
    clock.outcome = "fired" if emit else "not_needed"
    clock.save(update_fields=["fired_at", "outcome"])
    return clock.outcome


# --- email -------------------------------------------------------------------------------


def email_body(notification: Notification) -> str:
    base = settings.HOMEWARD_BASE_URL.rstrip("/")
    return (
        f"{notification.title}\n\n"
        f"Sign in to Homeward to read it: {base}{notification.link}\n\n"
        "This email has no personal details in it on purpose. Do not reply to it.\n"
    )


def new_message_id() -> str:
    """A Message-ID for one email, kept for every attempt to send it."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "homeward.invalid"
    return make_msgid(idstring="homeward", domain=domain)


def send(delivery_id: int, task_id: str | None = None) -> str:
    """Send one email. The attempt is recorded first and the result after, each in its own
    short transaction, with the SMTP conversation in between: if the worker dies in the
    middle, the email stays "being sent" and recovery sends it again with the same
    Message-ID. ``task_id`` is the calling task's: a task that is no longer the email's
    own (a duplicate) sends nothing."""
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update()
            .select_related("notification")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (EmailStatus.SENT, EmailStatus.GAVE_UP):
            return "already"
        if task_id and delivery.task_id and str(delivery.task_id) != task_id:
            return "superseded"
        if not delivery.message_id:
            delivery.message_id = new_message_id()
        delivery.attempts += 1
        delivery.status = EmailStatus.SENDING
        delivery.last_attempt_at = time.now()
        delivery.save(update_fields=["message_id", "attempts", "status", "last_attempt_at"])
    message = EmailMessage(
        subject=f"Homeward: {delivery.notification.title}",
        body=email_body(delivery.notification),
        to=[delivery.to_address],
        headers={"Message-ID": delivery.message_id},
    )
    error = ""
    try:
        message.send()
    except Exception as exc:  # any SMTP or network failure: retry with backoff
        error = f"{type(exc).__name__}: {exc}"[:300] or type(exc).__name__
    with transaction.atomic():
        delivery = EmailDelivery.objects.select_for_update().get(pk=delivery_id)
        if error:
            delivery.last_error = error
            log.warning("email delivery %s failed (attempt %s)", delivery.pk, delivery.attempts)
            if delivery.attempts >= EMAIL_MAX_ATTEMPTS:
                delivery.status = EmailStatus.GAVE_UP
                delivery.next_attempt_at = None
            else:
                delivery.status = EmailStatus.FAILED
                delivery.next_attempt_at = time.now() + EMAIL_FIRST_RETRY * (
                    2 ** (delivery.attempts - 1)
                )
                from homeward.notifications.tasks import send_email

                delivery.task_id = (
                    send_email.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk).id
                )
        else:
            delivery.status = EmailStatus.SENT
            delivery.sent_at = time.now()
            delivery.last_error = ""
            delivery.next_attempt_at = None
        delivery.save()
        return delivery.status
