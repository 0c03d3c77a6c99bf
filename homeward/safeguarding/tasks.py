"""The worker's sweep of missing profiles: a profile past its review date, or without a
current photograph, is flagged to its owner (``ProfileNeedsAttention``, whose audience is
the owning organisation).

``homeward worker`` calls ``schedule()`` on every sweep. It flags each profile at most
once a UK day for each reason: a reason already flagged today is not flagged again,
however often the sweep runs, so running it twice changes nothing."""

from __future__ import annotations

from datetime import datetime, time

from django.db import transaction

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.events import bus
from homeward.events.change import record_change
from homeward.events.models import DomainEvent
from homeward.safeguarding.events import ProfileNeedsAttention
from homeward.safeguarding.services import profiles as service


def _start_of_today() -> datetime:
    return datetime.combine(service.today(), time.min, tzinfo=clock.UK)


def _flagged_today(profile_ids: list[int]) -> set[tuple[str, str]]:
    """(profile id, reason) already flagged since midnight, UK time."""
    rows = DomainEvent.objects.filter(
        name=ProfileNeedsAttention.name,
        aggregate_id__in=[str(pk) for pk in profile_ids],
        occurred_at__gte=_start_of_today(),
    ).values_list("aggregate_id", "payload")
    return {(pk, reason) for pk, payload in rows for reason in payload.get("reasons", [])}


def sweep() -> int:
    """Flag what needs attention and has not been flagged today; returns how many
    profiles were flagged."""
    found = list(service.needing_attention())
    if not found:
        return 0
    already = _flagged_today([p.pk for p in found])
    flagged = 0
    for profile in found:
        reasons = [
            r
            for r in service.needs_attention(profile, bool(getattr(profile, "has_photo", False)))
            if (str(profile.pk), r) not in already
        ]
        if reasons:
            _flag(profile.pk, profile.child_id, profile.owner_id, reasons)
            flagged += 1
    return flagged


@transaction.atomic
@bus.in_unit_of_work
def _flag(profile_id: int, child_id: int, owner_id: int, reasons: list[str]) -> None:
    record_change(
        Actor.system(),
        ProfileNeedsAttention(
            aggregate_id=profile_id, child_id=child_id, owner=owner_id, reasons=reasons
        ),
        action="flag",
        details={"reasons": reasons},
    )


def schedule() -> int:
    """What the worker calls on each sweep."""
    return sweep()
