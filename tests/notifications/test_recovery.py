"""Recovery picks up every unfinished delivery exactly once and never multiplies work."""

import subprocess
import uuid
from datetime import timedelta

from django.core import mail
from django_tasks_db.models import DBTaskResult

from homeward.core import clock
from homeward.events.models import DomainEvent
from homeward.notifications import emails, heartbeat, recovery
from homeward.notifications.models import Clock, EmailDelivery, EmailStatus
from tests.factories import ChildFactory, report
from tests.notifications.conftest import Area, drain, task_of


def queued(task: str) -> int:
    return DBTaskResult.objects.filter(task_path__endswith=task, status="READY").count()


def claim(task_id: uuid.UUID, worker_id: str, minutes_ago: float = 0) -> None:
    """What a worker does when it picks a task up."""
    DBTaskResult.objects.filter(id=task_id).update(
        status="RUNNING",
        worker_ids=[worker_id],
        started_at=clock.now() - timedelta(minutes=minutes_ago),
    )


def test_restarts_do_not_multiply_the_clock_tasks(area: Area) -> None:
    for _ in range(3):
        child = ChildFactory(responsible_council=area.child.responsible_council)
        report(area.social_worker, child, grade="high")
    drain(fire_due_clocks=False)
    unfired = Clock.objects.filter(fired_at__isnull=True).count()
    assert unfired == 3 * (3 + 3)  # three high-risk reviews and three escalations each
    assert queued("fire_clock") == unfired
    for _ in range(3):  # three worker starts: once 18, 36, then 54 tasks
        assert recovery.recover().requeued == 0
        assert queued("fire_clock") == unfired


def test_an_email_left_running_by_a_dead_worker_is_queued_again_once(area: Area) -> None:
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    delivery = EmailDelivery.objects.get(notification__recipient=area.coordinator)
    first_task = task_of(delivery)
    claim(first_task, "a-worker-killed-mid-send", minutes_ago=5)
    EmailDelivery.objects.filter(pk=delivery.pk).update(status=EmailStatus.SENDING, attempts=1)

    found = recovery.recover()
    assert (found.emails, found.abandoned_tasks, found.events, found.clocks) == (1, 1, 0, 0)
    lost = DBTaskResult.objects.get(id=first_task)
    assert lost.status == "FAILED"
    assert lost.exception_class_path == recovery.WORKER_LOST
    delivery.refresh_from_db()
    assert delivery.task_id != first_task
    assert DBTaskResult.objects.get(id=task_of(delivery)).status == "READY"

    assert recovery.recover().requeued == 0  # and only once
    assert emails.send(delivery.pk, task_id=str(delivery.task_id)) == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_work_running_on_a_live_worker_is_left_alone(area: Area) -> None:
    report(area.social_worker, area.child)
    event = DomainEvent.objects.get(name="episode.reported")
    heartbeat.start("a-live-worker")
    claim(task_of(event), "a-live-worker", minutes_ago=10)  # a long task, still beating
    assert recovery.recover() == recovery.Recovered()
    assert DBTaskResult.objects.get(id=task_of(event)).status == "RUNNING"


def test_an_event_whose_task_failed_or_vanished_is_delivered_after_all(area: Area) -> None:
    report(area.social_worker, area.child)
    event = DomainEvent.objects.get(name="episode.reported")
    DBTaskResult.objects.filter(id=task_of(event)).update(status="FAILED")
    assert recovery.recover().events == 1
    DBTaskResult.objects.filter(task_path__endswith="deliver_event").delete()
    assert recovery.recover().events == 1
    assert queued("deliver_event") == 1
    drain(fire_due_clocks=False)
    assert recovery.recover().requeued == 0


def test_a_worker_on_this_machine_whose_process_is_gone_is_dead_at_once(db: None) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    row = heartbeat.start("a-killed-worker")
    row.pid = gone.pid
    row.save()
    assert heartbeat.is_dead("a-killed-worker", clock.now())  # though it beat just now
    heartbeat.start("this-one")
    assert not heartbeat.is_dead("this-one", clock.now())


def test_a_stray_second_task_for_one_email_sends_nothing(area: Area) -> None:
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    delivery = EmailDelivery.objects.get(notification__recipient=area.coordinator)
    assert emails.send(delivery.pk, task_id=str(uuid.uuid4())) == "superseded"
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailStatus.PENDING, 0)


def test_a_resent_email_carries_the_same_message_id(area: Area) -> None:
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    delivery = EmailDelivery.objects.get(notification__recipient=area.coordinator)
    assert delivery.message_id.startswith("<")
    assert delivery.message_id.endswith(">")
    emails.send(delivery.pk)
    # As if the worker had died after the SMTP server took it, before it was marked sent:
    EmailDelivery.objects.filter(pk=delivery.pk).update(status=EmailStatus.SENDING)
    emails.send(delivery.pk)
    ids = [m.message()["Message-ID"] for m in mail.outbox]
    assert ids == [delivery.message_id, delivery.message_id]
    other = EmailDelivery.objects.exclude(pk=delivery.pk).first()
    assert other is not None
    assert other.message_id != delivery.message_id
