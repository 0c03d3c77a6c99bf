"""Keeping the fact tables up to date as changes happen (not a nightly batch).

The unit of a refresh is the person (``Child.person``: one child, however many linked
records). ``refresh_episode(episode_id)`` and ``refresh_child(child_id)`` recompute the
facts of the person the record belongs to: every episode of every record of that person,
because one episode's change can move another's figures (first in the period, repeat
counts, the rolling rule). After a link or unlink (``refresh_records``) a refresh takes in
every person touched: the persons the records belong to now, and any person whose facts
still held their episodes, whose facts then move or go, with the totals moving exactly.
A refresh runs in the caller's transaction, so figures and records commit together; the
statistics handler (handlers.py) asks for one whenever a record that feeds a figure is
saved. Each refresh also records the change it makes to the running totals the dashboards
read (tally.py).

Bulk loads do not wait for anyone to run a command: ``homeward demo`` and ``homeward
generate`` write their rows without signals and then call ``refresh_children`` for the
children they wrote, inside the load's transaction; ``homeward import-903`` saves through
the ORM inside ``deferred()``, which collects the children its saves touch and refreshes
each once, in batches, at the end of the import's transaction. So a load and its figures
commit together. ``rebuild()`` recomputes everything (``homeward rebuild-facts``: after a
council changes its repeat rule, or to check the figures from scratch).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    FloatField,
    ForeignKey,
    IntegerField,
    Model,
)
from django.db.models.fields import AutoFieldMixin

from homeward.aftercare.models import ReturnInterview, SafeAndWellCheck
from homeward.children.models import Child, LegalStatus, Placement, WorkerAllocation
from homeward.core import clock
from homeward.episodes.models import ClassificationChange, Episode
from homeward.insights import tally
from homeward.insights.compute import (
    CHILD_RELATED,
    _linked_components,
    compute_facts,
)
from homeward.insights.models import EpisodeFact, ReasonFact

__all__ = ["CHILD_RELATED", "compute_facts"]

log = logging.getLogger(__name__)

FACT_FIELDS = [
    f.name
    for f in EpisodeFact._meta.concrete_fields
    if f.name != "episode_id" and not f.primary_key
]


PERSON_LOCK = 0x48574331  # pg advisory lock namespace: one refresh of a person at a time

# Inside ``deferred()``: the child records whose refresh waits for the end of the block.
_pending: ContextVar[set[int] | None] = ContextVar("homeward_insights_pending", default=None)

Computed = dict[int, tuple[list[EpisodeFact], list[ReasonFact]]]


def refresh_child(child_id: int, *, totals: bool = True, child: Child | None = None) -> int:
    """Recompute every fact of the person the child record belongs to (all their records'),
    and the change to the running totals (tally.py; ``totals=False`` leaves them to a
    rebuild). Returns how many episode facts the person holds (0 inside ``deferred()``,
    which refreshes the child when the block ends). ``child`` is the record as the caller
    has just read it, if it has: with ``CHILD_RELATED`` and, if it is to save another
    query, its ``legal_statuses`` prefetched."""
    pending = _pending.get()
    if pending is not None and totals:
        pending.add(child_id)
        return 0
    # In the caller's transaction, without a savepoint: should anything here fail, the
    # change that asked for the refresh cannot commit either.
    with transaction.atomic(savepoint=False):
        if child is None or child.pk != child_id:
            child = Child.objects.select_related(*CHILD_RELATED).filter(pk=child_id).first()
        if child is None:
            return 0
        return _refresh_persons({child.person_id}, [child], totals=totals)


def refresh_records(child_ids: Iterable[int]) -> int:
    """After records were linked or unlinked: the persons they belong to now, and every
    person whose facts held their episodes before (those facts move, or go). Returns the
    episode facts those persons hold."""
    ids = sorted(set(child_ids))
    if not ids:
        return 0
    with transaction.atomic(savepoint=False):
        persons = set(Child.objects.filter(pk__in=ids).values_list("person_id", flat=True))
        return _refresh_persons(persons, [], totals=True) if persons else 0


def refresh_persons(person_ids: Iterable[int]) -> int:
    """Recompute the facts of these persons (and of any whose facts held their episodes)."""
    persons = set(person_ids)
    if not persons:
        return 0
    with transaction.atomic(savepoint=False):
        return _refresh_persons(persons, [], totals=True)


def _old_facts(persons: set[int]) -> list[EpisodeFact]:
    """The stored facts of the persons and of their records' episodes, in one query: after
    a link or unlink some of those episodes' facts are still under another person's key."""
    keys = sorted(persons)
    theirs = Episode.objects.filter(child__person_id__in=keys).values("pk")
    return list(
        EpisodeFact.objects.filter(person_key__in=keys).union(
            EpisodeFact.objects.filter(episode_id__in=theirs)
        )
    )


def _delete_facts(persons: set[int]) -> None:
    """Delete the facts ``_old_facts`` reads: the persons' and their records' episodes'."""
    keys = sorted(persons)
    EpisodeFact.objects.filter(person_key__in=keys).delete()
    theirs = Episode.objects.filter(child__person_id__in=keys).values("pk")
    EpisodeFact.objects.filter(episode_id__in=theirs).delete()


def _others(old_facts: list[EpisodeFact], persons: set[int], computed: Computed) -> set[int]:
    """Persons outside ``persons`` whose facts must be refreshed with them: those whose
    key the old facts carry, and those whose records now hold episodes the old facts had
    under one of ``persons`` (none, but after a link or unlink)."""
    more = {f.person_key for f in old_facts} - persons
    made = {f.episode_id for facts, _reasons in computed.values() for f in facts}
    gone = sorted(f.episode_id for f in old_facts if f.episode_id not in made)
    if gone:
        more |= set(Episode.objects.filter(pk__in=gone).values_list("child__person_id", flat=True))
    return more - persons


def _gather(
    persons: set[int], children: list[Child], *, lock: bool
) -> tuple[set[int], Computed, list[EpisodeFact]]:
    """The persons to refresh (``persons`` and those whose facts held their episodes),
    their new facts, and their stored facts, each person locked (PostgreSQL) before their
    facts are read."""
    now = clock.now()
    locked: set[int] = set()
    while True:
        if lock:
            _lock_persons(sorted(persons - locked))
            locked |= persons
        computed = compute_facts(children, now, persons)
        old_facts = _old_facts(persons)
        more = _others(old_facts, persons, computed)
        if not more:
            return persons, computed, old_facts
        persons = persons | more


def _by_person(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.person_key].append(row)
    return grouped


def _contributions(facts: Iterable[EpisodeFact], reasons: Iterable[ReasonFact]) -> tally.Sums:
    """What these facts add to the totals, each person's facts taken together."""
    by_facts, by_reasons = _by_person(facts), _by_person(reasons)
    sums: tally.Sums = {}
    for person in sorted(by_facts.keys() | by_reasons.keys()):
        tally.merge(sums, tally.contributions(by_facts[person], by_reasons.get(person, [])))
    return sums


def _refresh_persons(persons: set[int], children: list[Child], *, totals: bool) -> int:
    persons, computed, old_facts = _gather(persons, children, lock=True)
    old_reasons = list(ReasonFact.objects.filter(person_key__in=sorted(persons)))
    facts = [f for made, _reasons in computed.values() for f in made]
    reasons = [r for _made, made in computed.values() for r in made]
    _write(persons, facts, reasons, old_facts, old_reasons)
    if totals:
        tally.record(_contributions(old_facts, old_reasons), _contributions(facts, reasons))
    return len(facts)


# The columns that hold figures (ids, not the records they point to).
_FIGURES = [
    f.attname
    for f in EpisodeFact._meta.concrete_fields
    if f.name not in {"episode_id", "refreshed_at"} and not f.primary_key
]


def _fact_values(fact: EpisodeFact) -> tuple[Any, ...]:
    return tuple(getattr(fact, name) for name in _FIGURES)


def _reason_values(reason: ReasonFact) -> tuple[Any, ...]:
    return (
        reason.interview_id,
        reason.person_key,
        str(reason.kind),
        reason.code,
        reason.council_id,
        reason.force_id,
        reason.start_date,
    )


def _write(
    persons: set[int],
    facts: list[EpisodeFact],
    reasons: list[ReasonFact],
    old_facts: list[EpisodeFact],
    old_reasons: list[ReasonFact],
) -> None:
    """Write what differs from the stored facts, and nothing when nothing does (a fact's
    ``refreshed_at`` is when its figures last changed)."""
    old = {f.episode_id: _fact_values(f) for f in old_facts}
    gone = set(old) - {f.episode_id for f in facts}
    if gone:
        EpisodeFact.objects.filter(episode_id__in=sorted(gone)).delete()
    changed = [f for f in facts if old.get(f.episode_id) != _fact_values(f)]
    if changed:
        EpisodeFact.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["episode_id"],
            update_fields=FACT_FIELDS,
        )
    if sorted(map(_reason_values, old_reasons)) != sorted(map(_reason_values, reasons)):
        ReasonFact.objects.filter(person_key__in=sorted(persons)).delete()
        if reasons:
            ReasonFact.objects.bulk_create(reasons)


