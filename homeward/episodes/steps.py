"""What a user can do next with an episode, and why not yet.

One function per step, each built from the role (the access policy) and the episode's
state. The episode page offers exactly the steps that are available and, for a step the
user's role allows but the record does not yet, says why instead; the service functions
refuse with the same words. So a page never offers a step that would then be refused."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.episodes.models import Episode, EpisodeStatus
from homeward.events.guards import Guard
from homeward.organisations.policy import Action, Step, step

CLOSED = "A closed episode cannot be changed"

# What else must be recorded before a returned episode can close: the apps above register
# their checks (aftercare: the safe and well check and the return interview).
CLOSING: Guard[Episode] = Guard("episode.close")


def _closed(episode: Episode) -> str:
    return CLOSED if episode.status == EpisodeStatus.CLOSED else ""


def report(actor: Actor) -> Step:
    """Reporting a child missing: a report of a child who is missing already adds to
    their open episode, so nothing in the record stops it."""
    return step(actor, Action.REPORT)


def update(actor: Actor, episode: Episode) -> Step:
    return step(actor, Action.UPDATE_EPISODE, _closed(episode))


def add_timeline(actor: Actor, episode: Episode) -> Step:
    return step(actor, Action.UPDATE_EPISODE, _closed(episode))


def link(actor: Actor, episode: Episode) -> Step:
    return step(actor, Action.UPDATE_EPISODE, _closed(episode))


def regrade(actor: Actor, episode: Episode) -> Step:
    return step(
        actor,
        Action.REGRADE,
        ""
        if episode.status == EpisodeStatus.MISSING
        else "Risk can only be re-graded while the child is missing",
    )


def classify(actor: Actor, episode: Episode) -> Step:
    return step(
        actor,
        Action.UPDATE_EPISODE,
        ""
        if episode.status == EpisodeStatus.MISSING
        else "Classification can only change while the episode is open",
    )


def record_return(actor: Actor, episode: Episode) -> Step:
    return step(
        actor,
        Action.RECORD_RETURN,
        ""
        if episode.status == EpisodeStatus.MISSING
        else "The return has already been recorded for this episode",
    )


def close(actor: Actor, episode: Episode) -> Step:
    if episode.status == EpisodeStatus.MISSING:
        return step(actor, Action.CLOSE, "Record the child's return before closing the episode")
    if episode.status == EpisodeStatus.CLOSED:
        return step(actor, Action.CLOSE, "This episode is already closed")
    if not step(actor, Action.CLOSE).allowed:
        return Step(allowed=False)
    blocking = CLOSING.problems(episode)
    return step(
        actor,
        Action.CLOSE,
        f"The episode cannot be closed yet: {' and '.join(blocking)}" if blocking else "",
    )


def for_episode(actor: Actor, episode: Episode) -> dict[str, Step]:
    """Every step on the episode page, by the key the page uses."""
    return {
        "record_return": record_return(actor, episode),
        "regrade": regrade(actor, episode),
        "close": close(actor, episode),
        "timeline": add_timeline(actor, episode),
        "update": update(actor, episode),
        "classify": classify(actor, episode),
        "link": link(actor, episode),
    }
