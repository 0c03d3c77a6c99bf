"""Emitting a domain event: the outbox row, the in-transaction handlers, the delivery.

``emit(event)`` writes the event's outbox row (so the outbox keeps the order things
happened in), hands the row to the registered deliverers (notifications queues its
delivery in the same transaction, so a rolled-back change is never delivered), then runs
the handlers registered for its class (``@on``) and for every event (``@on_every``), in
the caller's transaction: a handler that raises rolls the whole change back.

Work a handler wants done once however many events ask for it (refreshing one child's
figures) goes through ``later(key, work)``: it runs when the outermost ``emit`` (or the
outermost ``unit_of_work()`` block, for a bulk write) ends, once per key."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, TypeVar

from homeward.core import clock
from homeward.events.models import DomainEvent
from homeward.events.types import Event

if TYPE_CHECKING:
    from homeward.core.actor import Actor

E = TypeVar("E", bound=Event)
Handler = Callable[[E, "Actor | None"], None]
Deliverer = Callable[[DomainEvent], None]

_handlers: dict[type[Event], list[Callable[[Event, Actor | None], None]]] = {}
_every: list[Callable[[Event, Actor | None], None]] = []
_deliverers: list[Deliverer] = []
_unit: ContextVar[dict[Hashable, Callable[[], object]] | None] = ContextVar(
    "homeward_events_unit", default=None
)


def on(*classes: type[E]) -> Callable[[Handler[E]], Handler[E]]:
    """Register a handler for these event classes (run in the emitting transaction)."""

    def register(handler: Handler[E]) -> Handler[E]:
        for cls in classes:
            listed = _handlers.setdefault(cls, [])
            if handler not in listed:
                listed.append(handler)  # type: ignore[arg-type]
        return handler

    return register


def on_every(handler: Handler[Event]) -> Handler[Event]:
    """Register a handler for every event."""
    if handler not in _every:
        _every.append(handler)
    return handler


def on_delivery(deliverer: Deliverer) -> Deliverer:
    """Register what queues an outbox row's delivery (called in the emitting transaction)."""
    if deliverer not in _deliverers:
        _deliverers.append(deliverer)
    return deliverer


def handlers_for(cls: type[Event]) -> list[Callable[[Event, Actor | None], None]]:
    return [*_handlers.get(cls, ()), *_every]


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Gather the work handlers hand to ``later`` and do it once, when the block ends
    (nothing is done if it raises: the transaction is rolled back with it). Nested blocks
    and emits leave the work to the outermost."""
    if _unit.get() is not None:
        yield
        return
    pending: dict[Hashable, Callable[[], object]] = {}
    token = _unit.set(pending)
    try:
        yield
    finally:
        _unit.reset(token)
    # Work may emit again: each round runs inside a unit of its own.
    while pending:
        work = list(pending.values())
        pending = {}
        token = _unit.set(pending)
        try:
            for item in work:
                item()
        finally:
            _unit.reset(token)


def later(key: Hashable, work: Callable[[], object]) -> None:
    """Do ``work`` when the current unit of work ends (at once outside one), once per key."""
    pending = _unit.get()
    if pending is None:
        work()
    else:
        pending.setdefault(key, work)


def emit(event: Event, actor: Actor | None = None) -> DomainEvent:
    """Record one domain event: its outbox row, its delivery, its handlers."""
    with unit_of_work():
        row = DomainEvent.objects.create(
            name=event.name,
            occurred_at=clock.now(),
            aggregate_type=event.aggregate_type,
            aggregate_id=event.aggregate,
            child_id=event.child_id,
            payload=event.payload(),
        )
        for deliver in _deliverers:
            deliver(row)
        for handler in handlers_for(type(event)):
            handler(event, actor)
    return row
