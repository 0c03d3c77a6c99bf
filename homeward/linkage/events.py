"""The domain events of linking child records into one person."""

from __future__ import annotations

from typing import ClassVar

from homeward.events.types import Event


class LinkageEvent(Event):
    aggregate_type: ClassVar[str] = "person"


class RecordsLinked(LinkageEvent):
    """Two records were found to be one child (``aggregate_id``: the resolved person).
    ``child_id`` is one of the records; ``records`` all of the person's records now."""

    name: ClassVar[str] = "person.records_linked"
    link: int
    records: list[int]
    automatic: bool


class RecordUnlinked(LinkageEvent):
    """A record was separated from the person it was linked into (``child_id``).
    ``records`` are every record whose person may have changed."""

    name: ClassVar[str] = "person.record_unlinked"
    records: list[int]


class MatchQueued(LinkageEvent):
    """A pair of records went to the review queue (``aggregate_id``: the candidate)."""

    name: ClassVar[str] = "person.match_queued"
    candidate: int
    councils: list[int]


class MatchDecided(LinkageEvent):
    name: ClassVar[str] = "person.match_decided"
    candidate: int
    same: bool
