"""Sending the emails that tell people to look at their inbox (no personal details in
them), with retries and one Message-ID for every attempt at one email."""

from __future__ import annotations

import logging
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from homeward.core import clock as time
from homeward.notifications import tasks
from homeward.notifications.models import EmailDelivery, EmailStatus, Notification

log = logging.getLogger(__name__)

EMAIL_MAX_ATTEMPTS = 5
EMAIL_FIRST_RETRY = timedelta(seconds=30)


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
                delivery.task_id = (
                    tasks.send_email.using(run_after=delivery.next_attempt_at)
                    .enqueue(delivery.pk)
                    .id
                )
        else:
            delivery.status = EmailStatus.SENT
            delivery.sent_at = time.now()
            delivery.last_error = ""
            delivery.next_attempt_at = None
        delivery.save()
        return delivery.status
