"""emit(): the outbox row and its delivery, then the handlers, in the caller's transaction;
work handed to later() is done once per key when the outermost emit ends."""

from __future__ import annotations

from types import ModuleType

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from homeward.core.actor import Actor
from homeward.episodes.events import EpisodeClosed
from homeward.events import bus
from homeward.events.models import DomainEvent
from homeward.events.types import Event


@pytest.fixture
def handlers(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A clean set of handlers for one test (the app's own are put back after)."""
    monkeypatch.setattr(bus, "_handlers", {})
    monkeypatch.setattr(bus, "_every", [])
    return bus


@pytest.mark.django_db
def test_emit_writes_the_row_queues_its_delivery_and_runs_the_handlers(
    handlers: ModuleType,
) -> None:
    seen: list[tuple[str, int]] = []

    @bus.on(EpisodeClosed)
    def closed(event: EpisodeClosed, actor: Actor | None) -> None:
        # The row is written before the handlers run: the outbox keeps the order of events.
        seen.append(("closed", DomainEvent.objects.count()))

    @bus.on_every
    def every(event: Event, actor: Actor | None) -> None:
        seen.append(("every", DomainEvent.objects.count()))

    row = bus.emit(EpisodeClosed(aggregate_id="HW-TESTTEST", child_id=5))
    assert seen == [("closed", 1), ("every", 1)]
    assert (row.name, row.aggregate_type, row.aggregate_id, row.child_id, row.payload) == (
        "episode.closed",
        "episode",
        "HW-TESTTEST",
        5,
        {},
    )
    # notifications' deliverer queued the delivery, and the row points at its task.
    row.refresh_from_db()
    assert row.task_id is not None


@pytest.mark.django_db
def test_a_handler_that_raises_rolls_the_change_back(handlers: ModuleType) -> None:
    @bus.on(EpisodeClosed)
    def refuse(event: EpisodeClosed, actor: Actor | None) -> None:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError), transaction.atomic():
        bus.emit(EpisodeClosed(aggregate_id="HW-TESTTEST", child_id=5))
    assert not DomainEvent.objects.exists()


@pytest.mark.django_db
def test_later_work_is_done_once_per_key_when_the_outermost_emit_ends(handlers: ModuleType) -> None:
    done: list[int | None] = []

    @bus.on(EpisodeClosed)
    def refresh(event: EpisodeClosed, actor: Actor | None) -> None:
        count = len(done)
        bus.later(("child", event.child_id), lambda: done.append(event.child_id))
        assert len(done) == count  # not yet: at the end of the unit of work

    with bus.unit_of_work():
        for _ in range(3):
            bus.emit(EpisodeClosed(aggregate_id="HW-TESTTEST", child_id=5))
        bus.emit(EpisodeClosed(aggregate_id="HW-OTHEROTH", child_id=6))
        assert done == []
    assert done == [5, 6]
    bus.emit(EpisodeClosed(aggregate_id="HW-TESTTEST", child_id=5))
    assert done == [5, 6, 5]


def test_no_model_signal_receivers_remain_for_domain_behaviour() -> None:
    """Domain behaviour runs from events, not from post_save and friends."""
    homeward_models = {m for m in apps.get_models() if m.__module__.startswith("homeward.")}
    through = {
        f.remote_field.through
        for m in homeward_models
        for f in m._meta.many_to_many
        if isinstance(f, models.ManyToManyField)
    }
    for signal in (post_save, post_delete, m2m_changed):
        for model in homeward_models | through:
            assert not signal.has_listeners(model), f"{signal} has a receiver for {model}"
