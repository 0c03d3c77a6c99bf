"""Changing records behind the services' back, as the tests of the figures need, and
emitting the event a service would for each change: the statistics handler then
refreshes the child's figures, as it does for every change a service makes."""

from __future__ import annotations

from homeward.aftercare.events import InterviewUpdated
from homeward.aftercare.models import ReturnInterview
from homeward.episodes.events import EpisodesLinked, EpisodeUpdated
from homeward.episodes.models import Episode
from homeward.events import bus


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
