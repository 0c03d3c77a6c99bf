"""Keeping the fact tables up to date as changes happen (not a nightly batch).

``refresh_episode(episode_id)`` recomputes the facts of the episode's child: every episode
of that child, because one episode's change can move another's figures (first in the
period, repeat counts, the rolling rule). It runs in the caller's transaction, so figures
and records commit together. signals.py calls it whenever a record that feeds a figure is
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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    Field,
    FloatField,
    ForeignKey,
    IntegerField,
    Model,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.fields import AutoFieldMixin

from homeward.aftercare.models import InterviewStatus, ReturnInterview, SafeAndWellCheck
from homeward.children.models import Child, LegalStatus, Placement, WorkerAllocation
from homeward.core import clock
from homeward.episodes.models import ClassificationChange, Episode
from homeward.insights import counting as c
from homeward.insights import tally
from homeward.insights.models import EpisodeFact, ReasonFact, ReasonKind
from homeward.organisations.models import Organisation

log = logging.getLogger(__name__)

FACT_FIELDS = [
    f.name
    for f in EpisodeFact._meta.concrete_fields
    if f.name != "episode_id" and not f.primary_key
]


def _thresholds(council: Organisation) -> tuple[int, int]:
    """The council's repeat rule: its own (read with the child when the caller asked for
    ``responsible_council__notification_rules``), else the service's default."""
    from homeward.notifications.rules import DEFAULT_REPEAT_COUNT, DEFAULT_REPEAT_DAYS

    try:
        rules = council.notification_rules
    except ObjectDoesNotExist:
        return DEFAULT_REPEAT_COUNT, DEFAULT_REPEAT_DAYS
    return rules.repeat_count, rules.repeat_days


# What a refresh reads of a child: its council and the council's repeat rule, in one query.
CHILD_RELATED = ("responsible_council", "responsible_council__notification_rules")


def _linked_components(episode_ids: Iterable[int]) -> dict[int, int]:
    """episode id -> incident key, following went_missing_with links across children
    (an episode linked to none is its own key, and no other episode has that key)."""
    through = Episode.went_missing_with.through
    links: dict[int, set[int]] = defaultdict(set)
    frontier = set(episode_ids)
    seen = set(frontier)
    while frontier:
        # Both directions: the m2m_changed signal of a symmetrical link is sent when only
        # one of its two rows is in.
        pairs = through.objects.filter(
            Q(from_episode_id__in=frontier) | Q(to_episode_id__in=frontier)
        ).values_list("from_episode_id", "to_episode_id")
        frontier = set()
        for a, b in pairs:
            links[a].add(b)
            links[b].add(a)
            for end in (a, b):
                if end not in seen:
                    seen.add(end)
                    frontier.add(end)
    return {pk: c.incident_key(pk, links) for pk in seen}


# What the facts read of each record (the rest of an episode is words, not figures).
_EPISODE_FIELDS = (
    "id",
    "child_id",
    "last_seen_at",
    "returned_at",
    "police_force_id",
    "risk_grade",
    "classification",
    "placement",
    "placement__host_council_id",
    "placement__placement_type",
)
_INTERVIEW_FIELDS = (
    "id",
    "child_id",
    "status",
    "offered_at",
    "done_at",
    "due_at",
    "push_factors",
    "pull_factors",
    "risks_found",
)


@dataclass
class _Records:
    """What one child's facts are computed from."""

    episodes: list[Episode] = field(default_factory=list)
    spells: list[c.StatusSpell] = field(default_factory=list)
    allocation_starts: list[date] = field(default_factory=list)
    interviews: list[ReturnInterview] = field(default_factory=list)


