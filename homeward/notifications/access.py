"""Who may change a council's notification rules (the thresholds for repeat missing,
high-risk reviews and long episodes)."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.notifications.services import RULE_EDITORS


def may_set_rules(actor: Actor) -> bool:
    return actor.role in RULE_EDITORS and actor.organisation is not None
