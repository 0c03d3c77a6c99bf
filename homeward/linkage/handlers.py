"""Keeping the search keys current: every change to what a child's keys are made of (the
child added, their details or identifiers changed, a new placement and so a new postcode
district) rewrites that child's keys once, when the change's unit of work ends
(``events.bus.later``), in its transaction: a rolled-back change leaves its keys as they
were. Bulk loads write keys themselves (``keys.rewrite_all``). Registered in
LinkageConfig.ready()."""

from __future__ import annotations

from homeward.children.events import ChildCreated, ChildUpdated, PlacementStarted
from homeward.core.actor import Actor
from homeward.events.bus import later, on
from homeward.events.types import Event
from homeward.linkage import keys

# ChildUpdated fields that no key is made of: the keys need not be rewritten for them.
NOT_IN_KEYS = frozenset({"legal_status", "allocated_worker", "responsible_council"})


@on(ChildCreated, ChildUpdated, PlacementStarted)
def rewrite_keys(event: Event, _actor: Actor | None) -> None:
    child_id = event.child_id
    if child_id is None:
        return
    if isinstance(event, ChildUpdated) and set(event.fields) <= NOT_IN_KEYS:
        return
    later(("linkage.keys", child_id), lambda: keys.rewrite([child_id]))


def connect() -> None:
    """Importing this module registers its handlers; ready() calls this to say so."""
