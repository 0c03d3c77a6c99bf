"""What a role is for, beyond children's records: administering an organisation's users,
and roles that only ever see figures."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.organisations.policy import AGGREGATE_ONLY_ROLES, Action, role_allows


def may_administer(actor: Actor) -> bool:
    """Add people to the organisation, change their roles, reset their sign-in."""
    return role_allows(actor, Action.ADMINISTER)


def sees_only_figures(actor: Actor) -> bool:
    """A role that never reaches a child's identity, by any route."""
    return actor.role in AGGREGATE_ONLY_ROLES
