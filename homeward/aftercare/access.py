"""Who works on return home interviews: the councils that arrange them and the providers
that hold them. (The coordinator's work list: compliance.may_see_work_list.)"""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.organisations.policy import Action, role_allows


def may_see_interviews(actor: Actor) -> bool:
    """The interviews assigned to the actor's organisation, with their 72-hour clocks."""
    return role_allows(actor, Action.RECORD_INTERVIEW)
