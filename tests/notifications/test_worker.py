"""The real worker process: delivers, fires clocks once, and survives a restart."""

import asyncio
import email
import email.message
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import connection
from django_tasks_db.models import DBTaskResult

from homeward.core import clock
from homeward.events.models import DomainEvent
from homeward.notifications import clocks
from homeward.notifications.models import Clock, Notification
from homeward.notifications.recovery import WORKER_LOST
from tests.factories import report
from tests.notifications.conftest import Area, task_of

EXE = str(Path(sys.executable).with_name("homeward"))


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(log: Path, **extra_env: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url(), **extra_env}
    with log.open("ab") as out:
        return subprocess.Popen(
            [EXE, "worker", "--interval", "0.2"], env=env, stdout=out, stderr=subprocess.STDOUT
        )


def stop(worker: subprocess.Popen[bytes], sig: int) -> None:
    worker.send_signal(sig)
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=5)


def wait_for(condition: Callable[[], object], log: Path, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not get there in time:\n" + log.read_text()[-3000:])


@pytest.mark.django_db(transaction=True)
def test_clock_fires_exactly_once_across_a_worker_restart(area: Area, tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.fail("The test database must be a file for the worker to share it")
    episode = report(area.social_worker, area.child)
    test_clock = clocks.schedule(
        "long_episode",
        f"long:{episode.reference}:test",
        clock.now() + timedelta(hours=1),  # not due while the first worker runs
        area.child.pk,
        {"episode": episode.reference, "hours": 0},
    )
    assert test_clock is not None  # a key of its own: started now

    worker = start_worker(log)
    try:
        wait_for(
            lambda: DomainEvent.objects.filter(
                name="episode.reported", delivered_at__isnull=False
            ).exists(),
            log,
        )
    finally:
        stop(worker, signal.SIGKILL)  # a crash, not a clean stop
    assert Clock.objects.get(key__endswith=":test").fired_at is None
    # The hour passes while no worker runs: the clock and its queued task fall due.
    Clock.objects.filter(pk=test_clock.pk).update(due_at=clock.now())
    DBTaskResult.objects.filter(id=task_of(test_clock)).update(run_after=clock.now())

    worker = start_worker(log)  # recovers: the clock's task is still queued, so not again
    try:
        wait_for(
            lambda: DomainEvent.objects.filter(
                name="episode.long_running", delivered_at__isnull=False
            ).exists(),
            log,
        )
    finally:
        stop(worker, signal.SIGTERM)

    assert DomainEvent.objects.filter(name="episode.long_running").count() == 1
    fire_tasks = DBTaskResult.objects.filter(task_path__endswith="fire_clock")
    assert fire_tasks.count() == Clock.objects.count()  # one task per clock, never more
    assert Clock.objects.get(key__endswith=":test").outcome == "fired"
    told = Notification.objects.filter(event__name="episode.long_running")
    assert told.count() == len(set(told.values_list("recipient", flat=True))) > 0


# --- a worker killed while it sends email ---------------------------------------------------


class HoldingSMTP:
    """A real SMTP server on loopback that can hold the first email at one step (``RCPT``:
    before the message is handed over; ``DATA``: once the server has it, before it says
    250), so the worker can be killed exactly there."""

    def __init__(self, hold_at: str) -> None:
        self.hold_at = hold_at
        self.messages: list[email.message.Message] = []
        self.held = threading.Event()
        self.released = threading.Event()

    async def _hold(self, step: str) -> None:
        if step == self.hold_at and not self.held.is_set():
            self.held.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            raise ConnectionAbortedError  # the client is gone by now

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        await self._hold("RCPT")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)  # as read without decode_data
        self.messages.append(email.message_from_bytes(envelope.content))
        await self._hold("DATA")
        return "250 OK"


@pytest.mark.parametrize("hold_at", ["DATA", "RCPT"], ids=["after handing over", "before"])
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_email_loses_none(
    area: Area, tmp_path: Path, hold_at: str
) -> None:
    from aiosmtpd.controller import Controller

    from homeward.notifications.models import EmailDelivery, EmailStatus
    from tests.notifications.test_email import free_port

    log = tmp_path / "worker.log"
    smtp = HoldingSMTP(hold_at)
    server = Controller(smtp, hostname="127.0.0.1", port=free_port())
    server.start()
    mail_env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.port),
    }
    try:
        episode = report(area.social_worker, area.child, grade="high")
        worker = start_worker(log, **mail_env)
        try:
            wait_for(smtp.held.is_set, log)  # the first email is mid-conversation
        finally:
            stop(worker, signal.SIGKILL)
        held = EmailDelivery.objects.get(status=EmailStatus.SENDING)
        assert DBTaskResult.objects.get(id=task_of(held)).status == "RUNNING"  # for ever, once
        assert len(smtp.messages) == (1 if hold_at == "DATA" else 0)
        clocks = Clock.objects.filter(fired_at__isnull=True).count()
        assert clocks == 6  # the high-risk reviews and escalations the report started

        smtp.released.set()
        worker = start_worker(log, **mail_env)
        try:
            wait_for(
                lambda: not EmailDelivery.objects.exclude(status=EmailStatus.SENT).exists(), log
            )
        finally:
            stop(worker, signal.SIGTERM)
    finally:
        server.stop()

    # The report's five, the two of the review of the child's plan a high-risk episode
    # opens (safeguarding: the coordinator and the allocated worker; no plan, no owner),
    # and the strategy meeting it opens (the coordinator).
    deliveries = list(EmailDelivery.objects.all())
    assert len(deliveries) == 8
    assert (
        EmailDelivery.objects.filter(notification__episode_reference=episode.reference).count() == 5
    )
    received = [m["Message-ID"] for m in smtp.messages]
    for delivery in deliveries:  # every email arrived; only the one handed over came twice
        again = delivery.pk == held.pk and hold_at == "DATA"
        assert received.count(delivery.message_id) == (2 if again else 1), delivery.to_address
    assert len(received) == 8 + (hold_at == "DATA")
    # In-app notifications exactly once; the clocks' tasks did not multiply on restart.
    told = Notification.objects.filter(episode_reference=episode.reference)
    assert told.count() == len(set(told.values_list("recipient", flat=True))) == 5
    queued_clocks = DBTaskResult.objects.filter(task_path__endswith="fire_clock", status="READY")
    assert queued_clocks.count() == clocks
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    killed = DBTaskResult.objects.get(id=task_of(held))  # no longer "running" for ever
    assert (killed.status, killed.exception_class_path) == ("FAILED", WORKER_LOST)
    held.refresh_from_db()
    assert DBTaskResult.objects.get(id=task_of(held)).status == "SUCCESSFUL"
    assert "re-queued 0 events, 0 clocks and 1 email; 1 task had been running" in (log.read_text())


@pytest.mark.django_db(transaction=True)
def test_a_started_worker_schedules_the_audit_checkpoints_once(tmp_path: Path) -> None:
    """Checkpoints need nobody to remember them: every worker start makes sure one run is
    waiting, and restarts do not add more."""
    log = tmp_path / "worker.log"
    waiting = DBTaskResult.objects.filter(
        task_path="homeward.audit.tasks.audit_checkpoint", status="READY"
    )
    for _ in range(2):
        worker = start_worker(log)
        try:
            wait_for(waiting.exists, log)
        finally:
            stop(worker, signal.SIGTERM)
    assert waiting.count() == 1
