"""Who may see episodes at all: the role decides; which episodes, the access policy."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.organisations.policy import Action, role_allows


def may_see_episodes(actor: Actor) -> bool:
    """Open episodes, the inbox and the pages that list children's episodes."""
    return role_allows(actor, Action.SEE_EPISODES)