def compute_facts(
    children: list[Child], now: datetime
) -> dict[int, tuple[list[EpisodeFact], list[ReasonFact]]]:
    """The facts of several children, from a few queries for all of them (a rebuild reads
    children in batches; a refresh is a batch of one)."""
    child_ids = [child.pk for child in children]
    records: dict[int, _Records] = {pk: _Records() for pk in child_ids}
    through = Episode.went_missing_with.through
    checks: dict[int, str] = {}
    with_links: list[int] = []
    for episode in (
        Episode.objects.filter(child_id__in=child_ids)
        .select_related("placement")
        .only(*_EPISODE_FIELDS)
        .annotate(
            # The check's status, and whether any link leaves the episode (either row of
            # a symmetrical link may be in alone), read with the episode itself.
            check_status=Subquery(
                SafeAndWellCheck.objects.filter(episode_id=OuterRef("pk")).values("status")[:1]
            ),
            has_links=Exists(
                through.objects.filter(
                    Q(from_episode_id=OuterRef("pk")) | Q(to_episode_id=OuterRef("pk"))
                )
            ),
        )
        .order_by("last_seen_at", "pk")
    ):
        records[episode.child_id].episodes.append(episode)
        if episode.check_status is not None:
            checks[episode.pk] = episode.check_status
        if episode.has_links:
            with_links.append(episode.pk)
    for status in LegalStatus.objects.filter(child_id__in=child_ids):
        records[status.child_id].spells.append(
            c.StatusSpell(status.status, status.start_date, status.end_date)
        )
    for child_id, start in WorkerAllocation.objects.filter(child_id__in=child_ids).values_list(
        "child_id", "start_date"
    ):
        records[child_id].allocation_starts.append(start)
    ids = [e.pk for r in records.values() for e in r.episodes]
    history: dict[int, list[str]] = defaultdict(list)
    for episode_id, code in (
        ClassificationChange.objects.filter(episode_id__in=ids)
        .order_by("changed_at", "pk")
        .values_list("episode_id", "classification")
    ):
        history[episode_id].append(code)
    # The interviews, with the episodes each covers, in one query over the links between
    # them (an interview that covers no episode adds nothing to any figure).
    covers: dict[int, list[int]] = defaultdict(list)
    interviews: dict[int, ReturnInterview] = {}
    for cover in (
        ReturnInterview.episodes.through.objects.filter(returninterview__child_id__in=child_ids)
        .select_related("returninterview")
        .only("episode_id", *(f"returninterview__{name}" for name in _INTERVIEW_FIELDS))
        .order_by("returninterview__due_at", "returninterview_id", "pk")
    ):
        interview = interviews.setdefault(cover.returninterview_id, cover.returninterview)
        covers[interview.pk].append(cover.episode_id)
    for interview in interviews.values():
        records[interview.child_id].interviews.append(interview)
    # Only episodes with a link need the walk over the links: any other is its own incident.
    incidents = _linked_components(with_links) if with_links else {}
    # Linked: in a group of more than one (another episode shares its incident key).
    sizes = Counter(incidents.values())
    linked = {pk for pk, key in incidents.items() if sizes[key] > 1}
    rules: dict[int, tuple[int, int]] = {}
    out: dict[int, tuple[list[EpisodeFact], list[ReasonFact]]] = {}
    for child in children:
        mine = records[child.pk]
        council_id = child.responsible_council_id
        if council_id not in rules:
            rules[council_id] = _thresholds(child.responsible_council)
        out[child.pk] = _child_facts(
            child, mine, history, checks, covers, incidents, linked, rules[council_id], now
        )
    return out


def compute_child_facts(child: Child, now: datetime) -> tuple[list[EpisodeFact], list[ReasonFact]]:
    return compute_facts([child], now)[child.pk]


