"""The linkage run as a background task, every HOMEWARD_LINK_EVERY_HOURS (0: never).

``homeward worker`` calls ``schedule()`` on start and on every sweep: it enqueues a run
when none is waiting or running and the last run began that long ago or more."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from homeward.core import clock
from homeward.linkage.models import LinkRun
from homeward.linkage.runs import run_linkage


@task()
def linkage_run() -> int:
    """Run the linkage over every record; returns the LinkRun's id."""
    return run_linkage(trigger="schedule").pk


def _waiting() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=f"{__name__}.linkage_run", status__in=("READY", "RUNNING")
    ).exists()


def schedule() -> bool:
    """Enqueue a run if one is due; True if enqueued."""
    hours = settings.HOMEWARD_LINK_EVERY_HOURS
    if not hours or _waiting():
        return False
    last = LinkRun.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    if last is not None and clock.now() - last < timedelta(hours=hours):
        return False
    linkage_run.enqueue()
    return True
