"""Email goes through a real SMTP server on loopback and carries no personal data."""

import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from homeward.core import clock
from homeward.notifications import emails
from homeward.notifications.models import EmailDelivery, EmailStatus
from tests.factories import report
from tests.notifications.conftest import Area, drain


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)  # as read without decode_data
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def smtp(settings: Settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    yield inbox
    controller.stop()


def test_email_reaches_the_smtp_server_without_the_childs_name(area: Area, smtp: Inbox) -> None:
    episode = report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    for delivery in EmailDelivery.objects.all():
        assert emails.send(delivery.pk) == EmailStatus.SENT
    recipients = {to for tos, _ in smtp.messages for to in tos}
    assert area.coordinator.email in recipients
    for _, content in smtp.messages:
        assert episode.reference in content
        assert area.child.first_name not in content
        assert area.child.last_name not in content
        assert "/episodes/" in content


def test_failed_email_is_retried_with_backoff_and_shown(area: Area, settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens here
    settings.EMAIL_TIMEOUT = 2
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    delivery = EmailDelivery.objects.first()
    assert delivery is not None
    queued_before = DBTaskResult.objects.filter(task_path__endswith="send_email").count()
    assert emails.send(delivery.pk) == EmailStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error.lower()
    assert delivery.next_attempt_at is not None
    assert 25 < (delivery.next_attempt_at - clock.now()).total_seconds() <= 30
    assert (
        DBTaskResult.objects.filter(task_path__endswith="send_email").count() == queued_before + 1
    )
    emails.send(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is not None
    assert 55 < (delivery.next_attempt_at - clock.now()).total_seconds() <= 60  # doubled
    for _ in range(3):
        emails.send(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailStatus.GAVE_UP, 5)