def refresh_episode(episode_id: int) -> int:
    """The one entry point for other apps: refresh the figures an episode feeds."""
    child_id = Episode.objects.filter(pk=episode_id).values_list("child_id", flat=True).first()
    if child_id is not None:
        return refresh_child(child_id)
    person = (
        EpisodeFact.objects.filter(episode_id=episode_id)
        .values_list("person_key", flat=True)
        .first()
    )
    return 0 if person is None else refresh_persons([person])


def refresh_linked(episode_ids: Iterable[int]) -> None:
    """After episodes are linked or unlinked: every person in the linked groups."""
    components = _linked_components(episode_ids)
    persons = set(
        Episode.objects.filter(pk__in=list(components)).values_list("child__person_id", flat=True)
    )
    for person in sorted(persons):
        refresh_persons([person])


def insert(model: type[Model], rows: list[Any]) -> None:
    """Insert new fact rows, fast: COPY on PostgreSQL, one executemany elsewhere (Django's
    bulk_create spends most of a load's time preparing each value). An automatic primary
    key is left to the database."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([getattr(row, name) for name in attnames])
            return
        convert = [_converter(f) for f in fields]
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (from the model)
            [
                [conv(getattr(row, name)) for conv, name in zip(convert, attnames, strict=True)]
                for row in rows
            ],
        )


def _converter(f: Field[Any, Any]) -> Callable[[Any], Any]:
    """What Django would send the database for one field's value (SQLite)."""
    ops = connection.ops
    if isinstance(f, DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(f, DateField):
        return ops.adapt_datefield_value
    if isinstance(f, IntegerField | FloatField | BooleanField | CharField | ForeignKey):
        return lambda value: value  # the facts' keys are integers
    return lambda value: f.get_db_prep_save(value, connection)


@contextmanager
def deferred(batch_size: int = 500) -> Iterator[set[int]]:
    """Collect the refreshes asked for inside the block and do them when it ends: each child
    once, in batches (``refresh_children``), however many of its records were saved. For a
    load that saves many records through the ORM (``import-903``); use it inside the load's
    transaction, so that records and figures commit together. If the block raises, nothing
    is refreshed (the transaction is rolled back with it). Nested blocks leave the work to
    the outermost."""
    outer = _pending.get()
    if outer is not None:
        yield outer
        return
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)
    refresh_children(pending, batch_size=batch_size)