def _child_facts(
    child: Child,
    records: _Records,
    history: dict[int, list[str]],
    checks: dict[int, str],
    covers: dict[int, list[int]],
    incidents: dict[int, int],
    linked: set[int],
    thresholds: tuple[int, int],
    now: datetime,
) -> tuple[list[EpisodeFact], list[ReasonFact]]:
    episodes = records.episodes
    if not episodes:
        return [], []
    spells = records.spells
    # The interview that covers each episode: the one due first (as compliance.py reads it).
    covering: dict[int, ReturnInterview] = {}
    for interview in records.interviews:
        for episode_id in covers.get(interview.pk, ()):
            covering.setdefault(episode_id, interview)
    council_id = child.responsible_council_id
    home_force_id = child.responsible_council.police_force_id
    repeat_count, repeat_days = thresholds
    starts = [e.last_seen_at for e in episodes]

    facts: list[EpisodeFact] = []
    for episode in episodes:
        start_day = c.local_date(episode.last_seen_at)
        year, quarter = c.quarter_of(start_day)
        age = c.age_on(child.date_of_birth, start_day)
        placement = episode.placement
        covered_by = covering.get(episode.pk)
        returned = episode.returned_at
        facts.append(
            EpisodeFact(
                episode_id=episode.pk,
                person_key=child.pk,
                incident_key=incidents.get(episode.pk, episode.pk),
                linked=episode.pk in linked,
                council_id=council_id,
                host_council_id=placement.host_council_id if placement else None,
                force_id=episode.police_force_id,
                home_force_id=home_force_id,
                start_at=episode.last_seen_at,
                start_date=start_day,
                start_month=c.month_start(start_day),
                year=year,
                quarter=quarter,
                returned_at=returned,
                age=age,
                age_band=c.age_band(age),
                sex=child.sex,
                ethnicity=child.ethnicity,
                legal_status=c.legal_status_on(spells, start_day),
                placement_type=placement.placement_type if placement else c.NO_PLACEMENT,
                out_of_area=c.out_of_area(
                    placement.host_council_id if placement else None, council_id
                ),
                risk_grade=episode.risk_grade,
                classification_start=c.classification_at_start(
                    history.get(episode.pk, []), episode.classification
                ),
                classification=c.classification_at_end(episode.classification),
                duration_hours=(returned - episode.last_seen_at) / c.HOUR if returned else None,
                duration_band=c.duration_band(episode.last_seen_at, returned, None),
                check_status=(
                    checks.get(episode.pk, c.CHECK_OUTSTANDING) if returned else c.NOT_RETURNED
                ),
                interview_status=covered_by.status if covered_by else c.NO_INTERVIEW,
                interview_offered=bool(covered_by and covered_by.offered_at is not None),
                interview_within_72h=(
                    covered_by.within_72_hours
                    if covered_by and covered_by.status == InterviewStatus.DONE
                    else None
                ),
                rolling_repeat=c.rolling_repeat(
                    starts, episode.last_seen_at, repeat_count, repeat_days
                ),
                refreshed_at=now,
            )
        )
    _mark_periods(facts, records.allocation_starts)
    return facts, _reason_facts(child, records.interviews, covers, {f.episode_id: f for f in facts})


def _mark_periods(facts: list[EpisodeFact], allocation_starts: list[Any]) -> None:
    """First-in-period flags, episodes-in-period counts and worker changes (facts are in
    start order)."""
    groups: dict[tuple[Any, ...], list[EpisodeFact]] = defaultdict(list)
    for fact in facts:
        groups[("m", fact.start_month)].append(fact)
        groups[("q", fact.year, fact.quarter)].append(fact)
        groups[("y", fact.year)].append(fact)
        groups[("mf", fact.start_month, fact.force_id)].append(fact)
        groups[("qf", fact.year, fact.quarter, fact.force_id)].append(fact)
        groups[("yf", fact.year, fact.force_id)].append(fact)
    for key, members in groups.items():
        kind = key[0]
        first = members[0]
        if kind == "m":
            first.first_m = True
        elif kind == "q":
            first.first_q = True
            for f in members:
                f.n_q = len(members)
        elif kind == "y":
            first.first_y = True
            for f in members:
                f.n_y = len(members)
        elif kind == "mf":
            first.first_m_force = True
        elif kind == "qf":
            first.first_q_force = True
            for f in members:
                f.n_q_force = len(members)
        elif kind == "yf":
            first.first_y_force = True
            for f in members:
                f.n_y_force = len(members)
    for fact in facts:
        q_start, q_end = c.quarter_bounds(fact.year, fact.quarter)
        y_start, y_end = c.year_bounds(fact.year)
        fact.worker_changes_q = c.worker_changes(allocation_starts, q_start, q_end)
        fact.worker_changes_y = c.worker_changes(allocation_starts, y_start, y_end)


