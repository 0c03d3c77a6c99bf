import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest

from homeward.children.models import Child, WorkerAllocation
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.events.models import DomainEvent
from homeward.notifications import clocks, delivery
from homeward.notifications.models import Clock, EmailDelivery
from homeward.organisations.models import Role, User
from tests import factories


@dataclass
class Area:
    """A child of council C placed in a children's home in host council H, policed by P."""

    child: Child
    coordinator: User
    manager: User
    worker: User
    host_coordinator: User
    police_coordinator: User
    home_manager: User
    home_staff: User
    stranger_coordinator: User
    stranger_police: User
    social_worker: Actor  # in C, who reports
    officer: Actor  # in P


@pytest.fixture
def area(db: None) -> Area:
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    host = factories.CouncilFactory(police_force=police)
    home = factories.CareProviderFactory(area_council=host)
    child = factories.ChildFactory(responsible_council=council)
    factories.looked_after(child)
    factories.place(child, provider=home, host=host)
    worker = factories.member(Role.SOCIAL_WORKER, council)
    WorkerAllocation.objects.create(
        child=child,
        worker=worker,
        organisation=council,
        start_date=clock.now().date() - timedelta(days=30),
    )
    return Area(
        child=child,
        coordinator=factories.member(Role.COUNCIL_MISSING_COORDINATOR, council),
        manager=factories.member(Role.COUNCIL_MANAGER, council),
        worker=worker,
        host_coordinator=factories.member(Role.COUNCIL_MISSING_COORDINATOR, host),
        police_coordinator=factories.member(Role.POLICE_MISSING_COORDINATOR, police),
        home_manager=factories.member(Role.CARE_MANAGER, home),
        home_staff=factories.member(Role.CARE_STAFF, home),
        stranger_coordinator=factories.member(
            Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory(police_force=police)
        ),
        stranger_police=factories.member(
            Role.POLICE_MISSING_COORDINATOR, factories.PoliceForceFactory()
        ),
        social_worker=factories.actor(Role.SOCIAL_WORKER, council),
        officer=factories.actor(Role.POLICE_OFFICER, police),
    )


def task_of(row: DomainEvent | Clock | EmailDelivery) -> uuid.UUID:
    """The id of the task queued for an event, a clock or an email (set when it is queued)."""
    assert row.task_id is not None, f"{row!r} has no task queued"
    return row.task_id


def drain(fire_due_clocks: bool = True) -> None:
    """What the worker does, run inline: deliver every event, fire every due clock."""
    for _ in range(20):
        pending = list(
            DomainEvent.objects.filter(delivered_at__isnull=True).values_list("pk", flat=True)
        )
        due = (
            list(
                Clock.objects.filter(fired_at__isnull=True, due_at__lte=clock.now()).values_list(
                    "pk", flat=True
                )
            )
            if fire_due_clocks
            else []
        )
        if not pending and not due:
            return
        for pk in pending:
            delivery.deliver(pk)
        for pk in due:
            clocks.fire(pk)
    raise AssertionError("events kept coming")
