"""A linkage run over every child record: read, score (engine.py), then apply.

Pairs at or above HOMEWARD_LINK_AUTO are linked as one child by the system, unless the pair
was decided "not the same", or linking it would join two records decided not the same into
one person (a union-find over the records as they are linked). Pairs from
HOMEWARD_LINK_REVIEW up to AUTO go to the review queue. The run's counts are kept on its
LinkRun.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Subquery

from homeward.children.models import Child, ChildAlias, ChildIdentifier, Placement
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.linkage import engine, services
from homeward.linkage.models import LinkRun

log = logging.getLogger(__name__)
CHUNK = 5_000
Progress = Callable[[int], None]


def _records(progress: Progress | None) -> Iterator[dict[str, object]]:
    """Every child record in the engine's columns, read a chunk at a time."""
    postcode = Placement.objects.filter(pk=OuterRef("current_placement_id")).values(
        "postcode_district"
    )
    rows = Child.objects.order_by("pk").annotate(postcode=Subquery(postcode))
    last, done = 0, 0
    while True:
        chunk = list(
            rows.filter(pk__gt=last).values(
                "pk", "first_name", "last_name", "date_of_birth", "sex", "postcode",
                "nhs_number", "upn",
            )[:CHUNK]
        )  # fmt: skip
        if not chunk:
            return
        ids = [r["pk"] for r in chunk]
        aliases = _by_child(
            ChildAlias.objects.filter(child_id__in=ids).values_list("child_id", "name")
        )
        local = _by_child(
            ChildIdentifier.objects.filter(child_id__in=ids).values_list("child_id", "value")
        )
        for r in chunk:
            yield {
                "record_id": str(r["pk"]),
                "first_name": r["first_name"],
                "surname": r["last_name"],
                "other_names": " ".join(aliases.get(r["pk"], [])),
                "dob": r["date_of_birth"].isoformat(),
                "sex": r["sex"],
                "postcode": r["postcode"] or "",
                "nhs_number": r["nhs_number"],
                "upn": r["upn"],
                "local_id": " ".join(local.get(r["pk"], [])[:1]),
            }
        last, done = ids[-1], done + len(chunk)
        if progress:
            progress(done)


def _by_child(rows: Any) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for child_id, value in rows:
        found.setdefault(child_id, []).append(value)
    return found


class _Persons:
    """Union-find over records, each group remembering the records it must not join."""

    def __init__(self, not_same: set[tuple[int, int]]) -> None:
        self.parent: dict[int, int] = {}
        self.apart: dict[int, set[int]] = {}
        for a, b in not_same:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)

    def find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def members(self, root: int) -> set[int]:
        return {x for x in [root, *self.parent] if self.find(x) == root}

    def may_join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        left, right = self.members(ra), self.members(rb)
        return not any(self.apart.get(x, set()) & right for x in left)

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def apply(run: LinkRun, result: engine.LinkResult) -> None:
    """Link the sure pairs and queue the likely ones; count both on ``run``."""
    same, not_same = services.decided_pairs()
    persons = _Persons(not_same)
    person_of = dict(Child.objects.values_list("pk", "person_id"))
    auto, review = settings.HOMEWARD_LINK_AUTO, settings.HOMEWARD_LINK_REVIEW
    for pair in sorted(result.scored_pairs(), key=lambda p: -p.probability):
        left, right = sorted((int(pair.left), int(pair.right)))
        if pair.probability < review or (left, right) in same:
            continue
        run.pairs += 1
        if person_of.get(left) is not None and person_of.get(left) == person_of.get(right):
            continue
        if (
            pair.probability >= auto
            and (left, right) not in not_same
            and persons.may_join(left, right)
        ):
            services.link_records(
                Actor.system(), left, right, reason=f"Linkage run {run.pk}",
                evidence=pair.evidence, probability=pair.probability, automatic=True,
            )  # fmt: skip
            persons.join(left, right)
            run.linked += 1
            continue
        queued = services.queue_match(
            left, right, probability=pair.probability, match_weight=pair.match_weight,
            evidence=pair.evidence, source="run", run_id=run.pk,
        )  # fmt: skip
        run.queued += queued is not None


def run_linkage(
    *, trigger: str, backend: str = "duckdb", progress: Progress | None = None
) -> LinkRun:
    """Link the whole record set; the LinkRun records what happened, failed runs too."""
    run = LinkRun.objects.create(trigger=trigger, backend=backend, started_at=clock.now())
    try:
        records = list(_records(progress))
        run.records = len(records)
        spark = None
        if backend == "spark":
            import tempfile

            spark = engine.local_spark(tempfile.mkdtemp(prefix="homeward-spark-"))
        result = engine.link(
            records, backend=backend, spark=spark, floor=settings.HOMEWARD_LINK_REVIEW,
            threshold=settings.HOMEWARD_LINK_AUTO,
        )  # fmt: skip
        apply(run, result)
        run.status = LinkRun.Status.DONE
    except Exception as exc:
        log.exception("linkage run %s failed", run.pk)
        run.status, run.error = LinkRun.Status.FAILED, type(exc).__name__
        run.finished_at = clock.now()
        run.save()
        raise
    run.finished_at = clock.now()
    run.save()
    return run
