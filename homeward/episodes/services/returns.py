"""The return and what follows it, and closing an episode."""

from __future__ import annotations

from django.db import transaction

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.episodes import steps
from homeward.episodes.events import (
    EpisodeClosed,
    EpisodeReturned,
)
from homeward.episodes.models import (
    Episode,
    EpisodeStatus,
    ReturnMethod,
    TimelineKind,
)
from homeward.episodes.services.records import _about, _add_timeline, _lock, _return_fields, _save
from homeward.episodes.services.rules import Return, _return_errors
from homeward.events import bus
from homeward.organisations.models import OrganisationKind
from homeward.organisations.policy import Action


def _returned(actor: Actor, episode: Episode, *, late_report: bool = False) -> None:
    """What follows every return, whether recorded on an open episode or in a late report:
    the timeline entry, the event (the safe and well check falls due), and the return
    interview (opened, or this episode added to one not yet done)."""
    assert episode.returned_at is not None
    _add_timeline(
        actor,
        episode,
        TimelineKind.RETURN,
        episode.returned_at,
        f"{ReturnMethod(episode.return_method).label}."
        + (f" Found at {episode.found_location}." if episode.found_location else "")
        + (" Recorded in a late report, after the child was back." if late_report else ""),
        location=episode.found_location,
    )
    # Audited with the change that records it (the return, or the late report); the
    # return interview is opened by aftercare's handler of this event.
    bus.emit(
        EpisodeReturned(
            aggregate_id=episode.reference,
            child_id=episode.child_id,
            returned_at=episode.returned_at.isoformat(),
            late_report=late_report,
        ),
        actor,
    )


@transaction.atomic
def record_return(
    actor: Actor, reference: str, expected_version: int | None, details: Return
) -> Episode:
    episode = _lock(actor, reference, Action.RECORD_RETURN, expected_version)
    errors: dict[str, list[str]] = {}
    not_yet = steps.record_return(actor, episode).reason
    if not_yet:
        errors["returned_at"] = [not_yet]
    _return_errors(errors, details, episode.last_seen_at)
    if errors:
        raise ValidationFailed(errors)
    assert details.returned_at is not None
    for name, value in _return_fields(details).items():
        setattr(episode, name, value)
    fields = [
        "status",
        "returned_at",
        "return_method",
        "found_location",
        "found_with",
        "harm_indicators",
    ]
    org = actor.organisation
    if (
        org is not None
        and org.kind == OrganisationKind.POLICE
        and org.pk != episode.police_force_id
    ):
        episode.found_police_force = org
        fields.append("found_police_force")
    episode = _save(actor, episode, fields, "record_return")
    _returned(actor, episode)
    return episode


@transaction.atomic
def close_episode(actor: Actor, reference: str, expected_version: int | None) -> Episode:
    episode = _lock(actor, reference, Action.CLOSE, expected_version)
    not_yet = steps.close(actor, episode).reason
    if not_yet:
        raise ValidationFailed({"status": not_yet})
    now = clock.now()
    episode.status = EpisodeStatus.CLOSED
    episode.closed_at = now
    episode.closed_by = actor.user
    _add_timeline(actor, episode, TimelineKind.CLOSE, now, "Episode closed.")
    episode = _save(
        actor,
        episode,
        ["status", "closed_at", "closed_by"],
        "close",
        lambda e: EpisodeClosed(**_about(e)),
    )
    return episode