def _reason_facts(
    child: Child,
    interviews: list[ReturnInterview],
    covers: dict[int, list[int]],
    facts: dict[int, EpisodeFact],
) -> list[ReasonFact]:
    rows: list[ReasonFact] = []
    for interview in interviews:
        if interview.status != InterviewStatus.DONE:
            continue
        covered = sorted(
            (facts[pk] for pk in covers.get(interview.pk, ()) if pk in facts),
            key=lambda f: (f.start_at, f.episode_id),
        )
        if not covered:
            continue
        first = covered[0]
        for kind, codes in (
            (ReasonKind.PUSH, interview.push_factors),
            (ReasonKind.PULL, interview.pull_factors),
            (ReasonKind.RISK, interview.risks_found),
        ):
            rows.extend(
                ReasonFact(
                    interview_id=interview.pk,
                    person_key=child.pk,
                    kind=kind,
                    code=code,
                    council_id=first.council_id,
                    force_id=first.force_id,
                    start_date=first.start_date,
                )
                for code in sorted(set(codes or []))
            )
    return rows


CHILD_LOCK = 0x48574331  # pg advisory lock namespace: one refresh of a child at a time

# Inside ``deferred()``: the children whose refresh waits for the end of the block.
_pending: ContextVar[set[int] | None] = ContextVar("homeward_insights_pending", default=None)


def refresh_child(child_id: int, *, totals: bool = True) -> int:
    """Recompute every fact of one child, and the change to the running totals (tally.py;
    ``totals=False`` leaves them to a rebuild). Returns how many episode facts it holds
    (0 inside ``deferred()``, which refreshes the child when the block ends)."""
    pending = _pending.get()
    if pending is not None and totals:
        pending.add(child_id)
        return 0
    return _refresh_child_now(child_id, totals=totals)


def _refresh_child_now(child_id: int, *, totals: bool) -> int:
    # In the caller's transaction, without a savepoint: should anything here fail, the
    # change that asked for the refresh cannot commit either.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            # Two refreshes of one child must not both start from the same old facts.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s::int4, %s::int4)",
                    [CHILD_LOCK, child_id % 2**31],
                )
        old_facts = list(EpisodeFact.objects.filter(person_key=child_id))
        old_reasons = list(ReasonFact.objects.filter(person_key=child_id))
        child = Child.objects.select_related(*CHILD_RELATED).filter(pk=child_id).first()
        if child is None:
            facts: list[EpisodeFact] = []
            reasons: list[ReasonFact] = []
        else:
            facts, reasons = compute_child_facts(child, clock.now())
        _write(child_id, facts, reasons, old_facts, old_reasons)
        if totals:
            tally.record(
                tally.contributions(old_facts, old_reasons), tally.contributions(facts, reasons)
            )
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
        str(reason.kind),
        reason.code,
        reason.council_id,
        reason.force_id,
        reason.start_date,
    )


def _write(
    child_id: int,
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
        EpisodeFact.objects.filter(person_key=child_id, episode_id__in=sorted(gone)).delete()
    changed = [f for f in facts if old.get(f.episode_id) != _fact_values(f)]
    if changed:
        EpisodeFact.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["episode_id"],
            update_fields=FACT_FIELDS,
        )
    if sorted(map(_reason_values, old_reasons)) != sorted(map(_reason_values, reasons)):
        ReasonFact.objects.filter(person_key=child_id).delete()
        if reasons:
            ReasonFact.objects.bulk_create(reasons)


def refresh_episode(episode_id: int) -> int:
    """The one entry point for other apps: refresh the figures an episode feeds."""
    child_id = Episode.objects.filter(pk=episode_id).values_list("child_id", flat=True).first()
    if child_id is None:
        child_id = (
            EpisodeFact.objects.filter(episode_id=episode_id)
            .values_list("person_key", flat=True)
            .first()
        )
        if child_id is None:
            return 0
    return refresh_child(child_id)


