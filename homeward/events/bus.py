"""Emitting a domain event: the outbox row, the in-transaction handlers, the delivery.

``emit(event)`` writes the event's outbox row (so the outbox keeps the order things
happened in), hands the row to the registered deliverers (notifications queues its
delivery in the same transaction, so a rolled-back change is never delivered), then runs
the handlers registered for its class (``@on``) and for every event (``@on_every``), in
the caller's transaction: a handler that raises rolls the whole change back.

Work a handler wants done once however many events ask for it (refreshing one child's
figures) goes through ``later(key, work)``: it runs when the outermost ``emit`` (or the
outermost ``unit_of_work()`` block: a service's transaction, or a bulk write) ends, once
per key. A service may ``hold`` a row it has read for that work to take instead of
reading it again (``held``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from homeward.core import clock
from homeward.events.models import DomainEvent
from homeward.events.types import Event

if TYPE_CHECKING:
    from homeward.core.actor import Actor

E = TypeVar("E", bound=Event)
P = ParamSpec("P")
R = TypeVar("R")
Handler = Callable[[E, "Actor | None"], None]
Deliverer = Callable[[DomainEvent], None]

_handlers: dict[type[Event], list[Callable[[Event, Actor | None], None]]] = {}
_every: list[Callable[[Event, Actor | None], None]] = []
_deliverers: list[Deliverer] = []
_unit: ContextVar[dict[Hashable, Callable[[], object]] | None] = ContextVar(
    "homeward_events_unit", default=None
)
# The rows the services of the current unit of work hold for its work (``hold``).
_held: ContextVar[dict[Hashable, object] | None] = ContextVar("homeward_events_held", default=None)


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
    held = _held.set({})
    try:
        yield
        # Work may emit again: each round runs inside a unit of its own.
        while pending:
            work = list(pending.values())
            pending = {}
            _unit.set(pending)
            for item in work:
                item()
    finally:
        _unit.reset(token)
        _held.reset(held)


def in_unit_of_work(function: Callable[P, R]) -> Callable[P, R]:
    """Run a service inside one unit of work: the work its events ask for is done once,
    when it ends (inside its transaction: put this under ``transaction.atomic``)."""

    @wraps(function)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with unit_of_work():
            return function(*args, **kwargs)

    return wrapped


def hold(key: Hashable, row: object) -> None:
    """Offer a row already read to the work of the current unit (nothing outside one). The
    row must be as the work would read it, and stay so until the unit ends."""
    rows = _held.get()
    if rows is not None:
        rows[key] = row


def child_key(child_id: int) -> Hashable:
    """The key a child's row is held under: the row of the child an event is about."""
    return ("child", child_id)


def held(key: Hashable) -> object | None:
    """The row a service of the current unit holds under ``key``, if any."""
    rows = _held.get()
    return None if rows is None else rows.get(key)


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
            # The id its delivery task will be queued under (events.task_ids).
            task_id=uuid.uuid4(),
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
