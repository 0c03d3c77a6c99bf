"""The domain events of themes. References only: never a child's words or a theme's
name, so an outbox row says what happened and where to look."""

from __future__ import annotations

from typing import ClassVar

from homeward.events.types import Event


class ThemeEvent(Event):
    aggregate_type: ClassVar[str] = "theme"


class ThemesRun(ThemeEvent):
    """The council's free text was grouped again (aggregate: the run)."""

    aggregate_type: ClassVar[str] = "theme_run"
    name: ClassVar[str] = "themes.run"
    council: int
    items: int
    themes: int
    learned_from: int


class ThemeNamed(ThemeEvent):
    name: ClassVar[str] = "themes.named"
    council: int


class ThemeItemCorrected(ThemeEvent):
    name: ClassVar[str] = "themes.item_corrected"
    council: int
    item: int
    from_theme: int | None
    new_theme: bool


class ThemesMerged(ThemeEvent):
    name: ClassVar[str] = "themes.merged"
    council: int
    into: int
    items: int


class ThemeLinked(ThemeEvent):
    """A theme (or a standard code) linked to what answered it (aggregate: the link)."""

    aggregate_type: ClassVar[str] = "theme_link"
    name: ClassVar[str] = "themes.linked"
    council: int
    kind: str
    target: int
