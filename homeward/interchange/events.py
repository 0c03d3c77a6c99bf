"""The domain events of imports."""

from __future__ import annotations

from typing import ClassVar

from homeward.events.types import Event


class Ssda903Imported(Event):
    name: ClassVar[str] = "interchange.ssda903_imported"
    aggregate_type: ClassVar[str] = "council"
    children: int
    created: int