def _lock_persons(person_ids: list[int]) -> None:
    """Take each person's refresh lock (in id order, so two loads cannot deadlock): two
    refreshes of one person must not both start from the same old facts."""
    if connection.vendor != "postgresql" or not person_ids:
        return
    with connection.cursor() as cursor:
        if len(person_ids) == 1:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s::int4, %s::int4)",
                [PERSON_LOCK, person_ids[0] % 2**31],
            )
            return
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s::int4, (k %% 2147483648)::int4) "
            "FROM (SELECT k FROM unnest(%s::bigint[]) AS k ORDER BY k) AS ordered",
            [PERSON_LOCK, sorted(person_ids)],
        )


def refresh_children(child_ids: Iterable[int], *, batch_size: int = 500, lock: bool = True) -> int:
    """Recompute the facts of the persons of many child records, a batch at a time (a few
    queries a batch, as ``rebuild`` does), and add the change they make to the running
    totals: what a bulk load calls at its end for the children it wrote. Runs in the
    caller's transaction (or its own). ``lock=False`` skips the per-person locks, for
    children no other transaction can see yet (a load's own new children; PostgreSQL caps
    the locks one transaction holds). Returns how many episode facts the persons now hold."""
    ids = sorted(set(child_ids))
    if not ids:
        return 0
    total = 0
    change: tally.Sums = {}
    with transaction.atomic():
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            children = list(Child.objects.select_related(*CHILD_RELATED).filter(pk__in=batch))
            persons = {child.person_id for child in children}
            persons, computed, old_facts = _gather(persons, children, lock=lock)
            old_reasons = list(ReasonFact.objects.filter(person_key__in=sorted(persons)))
            # The change to the totals: what the new facts add less what the old ones did.
            tally.merge(change, _contributions(old_facts, old_reasons), sign=-1)
            facts = [f for made, _reasons in computed.values() for f in made]
            reasons = [r for _made, made in computed.values() for r in made]
            tally.merge(change, _contributions(facts, reasons))
            if old_facts:
                _delete_facts(persons)
            if old_reasons:
                ReasonFact.objects.filter(person_key__in=sorted(persons)).delete()
            insert(EpisodeFact, facts)
            insert(ReasonFact, reasons)
            total += len(facts)
        # Straight into the totals, not through the pending rows: a load's change can be
        # millions of totals. A load of new children can COPY them into an empty table.
        changed = {key: values for key, values in change.items() if any(values)}
        if lock:
            tally.add(changed)
        else:
            tally.write(changed)
    log.debug("insights facts refreshed: %s children, %s episodes", len(ids), total)
    return total


