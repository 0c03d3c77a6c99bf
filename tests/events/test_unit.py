"""A service's unit of work (bus.in_unit_of_work): the work its events ask for is done once,
when it ends, and may take the rows the service holds (bus.hold); the outbox row is written
naming the task that will deliver it (events.task_ids)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from homeward.core.actor import Actor
from homeward.episodes.events import EpisodeClosed
from homeward.events import bus, task_ids
from homeward.events.types import Event


@pytest.fixture
def handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean set of handlers for one test (the app's own are put back after)."""
    monkeypatch.setattr(bus, "_handlers", {})
    monkeypatch.setattr(bus, "_every", [])


@pytest.mark.django_db
@pytest.mark.usefixtures("handlers")
def test_a_services_work_is_done_once_when_it_ends_and_takes_what_it_holds() -> None:
    done: list[object] = []

    @bus.on(EpisodeClosed)
    def refresh(event: Event, _actor: Actor | None) -> None:
        child_id = event.child_id
        assert child_id is not None
        bus.later(("child", child_id), lambda: done.append(bus.held(bus.child_key(child_id))))

    @bus.in_unit_of_work
    def service() -> None:
        bus.hold(bus.child_key(5), "the child as read")
        bus.emit(EpisodeClosed(aggregate_id="HW-TESTTEST", child_id=5))
        bus.emit(EpisodeClosed(aggregate_id="HW-TESTTEST", child_id=5))
        assert done == []

    service()
    assert done == ["the child as read"]
    # Outside a unit nothing is held: the work reads for itself.
    bus.hold(bus.child_key(5), "ignored")
    bus.emit(EpisodeClosed(aggregate_id="HW-TESTTEST", child_id=5))
    assert done == ["the child as read", None]


@pytest.mark.django_db
@pytest.mark.usefixtures("handlers")
def test_work_is_not_done_when_the_service_raises() -> None:
    done: list[int] = []

    @bus.on(EpisodeClosed)
    def refresh(event: Event, _actor: Actor | None) -> None:
        bus.later("work", lambda: done.append(1))

    @bus.in_unit_of_work
    def service() -> None:
        bus.emit(EpisodeClosed(aggregate_id="HW-TESTTEST", child_id=5))
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        service()
    assert done == []
    assert bus.held(bus.child_key(5)) is None


@pytest.mark.django_db
@pytest.mark.usefixtures("handlers")
def test_the_outbox_row_is_written_once_naming_its_delivery_task() -> None:
    with CaptureQueriesContext(connection) as queries:
        row = bus.emit(EpisodeClosed(aggregate_id="HW-TESTTEST", child_id=5))
    assert row.task_id is not None
    task = DBTaskResult.objects.get(pk=row.task_id)
    assert task.args_kwargs["args"] == [row.pk]
    writes = [q["sql"] for q in queries.captured_queries if "notifications_domainevent" in q["sql"]]
    assert len(writes) == 1
    assert writes[0].startswith("INSERT")


def test_a_wanted_task_id_is_given_once() -> None:
    wanted = uuid.uuid4()
    with task_ids.wanting(wanted):
        assert task_ids.task_id() == wanted
        assert task_ids.task_id() != wanted
    assert task_ids.task_id() != wanted
