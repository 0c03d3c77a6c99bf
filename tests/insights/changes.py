"""Changing records behind the services' back, as the tests of the figures need, and
emitting the event a service would for each change: the statistics handler then
refreshes the child's figures, as it does for every change a service makes. Linking and
unlinking records here does what ``homeward.linkage.services`` does to ``Child.person``
and emits its events."""

from __future__ import annotations

from homeward.aftercare.events import InterviewUpdated
from homeward.aftercare.models import ReturnInterview
from homeward.children.models import Child
from homeward.episodes.events import EpisodesLinked, EpisodeUpdated
from homeward.episodes.models import Episode
from homeward.events import bus
from homeward.linkage.events import RecordsLinked, RecordUnlinked


def save_episode(episode: Episode) -> None:
    episode.save()
    bus.emit(EpisodeUpdated(aggregate_id=episode.reference, child_id=episode.child_id, fields=[]))


def save_interview(interview: ReturnInterview) -> None:
    interview.save()
    bus.emit(
        InterviewUpdated(
            aggregate_id=interview.pk, child_id=interview.child_id, status=interview.status
        )
    )


def link(episode: Episode, other: Episode) -> None:
    episode.went_missing_with.add(other)
    for ep in (episode, other):
        bus.emit(EpisodesLinked(aggregate_id=ep.reference, child_id=ep.child_id))


def link_records(left: Child, right: Child) -> int:
    """Two records found to be one child, as ``linkage.services.link_records`` leaves them:
    every record of both persons points at the lowest own person among them. Returns the
    person."""
    group = list(Child.objects.filter(person__in=[left.person_id, right.person_id]))
    person = min(row.own_person_id for row in group)
    Child.objects.filter(pk__in=[row.pk for row in group]).update(person_id=person)
    records = sorted(row.pk for row in group)
    bus.emit(
        RecordsLinked(
            aggregate_id=person, child_id=left.pk, link=0, records=records, automatic=False
        )
    )
    return person


def unlink_record(record: Child, *, announce: list[int] | None = None) -> list[int]:
    """A record separated from its person, as ``linkage.services.unlink_record`` leaves it:
    the record is its own person again, the rest of the group the lowest own person among
    them. ``announce``: the records the event names (all the group's, unless given)."""
    group = list(Child.objects.filter(person_id=record.person_id))
    rest = [row for row in group if row.pk != record.pk]
    Child.objects.filter(pk=record.pk).update(person_id=record.own_person_id)
    if rest:
        person = min(row.own_person_id for row in rest)
        Child.objects.filter(pk__in=[row.pk for row in rest]).update(person_id=person)
    records = sorted(row.pk for row in group)
    bus.emit(
        RecordUnlinked(
            aggregate_id=record.own_person_id,
            child_id=record.pk,
            records=records if announce is None else announce,
        )
    )
    return records
