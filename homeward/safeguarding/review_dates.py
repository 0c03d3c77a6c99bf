"""The daily sweep of plans' review dates: a plan whose review date has come (today or
earlier) gets a review task, once per review date (a new version with a later date makes a
new date to wait for).

``homeward worker`` calls ``schedule()`` on start and on every sweep; it queues the day's
run once (the first sweep after midnight, UK time), and ``sweep()`` may be run at any time:
a review already opened for a plan's review date is not opened again."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django_tasks import task

from homeward.core import clock
from homeward.events import bus
from homeward.safeguarding.models import ReviewTrigger, RiskPlan
from homeward.safeguarding.services import reviews


@transaction.atomic
@bus.in_unit_of_work
def sweep(on: date | None = None) -> int:
    """Open a review for every plan due on or before ``on`` (today); how many were opened."""
    day = on or reviews.today()
    opened = 0
    due = RiskPlan.objects.filter(review_date__lte=day).select_related("child").order_by("pk")
    for plan in due:
        key = f"review_date:{plan.pk}:{plan.review_date.isoformat()}"
        detail = f"Review date {plan.review_date:%d %B %Y}".replace(" 0", " ")
        if reviews.open_review(plan.child, ReviewTrigger.REVIEW_DATE, key, detail):
            opened += 1
    return opened


@task()
def review_dates_sweep() -> int:
    return sweep()


def _queued_today() -> bool:
    from django_tasks_db.models import DBTaskResult

    midnight = datetime.combine(reviews.today(), time(0), tzinfo=clock.UK)
    return DBTaskResult.objects.filter(
        task_path=f"{__name__}.review_dates_sweep", enqueued_at__gte=midnight
    ).exists()


def schedule() -> bool:
    """Queue today's sweep unless it is already queued or done; True if queued."""
    if _queued_today():
        return False
    review_dates_sweep.enqueue()
    return True