def refresh_linked(episode_ids: Iterable[int]) -> None:
    """After episodes are linked or unlinked: every child in the linked groups."""
    components = _linked_components(episode_ids)
    children = set(
        Episode.objects.filter(pk__in=list(components)).values_list("child_id", flat=True)
    )
    for child_id in sorted(children):
        refresh_child(child_id)


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


def _lock_children(child_ids: list[int]) -> None:
    """Take each child's refresh lock (in id order, so two loads cannot deadlock)."""
    if connection.vendor != "postgresql" or not child_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s::int4, (k %% 2147483648)::int4) "
            "FROM (SELECT k FROM unnest(%s::bigint[]) AS k ORDER BY k) AS ordered",
            [CHILD_LOCK, sorted(child_ids)],
        )


def _by_person(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.person_key].append(row)
    return grouped


def refresh_children(child_ids: Iterable[int], *, batch_size: int = 500, lock: bool = True) -> int:
    """Recompute the facts of many children, a batch at a time (a few queries a batch, as
    ``rebuild`` does), and add the change they make to the running totals: what a bulk load
    calls at its end for the children it wrote. Runs in the caller's transaction (or its
    own). ``lock=False`` skips the per-child locks, for children no other transaction can
    see yet (a load's own new children; PostgreSQL caps the locks one transaction holds).
    Returns how many episode facts the children now hold."""
    ids = sorted(set(child_ids))
    if not ids:
        return 0
    now = clock.now()
    total = 0
    change: tally.Sums = {}
    with transaction.atomic():
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            if lock:
                _lock_children(batch)
            old_facts = _by_person(EpisodeFact.objects.filter(person_key__in=batch))
            old_reasons = _by_person(ReasonFact.objects.filter(person_key__in=batch))
            children = list(Child.objects.select_related(*CHILD_RELATED).filter(pk__in=batch))
            computed = compute_facts(children, now)
            # The change to the totals: what the new facts add less what the old ones did.
            for person in old_facts.keys() | old_reasons.keys():
                old = tally.contributions(old_facts[person], old_reasons.get(person, []))
                tally.merge(change, old, sign=-1)
            for made, reasons in computed.values():
                if made or reasons:
                    tally.merge(change, tally.contributions(made, reasons))
            if old_facts:
                EpisodeFact.objects.filter(person_key__in=batch).delete()
            if old_reasons:
                ReasonFact.objects.filter(person_key__in=batch).delete()
            facts = [f for made, _reasons in computed.values() for f in made]
            insert(EpisodeFact, facts)
            insert(ReasonFact, [r for _made, reasons in computed.values() for r in reasons])
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
    """Recompute every fact from the records (after a bulk load), children in batches of
    ``batch_size`` (a few queries a batch), then every running total from the facts.
    Returns episodes. Meant for a quiet database: a change saved while it runs may be
    missed until that child's next refresh."""
    if connection.vendor == "postgresql":
        # After a bulk load (COPY) the planner has no statistics yet until autovacuum
        # comes round; without them the batch queries can choose whole-table plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = 0
    now = clock.now()
    ids = list(
        Child.objects.filter(episodes__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    known = set(EpisodeFact.objects.values_list("person_key", flat=True).distinct())
    stale = sorted(known - set(ids))
    for start in range(0, len(stale), batch_size):
        gone = stale[start : start + batch_size]
        EpisodeFact.objects.filter(person_key__in=gone).delete()
        ReasonFact.objects.filter(person_key__in=gone).delete()
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        with transaction.atomic():
            children = list(Child.objects.select_related(*CHILD_RELATED).filter(pk__in=batch))
            computed = compute_facts(children, now)
            EpisodeFact.objects.filter(person_key__in=batch).delete()
            ReasonFact.objects.filter(person_key__in=batch).delete()
            facts = [f for made, _reasons in computed.values() for f in made]
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
