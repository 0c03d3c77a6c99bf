"""The quarterly board reports, as a background task (Django's Tasks API, database
backend, run by ``homeward worker``).

Scheduling: the task schedules its own next run. ``homeward board-reports --schedule``
enqueues the first run (it is idempotent: it does nothing if a run is already waiting);
each run makes the reports for the last complete quarter for every council, stores them,
and enqueues the next run for 06:00 on the first day of the next quarter (1 January,
1 April, 1 July, 1 October). ``homeward board-reports`` without --schedule makes the
reports now, in the foreground.
"""

from __future__ import annotations

from datetime import datetime, time

from django_tasks import task

from homeward.core import clock
from homeward.insights import counting as c

RUN_AT = time(6, 0)


def next_run(now: datetime | None = None) -> datetime:
    day = c.local_date(now or clock.now())
    year, quarter = c.quarter_of(day)
    _start, end = c.quarter_bounds(year, quarter)
    return datetime.combine(end, RUN_AT, tzinfo=c.LONDON)


def make_reports(year: int | None = None, quarter: int | None = None) -> int:
    from homeward.insights import board
    from homeward.organisations.models import Organisation, OrganisationKind

    if year is None or quarter is None:
        year, quarter = board.last_complete_quarter()
    made = 0
    for council in Organisation.objects.filter(kind=OrganisationKind.COUNCIL).order_by("pk"):
        board.generate(council, year, quarter)
        made += 1
    return made


@task()
def quarterly_board_reports(reschedule: bool = True) -> int:
    made = make_reports()
    if reschedule:
        quarterly_board_reports.using(run_after=next_run()).enqueue(True)
    return made


def schedule() -> bool:
    """Enqueue the next quarterly run unless one is already waiting. True if enqueued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=f"{__name__}.quarterly_board_reports", status="READY"
    ).exists()
    if waiting:
        return False
    quarterly_board_reports.using(run_after=next_run()).enqueue(True)
    return True
