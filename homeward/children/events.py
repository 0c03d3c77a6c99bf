"""The domain events of children's records."""

from __future__ import annotations

from typing import ClassVar

from pydantic import AliasChoices, Field

from homeward.events.types import Event


class ChildEvent(Event):
    aggregate_type: ClassVar[str] = "child"


class ChildCreated(ChildEvent):
    name: ClassVar[str] = "child.created"
    responsible_council: int
    provisional: bool


class ChildUpdated(ChildEvent):
    name: ClassVar[str] = "child.updated"
    fields: list[str]
    from_: int | None = Field(
        default=None, validation_alias=AliasChoices("from_", "from"), serialization_alias="from"
    )
    to: int | None = None


class PlacementStarted(ChildEvent):
    name: ClassVar[str] = "child.placement_started"
    placement: int


class EmergencyAccessUsed(ChildEvent):
    name: ClassVar[str] = "child.emergency_access_used"
    access: int
    council: int
