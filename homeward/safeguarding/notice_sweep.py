"""The worker's sweep of harbouring notices: a notice past its expiry date is marked
expired (``NoticeExpired``), and a live notice whose review date has come is reminded to
its force once for that date (``NoticeReviewDue``, whose audience is the force's missing
coordinators). ``homeward worker`` calls ``schedule()`` on every sweep; running it twice
changes nothing."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from homeward.core.actor import Actor
from homeward.events import bus
from homeward.events.change import record_change
from homeward.safeguarding.events import NoticeExpired, NoticeReviewDue
from homeward.safeguarding.models import HarbouringNotice
from homeward.safeguarding.services import notice_rules as rules


@transaction.atomic
@bus.in_unit_of_work
def _expire(notice_id: int) -> bool:
    notice = HarbouringNotice.objects.select_for_update().get(pk=notice_id)
    if notice.expired_on is not None or notice.withdrawn_on is not None:
        return False
    notice.expired_on = rules.today()
    notice.save(update_fields=["expired_on"])
    for child_id in notice.children.order_by("pk").values_list("pk", flat=True):
        record_change(
            Actor.system(),
            NoticeExpired(aggregate_id=notice.pk, child_id=child_id, force=notice.force_id),
            action="expire",
            details={"expires_on": notice.expires_on.isoformat()},
        )
    return True


@transaction.atomic
@bus.in_unit_of_work
def _remind(notice_id: int) -> bool:
    notice = HarbouringNotice.objects.select_for_update().get(pk=notice_id)
    if notice.review_reminded_for == notice.review_on:
        return False
    notice.review_reminded_for = notice.review_on
    notice.save(update_fields=["review_reminded_for"])
    first = notice.children.order_by("pk").values_list("pk", flat=True).first()
    record_change(
        Actor.system(),
        NoticeReviewDue(
            aggregate_id=notice.pk,
            child_id=first,
            force=notice.force_id,
            review_on=notice.review_on.isoformat(),
        ),
        action="review_due",
        details={"review_on": notice.review_on.isoformat()},
    )
    return True


def sweep() -> tuple[int, int]:
    """(notices marked expired, review reminders sent)."""
    day = rules.today()
    live = HarbouringNotice.objects.filter(withdrawn_on__isnull=True, expired_on__isnull=True)
    expired = sum(
        _expire(pk) for pk in live.filter(expires_on__lt=day).values_list("pk", flat=True)
    )
    due = live.filter(expires_on__gte=day, review_on__lte=day).exclude(
        review_reminded_for=F("review_on")
    )
    reminded = sum(_remind(pk) for pk in due.values_list("pk", flat=True))
    return expired, reminded


def schedule() -> int:
    """What the worker calls on each sweep: how many notices it changed."""
    expired, reminded = sweep()
    return expired + reminded
