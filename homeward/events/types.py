"""The event types: one pydantic class per kind of domain event, each with its name.

An event says which record it is about (``aggregate_type``, fixed per class, and
``aggregate_id``), the child it concerns if any, and its payload: the class's own fields.
Each app declares its events in its ``events.py``; every class with a ``name`` is in
``REGISTRY``, which the tests use to check every outbox row against its schema."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, field_validator

REGISTRY: dict[str, type[Event]] = {}


class Event(BaseModel):
    """A domain event. Subclasses set ``name`` and ``aggregate_type`` and add the payload
    fields; a payload field with a default is left out of the payload unless given."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    name: ClassVar[str] = ""
    aggregate_type: ClassVar[str] = ""

    aggregate_id: str | int  # kept as text: a reference, or a primary key written out
    child_id: int | None = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not cls.name:
            return
        if not cls.aggregate_type:
            raise TypeError(f"{cls.__name__} names no aggregate_type")
        known = REGISTRY.get(cls.name)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise TypeError(f"Two event classes are named {cls.name!r}")
        REGISTRY[cls.name] = cls

    @field_validator("aggregate_id", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @property
    def aggregate(self) -> str:
        """The aggregate's id as text, as the outbox keeps it."""
        return str(self.aggregate_id)

    def payload(self) -> dict[str, Any]:
        """What the outbox row keeps beside the aggregate and the child."""
        return self.model_dump(
            mode="json", by_alias=True, exclude={"aggregate_id", "child_id"}, exclude_unset=True
        )


def event_class(name: str) -> type[Event]:
    """The registered class of an event name (KeyError for a name no class has)."""
    return REGISTRY[name]


def parse(
    name: str, aggregate_type: str, aggregate_id: str, child_id: int | None, payload: Any
) -> Event:
    """Read an outbox row back as its typed event; raises if it does not fit its schema."""
    cls = event_class(name)
    if aggregate_type != cls.aggregate_type:
        raise ValueError(f"{name} is about a {cls.aggregate_type}, not a {aggregate_type}")
    if not isinstance(payload, dict):
        raise ValueError(f"{name}: the payload is not an object")
    return cls.model_validate({**payload, "aggregate_id": aggregate_id, "child_id": child_id})
