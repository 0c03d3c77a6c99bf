"""Who may look for children and ask for emergency access to one. Each predicate answers
for the pages, the API and the lists of a user's work alike; each ``require_`` refuses as
the services do (AccessDenied, shown as 403)."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied
from homeward.organisations.policy import Action, role_allows

REFUSED = "Your role does not allow you to do this."


def may_find(actor: Actor) -> bool:
    """Search the children the actor's organisation works with."""
    return role_allows(actor, Action.SEE_IDENTITY)


def may_ask_emergency_access(actor: Actor) -> bool:
    """Open a child's record outside one's relationships, for a stated reason."""
    return role_allows(actor, Action.SEE_IDENTITY)


def require_find(actor: Actor) -> None:
    if not may_find(actor):
        raise AccessDenied(REFUSED)


def require_emergency_access(actor: Actor) -> None:
    if not may_ask_emergency_access(actor):
        raise AccessDenied(REFUSED)
