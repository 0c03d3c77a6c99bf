"""Queueing for review the likely matches of records just made: a record a user added
despite a likely match, or one an import made. The same search as finding a child before
adding them (search.py), scored from the new record's own details, so the queue carries
the real probability and the grounds, field by field."""

from __future__ import annotations

from collections.abc import Iterable

from homeward.children.models import Child
from homeward.linkage import keys
from homeward.linkage.search import candidates, scored
from homeward.linkage.services import queue_match

# At most this many of a new record's matches go to the queue.
LIMIT = 5


def queue_matches_of(child_ids: Iterable[int], *, source: str) -> int:
    """Queue the likely matches of each record; returns how many pairs were queued."""
    records = (
        Child.objects.filter(pk__in=list(child_ids))
        .select_related("current_placement")
        .prefetch_related("aliases", "identifiers")
        .order_by("pk")
    )
    queued = 0
    for child in records:
        asked = keys.child_facts(child)
        found = [(r, s) for r, s in scored(asked, candidates(asked)) if r.child_id != child.pk]
        for record, score in found[:LIMIT]:
            candidate = queue_match(
                child.pk,
                record.child_id,
                probability=round(score.probability, 4),
                match_weight=round(score.weight, 2),
                evidence=score.evidence(),
                source=source,
            )
            queued += candidate is not None
    return queued
