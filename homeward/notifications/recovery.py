"""Picking up unfinished deliveries after a worker died, each exactly once.

Every event to deliver, clock to fire and email to send points at the one task meant to
do it (``task_id``). Recovery re-queues an item only when that task can no longer do it:
gone, failed, finished without doing it, or running on a worker that died (that task is
then marked failed, so it does not stay "running" for ever). An item whose task is queued,
or running on a live worker, is left alone, so starting workers never multiplies work."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django_tasks_db.models import DBTaskResult

from homeward.core import clock
from homeward.events.models import DomainEvent
from homeward.notifications import heartbeat, tasks
from homeward.notifications.models import Clock, EmailDelivery, EmailStatus

log = logging.getLogger(__name__)

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"
CHUNK = 500  # ids per IN (...), well inside SQLite's limit
WORKER_LOST = "homeward.notifications.recovery.WorkerLost"


class WorkerLost(Exception):
    """What a task that was running on a worker that died is marked as failing with."""


@dataclass(frozen=True)
class Recovered:
    events: int = 0
    clocks: int = 0
    emails: int = 0
    abandoned_tasks: int = 0  # tasks found running on a dead worker, now marked failed

    @property
    def requeued(self) -> int:
        return self.events + self.clocks + self.emails


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def abandon_dead_tasks() -> int:
    """Mark failed every task still 'running' on a worker that has died."""
    running = list(
        DBTaskResult.objects.filter(status=RUNNING).values_list("id", "worker_ids", "started_at")
    )
    verdicts: dict[str | None, bool] = {}
    dead: list[uuid.UUID] = []
    for task_id, worker_ids, started_at in running:
        worker = worker_ids[-1] if worker_ids else None
        if worker not in verdicts:
            verdicts[worker] = heartbeat.is_dead(worker, started_at)
        if verdicts[worker]:
            dead.append(task_id)
    for chunk in _chunks(dead):
        DBTaskResult.objects.filter(id__in=chunk, status=RUNNING).update(
            status=FAILED,
            finished_at=clock.now(),
            exception_class_path=WORKER_LOST,
            traceback="The worker running this task stopped before it finished "
            "(killed, crashed or lost). Homeward re-queues what the task was doing.",
        )
    for task_id in dead:
        log.warning("task %s was running on a worker that died: marked failed", task_id)
    return len(dead)


def _live(task_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    live: set[uuid.UUID] = set()
    for chunk in _chunks(task_ids):
        live.update(
            DBTaskResult.objects.filter(id__in=chunk, status__in=[READY, RUNNING]).values_list(
                "id", flat=True
            )
        )
    return live


def _live_by_argument(task_path: str) -> set[object]:
    """For items queued before they pointed at their task: the first argument of every
    queued or running task of this kind."""
    return {
        (args_kwargs.get("args") or [None])[0]
        for args_kwargs in DBTaskResult.objects.filter(
            task_path=task_path, status__in=[READY, RUNNING]
        ).values_list("args_kwargs", flat=True)
    }


def _recover_kind(
    model: type[models.Model],
    unfinished: models.Q,
    task_path: str,
    requeue: Callable[[Any], None],
) -> int:
    rows = list(model._default_manager.filter(unfinished).values_list("pk", "task_id"))
    if not rows:
        return 0
    live = _live([task for _, task in rows if task is not None])
    legacy = _live_by_argument(task_path) if any(task is None for _, task in rows) else set()
    candidates = [
        pk for pk, task in rows if (task not in live if task is not None else pk not in legacy)
    ]
    count = 0
    for pk in candidates:
        with transaction.atomic():
            # Look again under the row's lock: the worker (or another worker recovering at
            # the same moment) may have finished or re-queued it since.
            item = model._default_manager.select_for_update().filter(unfinished, pk=pk).first()
            if item is None:
                continue
            task_id = item.task_id  # type: ignore[attr-defined]
            if task_id is not None and _live([task_id]):
                continue
            requeue(item)
            count += 1
    return count


def _requeue_event(event: DomainEvent) -> None:
    event.task_id = tasks.deliver_event.enqueue(event.pk).id
    event.save(update_fields=["task_id"])


def _requeue_clock(item: Clock) -> None:
    run_after: datetime = max(item.due_at, clock.now())
    item.task_id = tasks.fire_clock.using(run_after=run_after).enqueue(item.pk).id
    item.save(update_fields=["task_id"])


def _requeue_email(delivery: EmailDelivery) -> None:
    run_after = max(delivery.next_attempt_at or clock.now(), clock.now())
    delivery.task_id = tasks.send_email.using(run_after=run_after).enqueue(delivery.pk).id
    delivery.save(update_fields=["task_id"])


def recover() -> Recovered:
    """Re-queue every unfinished delivery that no live task will do. Safe to run at any
    time and from several workers at once."""
    abandoned = abandon_dead_tasks()
    return Recovered(
        events=_recover_kind(
            DomainEvent,
            models.Q(delivered_at__isnull=True),
            tasks.deliver_event.module_path,
            _requeue_event,
        ),
        clocks=_recover_kind(
            Clock, models.Q(fired_at__isnull=True), tasks.fire_clock.module_path, _requeue_clock
        ),
        emails=_recover_kind(
            EmailDelivery,
            models.Q(status__in=[EmailStatus.PENDING, EmailStatus.SENDING, EmailStatus.FAILED]),
            tasks.send_email.module_path,
            _requeue_email,
        ),
        abandoned_tasks=abandoned,
    )
