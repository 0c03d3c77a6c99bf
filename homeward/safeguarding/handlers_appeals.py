"""A public appeal ends when the child is found: a return withdraws the episode's live
appeal, as Homeward, in the return's own transaction."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.episodes.events import EpisodeReturned
from homeward.events.bus import on
from homeward.safeguarding.services import appeals


@on(EpisodeReturned)
def withdraw_appeal_on_return(event: EpisodeReturned, actor: Actor | None) -> None:  # noqa: ARG001
    appeals.withdraw_on_return(Actor.system(), event.aggregate)
