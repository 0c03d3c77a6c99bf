"""The domain events of missing episodes (the aggregate is the episode's reference)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import AliasChoices, Field

from homeward.events.types import Event


class EpisodeEvent(Event):
    aggregate_type: ClassVar[str] = "episode"


class EpisodeReported(EpisodeEvent):
    name: ClassVar[str] = "episode.reported"
    risk_grade: str
    classification: str
    already_returned: bool


class EpisodeUpdated(EpisodeEvent):
    name: ClassVar[str] = "episode.updated"
    fields: list[str]


class FurtherReport(EpisodeEvent):
    name: ClassVar[str] = "episode.further_report"


class EpisodeRegraded(EpisodeEvent):
    name: ClassVar[str] = "episode.regraded"
    from_: str = Field(validation_alias=AliasChoices("from_", "from"), serialization_alias="from")
    to: str


class ClassificationChanged(EpisodeEvent):
    name: ClassVar[str] = "episode.classification_changed"
    classification: str


class EpisodeReturned(EpisodeEvent):
    name: ClassVar[str] = "episode.returned"
    returned_at: str  # ISO 8601, as Python writes it
    late_report: bool


class EpisodeClosed(EpisodeEvent):
    name: ClassVar[str] = "episode.closed"


class TimelineAdded(EpisodeEvent):
    name: ClassVar[str] = "episode.timeline_added"
    kind: str


class EpisodesLinked(EpisodeEvent):
    name: ClassVar[str] = "episode.linked"
