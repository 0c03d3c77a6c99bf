"""Keeping the fact tables up to date as changes happen (not a nightly batch).

``refresh_episode(episode_id)`` recomputes the facts of the episode's child: every episode
of that child, because one episode's change can move another's figures (first in the
period, repeat counts, the rolling rule). It runs in the caller's transaction, so figures
and records commit together. signals.py calls it whenever a record that feeds a figure is
saved; ``rebuild()`` recomputes everything (after a bulk load such as ``homeward demo``).
Each refresh also records the change it makes to the running totals the dashboards read
(tally.py).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Q

from homeward.aftercare.models import InterviewStatus, ReturnInterview, SafeAndWellCheck
from homeward.children.models import Child, LegalStatus, WorkerAllocation
from homeward.core import clock
from homeward.episodes.models import ClassificationChange, Episode
from homeward.insights import counting as c
from homeward.insights import tally
from homeward.insights.models import EpisodeFact, ReasonFact, ReasonKind

log = logging.getLogger(__name__)

FACT_FIELDS = [
    f.name
    for f in EpisodeFact._meta.concrete_fields
    if f.name != "episode_id" and not f.primary_key
]


def _thresholds(council_id: int) -> tuple[int, int]:
    from homeward.notifications.rules import thresholds
    from homeward.organisations.models import Organisation

    rules = thresholds(Organisation(pk=council_id))
    return rules.repeat_count, rules.repeat_days


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
    for episode in (
        Episode.objects.filter(child_id__in=child_ids)
        .select_related("placement")
        .order_by("last_seen_at", "pk")
    ):
        records[episode.child_id].episodes.append(episode)
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
    checks = dict(
        SafeAndWellCheck.objects.filter(episode_id__in=ids).values_list("episode_id", "status")
    )
    for interview in (
        ReturnInterview.objects.filter(child_id__in=child_ids)
        .prefetch_related("episodes")
        .order_by("due_at", "pk")
    ):
        records[interview.child_id].interviews.append(interview)
    incidents = _linked_components(ids) if ids else {}
    # Linked: in a group of more than one (another episode shares its incident key).
    sizes = Counter(incidents.values())
    linked = {pk for pk, key in incidents.items() if sizes[key] > 1}
    rules: dict[int, tuple[int, int]] = {}
    out: dict[int, tuple[list[EpisodeFact], list[ReasonFact]]] = {}
    for child in children:
        mine = records[child.pk]
        council_id = child.responsible_council_id
        if council_id not in rules:
            rules[council_id] = _thresholds(council_id)
        out[child.pk] = _child_facts(
            child, mine, history, checks, incidents, linked, rules[council_id], now
        )
    return out


def compute_child_facts(child: Child, now: datetime) -> tuple[list[EpisodeFact], list[ReasonFact]]:
    return compute_facts([child], now)[child.pk]


def _child_facts(
    child: Child,
    records: _Records,
    history: dict[int, list[str]],
    checks: dict[int, str],
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
        for ep in interview.episodes.all():
            covering.setdefault(ep.pk, interview)
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
    return facts, _reason_facts(child, records.interviews, {f.episode_id: f for f in facts})


def _mark_periods(facts: list[EpisodeFact], allocation_starts: list) -> None:
    """First-in-period flags, episodes-in-period counts and worker changes (facts are in
    start order)."""
    groups: dict[tuple, list[EpisodeFact]] = defaultdict(list)
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
    child: Child, interviews: list[ReturnInterview], facts: dict[int, EpisodeFact]
) -> list[ReasonFact]:
    rows: list[ReasonFact] = []
    for interview in interviews:
        if interview.status != InterviewStatus.DONE:
            continue
        covered = sorted(
            (facts[e.pk] for e in interview.episodes.all() if e.pk in facts),
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
            for code in sorted(set(codes or [])):
                rows.append(
                    ReasonFact(
                        interview_id=interview.pk,
                        person_key=child.pk,
                        kind=kind,
                        code=code,
                        council_id=first.council_id,
                        force_id=first.force_id,
                        start_date=first.start_date,
                    )
                )
    return rows


CHILD_LOCK = 0x48574331  # pg advisory lock namespace: one refresh of a child at a time


@transaction.atomic
def refresh_child(child_id: int, *, totals: bool = True) -> int:
    """Recompute every fact of one child, and the change to the running totals (tally.py;
    ``totals=False`` leaves them to a rebuild). Returns how many episode facts it holds."""
    if connection.vendor == "postgresql":
        # Two refreshes of one child must not both start from the same old facts.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s::int4, %s::int4)", [CHILD_LOCK, child_id % 2**31]
            )
    before = (
        tally.contributions(
            list(EpisodeFact.objects.filter(person_key=child_id)),
            list(ReasonFact.objects.filter(person_key=child_id)),
        )
        if totals
        else {}
    )
    child = Child.objects.select_related("responsible_council").filter(pk=child_id).first()
    if child is None:
        facts: list[EpisodeFact] = []
        reasons: list[ReasonFact] = []
    else:
        facts, reasons = compute_child_facts(child, clock.now())
    _write(child_id, facts, reasons)
    if totals:
        tally.record(before, tally.contributions(facts, reasons))
    return len(facts)


def _write(child_id: int, facts: list[EpisodeFact], reasons: list[ReasonFact]) -> None:
    keep = [f.episode_id for f in facts]
    EpisodeFact.objects.filter(person_key=child_id).exclude(episode_id__in=keep).delete()
    if facts:
        EpisodeFact.objects.bulk_create(
            facts,
            update_conflicts=True,
            unique_fields=["episode_id"],
            update_fields=FACT_FIELDS,
        )
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
            children = list(
                Child.objects.select_related("responsible_council").filter(pk__in=batch)
            )
            computed = compute_facts(children, now)
            EpisodeFact.objects.filter(person_key__in=batch).delete()
            ReasonFact.objects.filter(person_key__in=batch).delete()
            facts = [f for made, _reasons in computed.values() for f in made]
            EpisodeFact.objects.bulk_create(facts, batch_size=2000)
            ReasonFact.objects.bulk_create(
                [r for _made, reasons in computed.values() for r in reasons], batch_size=2000
            )
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
