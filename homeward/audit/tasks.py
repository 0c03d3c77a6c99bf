"""The audit checkpoint, as a background task (Django's Tasks API, database backend, run
by ``homeward worker``).

Scheduling: the task schedules its own next run, every HOMEWARD_AUDIT_CHECKPOINT_MINUTES
(60 unless set). ``homeward audit checkpoint --schedule`` enqueues the first run, and does
nothing if a run is already waiting; ``homeward audit checkpoint`` writes one now, in the
foreground. A run that finds the chain broken writes no checkpoint and fails (the
worker logs it); the next run is scheduled all the same, so checkpoints resume once the
log is repaired or explained.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django_tasks import task

from homeward.core import clock


def next_run(now: datetime | None = None) -> datetime:
    return (now or clock.now()) + timedelta(minutes=settings.HOMEWARD_AUDIT_CHECKPOINT_MINUTES)


@task()
def audit_checkpoint(reschedule: bool = True) -> int:
    """Write a checkpoint; returns the sequence it vouches for (0 if the log had not
    grown since the last one)."""
    from homeward.audit import verification

    if reschedule and not _waiting(("READY",)):
        # Only one run ever waits: should two workers have scheduled at once, the chain of
        # runs folds back into one here.
        audit_checkpoint.using(run_after=next_run()).enqueue(True)
    checkpoint = verification.write_checkpoint()
    return checkpoint.sequence if checkpoint else 0


def _waiting(statuses: tuple[str, ...]) -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=f"{__name__}.audit_checkpoint", status__in=statuses
    ).exists()


def schedule() -> bool:
    """Enqueue the next run unless one is already waiting or running (a running one
    schedules its own successor). True if enqueued. ``homeward worker`` calls this on
    start, so checkpoints are written wherever a worker runs."""
    if _waiting(("READY", "RUNNING")):
        return False
    audit_checkpoint.using(run_after=next_run()).enqueue(True)
    return True
