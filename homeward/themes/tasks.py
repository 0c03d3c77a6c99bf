"""The theme run as a background task: for every council once a day (``EVERY_HOURS``),
and for one council on demand (the coordinator's "Group the words again" button, or
``homeward themes run``). ``homeward worker`` calls ``schedule()`` on every sweep; it
enqueues the daily run when none is waiting or running and the last began that long ago."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task
from django_tasks_db.models import DBTaskResult

from homeward.core import clock
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.themes.models import ThemeRun
from homeward.themes.services import runs

EVERY_HOURS = 24


@task()
def themes_run_all() -> int:
    """Group every council's words again; returns how many councils were run."""
    return len(runs.run_all())


@task()
def themes_run(council_id: int) -> int:
    """Group one council's words again; returns the run's id (0: no such council)."""
    council = Organisation.objects.filter(pk=council_id).first()
    return runs.run(council).pk if council is not None else 0


def _waiting(name: str) -> bool:
    return DBTaskResult.objects.filter(
        task_path=f"{__name__}.{name}", status__in=("READY", "RUNNING")
    ).exists()


def schedule() -> bool:
    """Enqueue the daily run of every council if it is due; True if enqueued."""
    if _waiting("themes_run_all"):
        return False
    if not Organisation.objects.filter(kind=OrganisationKind.COUNCIL).exists():
        return False
    last = ThemeRun.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    if last is not None and clock.now() - last < timedelta(hours=EVERY_HOURS):
        return False
    themes_run_all.enqueue()
    return True


def request(council: Organisation) -> bool:
    """Enqueue a run of one council now, unless one is already waiting; True if enqueued."""
    waiting = DBTaskResult.objects.filter(
        task_path=f"{__name__}.themes_run", status__in=("READY", "RUNNING")
    ).filter(args_kwargs__args=[council.pk])
    if waiting.exists():
        return False
    themes_run.enqueue(council.pk)
    return True
