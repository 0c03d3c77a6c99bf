"""Refreshing the figures in the transaction of every change that feeds them.

One handler: each event about a change to a child's records asks for that child's facts
to be refreshed, once, when the change's unit of work ends (``events.bus.later``), so a
committed change and its figures are never out of step and a rolled-back change leaves
no trace in the figures. A service that has read the child as the refresh would
(``facts.CHILD_RELATED``, its legal statuses prefetched) holds it (``events.bus.hold``,
under ``child_key``) and the refresh takes it instead of reading it again. Linking
episodes refreshes every child in the linked group. Linking or unlinking child records
(homeward.linkage) refreshes every person the records touched: the ones they belong to
now and the ones whose facts held their episodes (``facts.refresh_records``).
Bulk loads refresh what they wrote themselves (``facts.refresh_children``; ``import-903``
inside ``facts.deferred()``). Registered in InsightsConfig.ready()."""

from __future__ import annotations

from homeward.aftercare.events import CheckRecorded, InterviewOpened, InterviewUpdated
from homeward.children.events import ChildUpdated, PlacementStarted
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.episodes.events import (
    ClassificationChanged,
    EpisodeClosed,
    EpisodeRegraded,
    EpisodeReported,
    EpisodeReturned,
    EpisodesLinked,
    EpisodeUpdated,
    FurtherReport,
    TimelineAdded,
)
from homeward.episodes.models import Episode
from homeward.events.bus import child_key, held, later, on
from homeward.events.types import Event
from homeward.insights import facts
from homeward.linkage.events import RecordsLinked, RecordUnlinked

# The changes to records that feed a figure (a child's creation feeds none until an
# episode is reported; an account change or a clock falling due feeds none).
CHANGES = (
    ChildUpdated,
    PlacementStarted,
    EpisodeReported,
    FurtherReport,
    EpisodeUpdated,
    EpisodeRegraded,
    ClassificationChanged,
    EpisodeReturned,
    EpisodeClosed,
    TimelineAdded,
    CheckRecorded,
    InterviewOpened,
    InterviewUpdated,
)


def _refresh(child_id: int) -> None:
    child = held(child_key(child_id))
    facts.refresh_child(child_id, child=child if isinstance(child, Child) else None)


@on(*CHANGES)
def refresh_statistics(event: Event, _actor: Actor | None) -> None:
    child_id = event.child_id
    if child_id is not None:
        later(("insights.child", child_id), lambda: _refresh(child_id))


@on(EpisodesLinked)
def refresh_linked(event: EpisodesLinked, _actor: Actor | None) -> None:
    pk = Episode.objects.filter(reference=event.aggregate).values_list("pk", flat=True).first()
    if pk is not None:
        later(("insights.linked", pk), lambda: facts.refresh_linked([pk]))


def _refresh_records(event: RecordsLinked | RecordUnlinked) -> None:
    records = sorted({*event.records, *([event.child_id] if event.child_id else [])})
    if records:
        later(("insights.records", *records), lambda: facts.refresh_records(records))


@on(RecordsLinked)
def refresh_linked_records(event: RecordsLinked, _actor: Actor | None) -> None:
    _refresh_records(event)


@on(RecordUnlinked)
def refresh_unlinked_record(event: RecordUnlinked, _actor: Actor | None) -> None:
    _refresh_records(event)


def connect() -> None:
    """Importing this module registers its handlers; ready() calls this to say so."""
