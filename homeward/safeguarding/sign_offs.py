"""The worker's clock for protocol sign-offs: each run past its sign-off time and not yet
signed off tells the home's managers once (``SignOffDue``). The outbox is the memory of
who has been told, so a sweep run twice, or on two workers, tells nobody twice."""

from __future__ import annotations

from django.db import transaction

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.events import bus
from homeward.events.change import record_change
from homeward.events.models import DomainEvent
from homeward.safeguarding.events import SignOffDue
from homeward.safeguarding.models.protocols import ProtocolRun


def _told(run_ids: list[int]) -> set[str]:
    return set(
        DomainEvent.objects.filter(
            name=SignOffDue.name,
            aggregate_type=SignOffDue.aggregate_type,
            aggregate_id__in=[str(pk) for pk in run_ids],
        ).values_list("aggregate_id", flat=True)
    )


@transaction.atomic
@bus.in_unit_of_work
def _tell(run: ProtocolRun) -> None:
    locked = ProtocolRun.objects.select_for_update().filter(pk=run.pk).first()
    if locked is None or locked.signed_off_at is not None or _told([run.pk]):
        return
    record_change(
        Actor.system(),
        SignOffDue(
            aggregate_id=run.pk,
            child_id=run.episode.child_id,
            episode=run.episode.reference,
            home=run.home_id,
        ),
        action="protocol_sign_off_due",
    )


def schedule() -> int:
    """Tell the homes whose sign-offs are due; returns how many were told."""
    due = list(
        ProtocolRun.objects.filter(signed_off_at__isnull=True, sign_off_due_at__lte=clock.now())
        .select_related("episode")
        .order_by("pk")[:500]
    )
    told = _told([run.pk for run in due])
    count = 0
    for run in due:
        if str(run.pk) not in told:
            _tell(run)
            count += 1
    return count