def analyse_records() -> None:
    """PostgreSQL: give the planner statistics of the tables the facts are computed from
    and written to. After a bulk load (COPY) it has none until autovacuum comes round, and
    without them the batch queries can choose whole-table plans. Runs inside the caller's
    transaction (the load's own rows count)."""
    if connection.vendor != "postgresql":
        return
    models: list[type[Model]] = [
        Child,
        Episode,
        Episode.went_missing_with.through,
        Placement,
        ClassificationChange,
        LegalStatus,
        WorkerAllocation,
        SafeAndWellCheck,
        ReturnInterview,
        ReturnInterview.episodes.through,
        EpisodeFact,
        ReasonFact,
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def rebuild(batch_size: int = 500) -> int:
    """Recompute every fact from the records (after a bulk load), persons in batches of
    ``batch_size`` (a few queries a batch), then every running total from the facts.
    Returns episodes. Meant for a quiet database: a change saved while it runs may be
    missed until that person's next refresh."""
    if connection.vendor == "postgresql":
        # After a bulk load (COPY) the planner has no statistics yet until autovacuum
        # comes round; without them the batch queries can choose whole-table plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = 0
    now = clock.now()
    ids = list(
        Child.objects.filter(episodes__isnull=False)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    known = set(EpisodeFact.objects.values_list("person_key", flat=True).distinct())
    known |= set(ReasonFact.objects.values_list("person_key", flat=True).distinct())
    stale = sorted(known - set(ids))
    for start in range(0, len(stale), batch_size):
        gone = stale[start : start + batch_size]
        EpisodeFact.objects.filter(person_key__in=gone).delete()
        ReasonFact.objects.filter(person_key__in=gone).delete()
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        with transaction.atomic():
            computed = compute_facts([], now, batch)
            facts = [f for made, _reasons in computed.values() for f in made]
            _delete_facts(set(batch))
            ReasonFact.objects.filter(person_key__in=batch).delete()
            insert(EpisodeFact, facts)
            insert(ReasonFact, [r for _made, reasons in computed.values() for r in reasons])
            total += len(facts)
    rebuild_totals()
    log.info("insights facts rebuilt: %s episodes", total)
    return total


def rebuild_totals() -> int:
    """Recompute the running totals from the facts as they stand."""
    return tally.rebuild(
        EpisodeFact.objects.order_by("person_key", "episode_id").iterator(chunk_size=5000),
        ReasonFact.objects.order_by("person_key", "pk").iterator(chunk_size=5000),
    )
