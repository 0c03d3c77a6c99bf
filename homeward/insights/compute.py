"""Computing a child's facts from their records: one EpisodeFact per episode and one
ReasonFact per reason an interview found (facts.py writes them and keeps them up to date).
Every figure is worked out here, from a few queries for a whole batch of children.

A child is a person (``Child.person``): one or several records, linked. The facts of a
person are computed over the episodes of all their records together (repeat counts, the
rolling rule, first in the period), each episode keeping the dimensions of its own record
(council, age from that record's date of birth, sex, ethnicity, legal status); worker
changes are over the allocations of all the person's records."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, F, OuterRef, Q, Subquery

from homeward.aftercare.models import InterviewStatus, ReturnInterview, SafeAndWellCheck
from homeward.children.models import Child, LegalStatus, WorkerAllocation
from homeward.episodes.models import ClassificationChange, Episode
from homeward.insights import counting as c
from homeward.insights.models import EpisodeFact, ReasonFact, ReasonKind
from homeward.notifications.rules import DEFAULT_REPEAT_COUNT, DEFAULT_REPEAT_DAYS
from homeward.organisations.models import Organisation


def _thresholds(council: Organisation) -> tuple[int, int]:
    """The council's repeat rule: its own (read with the child when the caller asked for
    ``responsible_council__notification_rules``), else the service's default."""
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
    """What one person's facts are computed from (all their records')."""

    episodes: list[Episode] = field(default_factory=list)
    allocation_starts: list[date] = field(default_factory=list)
    interviews: list[ReturnInterview] = field(default_factory=list)


@dataclass
class _Shared:
    """What the children of one batch share: links, checks, interviews, repeat rules."""

    checks: dict[int, str] = field(default_factory=dict)
    first_classification: dict[int, str] = field(default_factory=dict)
    covers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    spells: dict[int, list[c.StatusSpell]] = field(default_factory=dict)
    incidents: dict[int, int] = field(default_factory=dict)
    linked: set[int] = field(default_factory=set)


def compute_facts(
    children: list[Child], now: datetime, persons: Iterable[int] = ()
) -> dict[int, tuple[list[EpisodeFact], list[ReasonFact]]]:
    """The facts of the persons of ``children``, and of ``persons`` (person id -> facts),
    from a few queries for all of them (a rebuild reads persons in batches; a refresh is a
    batch of one). A person's records are read only when they have episodes and are not
    among ``children`` (a linked person, or one given by id). A child read with its
    ``legal_statuses`` prefetched (the order the model gives them) is not asked again."""
    ids = sorted({child.person_id for child in children} | set(persons))
    known = {child.pk: child for child in children}
    records: dict[int, _Records] = {pk: _Records() for pk in ids}
    shared = _Shared()
    with_links, owners = _read_episodes(ids, records, shared)
    missing = sorted(set(owners) - set(known))
    if missing:
        known.update(
            (child.pk, child)
            for child in Child.objects.select_related(*CHILD_RELATED).filter(pk__in=missing)
        )
    _read_statuses([known[pk] for pk in sorted(set(owners))], shared)
    for person_id, start in WorkerAllocation.objects.filter(child__person_id__in=ids).values_list(
        "child__person_id", "start_date"
    ):
        records[person_id].allocation_starts.append(start)
    _read_interviews(ids, records, shared)
    # Only episodes with a link need the walk over the links: any other is its own incident.
    shared.incidents = _linked_components(with_links) if with_links else {}
    # Linked: in a group of more than one (another episode shares its incident key).
    sizes = Counter(shared.incidents.values())
    shared.linked = {pk for pk, key in shared.incidents.items() if sizes[key] > 1}
    rules: dict[int, tuple[int, int]] = {}
    for child in known.values():
        council_id = child.responsible_council_id
        if council_id not in rules:
            rules[council_id] = _thresholds(child.responsible_council)
    return {
        person_id: _person_facts(person_id, records[person_id], known, shared, rules, now)
        for person_id in ids
    }


def _read_episodes(
    persons: list[int], records: dict[int, _Records], shared: _Shared
) -> tuple[list[int], set[int]]:
    """The persons' episodes, in start order, each with its check's status, its first
    classification and whether any link leaves it, in one query. Returns those linked, and
    the records the episodes belong to."""
    through = Episode.went_missing_with.through
    with_links: list[int] = []
    owners: set[int] = set()
    for episode in (
        Episode.objects.filter(child__person_id__in=persons)
        .select_related("placement")
        .only(*_EPISODE_FIELDS)
        .annotate(
            owner=F("child__person_id"),
            check_status=Subquery(
                SafeAndWellCheck.objects.filter(episode_id=OuterRef("pk")).values("status")[:1]
            ),
            first_classification=Subquery(
                ClassificationChange.objects.filter(episode_id=OuterRef("pk"))
                .order_by("changed_at", "pk")
                .values("classification")[:1]
            ),
            # Either row of a symmetrical link may be in alone: both directions count.
            has_links=Exists(
                through.objects.filter(
                    Q(from_episode_id=OuterRef("pk")) | Q(to_episode_id=OuterRef("pk"))
                )
            ),
        )
        .order_by("last_seen_at", "pk")
    ):
        records[episode.owner].episodes.append(episode)
        owners.add(episode.child_id)
        if episode.check_status is not None:
            shared.checks[episode.pk] = episode.check_status
        if episode.first_classification is not None:
            shared.first_classification[episode.pk] = episode.first_classification
        if episode.has_links:
            with_links.append(episode.pk)
    return with_links, owners


def _read_statuses(children: list[Child], shared: _Shared) -> None:
    """Each record's legal status spells: prefetched with the child, or read for the rest."""
    unread: list[int] = []
    for child in children:
        spells = shared.spells.setdefault(child.pk, [])
        prefetched = getattr(child, "_prefetched_objects_cache", {}).get("legal_statuses")
        if prefetched is None:
            unread.append(child.pk)
            continue
        spells.extend(c.StatusSpell(s.status, s.start_date, s.end_date) for s in prefetched)
    if unread:
        for status in LegalStatus.objects.filter(child_id__in=unread):
            shared.spells[status.child_id].append(
                c.StatusSpell(status.status, status.start_date, status.end_date)
            )


def _read_interviews(persons: list[int], records: dict[int, _Records], shared: _Shared) -> None:
    """The interviews, with the episodes each covers, in one query over the links between
    them (an interview that covers no episode adds nothing to any figure)."""
    interviews: dict[int, tuple[int, ReturnInterview]] = {}
    for cover in (
        ReturnInterview.episodes.through.objects.filter(
            returninterview__child__person_id__in=persons
        )
        .select_related("returninterview")
        .only("episode_id", *(f"returninterview__{name}" for name in _INTERVIEW_FIELDS))
        .annotate(owner=F("returninterview__child__person_id"))
        .order_by("returninterview__due_at", "returninterview_id", "pk")
    ):
        owner: int = getattr(cover, "owner")  # noqa: B009 (an annotation)
        interviews.setdefault(cover.returninterview_id, (owner, cover.returninterview))
        shared.covers[cover.returninterview_id].append(cover.episode_id)
    for owner, interview in interviews.values():
        records[owner].interviews.append(interview)


def compute_child_facts(child: Child, now: datetime) -> tuple[list[EpisodeFact], list[ReasonFact]]:
    """The facts of the person ``child`` is a record of."""
    return compute_facts([child], now)[child.person_id]


def _person_facts(
    person_id: int,
    records: _Records,
    children: dict[int, Child],
    shared: _Shared,
    rules: dict[int, tuple[int, int]],
    now: datetime,
) -> tuple[list[EpisodeFact], list[ReasonFact]]:
    episodes = records.episodes
    if not episodes:
        return [], []
    # The interview that covers each episode: the one due first (as compliance.py reads it).
    covering: dict[int, ReturnInterview] = {}
    for interview in records.interviews:
        for episode_id in shared.covers.get(interview.pk, ()):
            covering.setdefault(episode_id, interview)
    # Every episode of the person counts towards the rolling rule, under the rule of the
    # council responsible for the episode's own record.
    starts = [e.last_seen_at for e in episodes]
    facts = []
    for episode in episodes:
        child = children[episode.child_id]
        fact = _episode_fact(person_id, child, episode, shared, covering.get(episode.pk))
        repeat_count, repeat_days = rules[child.responsible_council_id]
        fact.rolling_repeat = c.rolling_repeat(starts, fact.start_at, repeat_count, repeat_days)
        fact.refreshed_at = now
        facts.append(fact)
    _mark_periods(facts, sorted(records.allocation_starts))
    return facts, _reason_facts(
        person_id, records.interviews, shared.covers, {f.episode_id: f for f in facts}
    )


def _episode_fact(
    person_id: int,
    child: Child,
    episode: Episode,
    shared: _Shared,
    covered_by: ReturnInterview | None,
) -> EpisodeFact:
    """One episode's figures, but those that depend on the person's other episodes. The
    dimensions are those of the episode's own record (``child``)."""
    start_day = c.local_date(episode.last_seen_at)
    year, quarter = c.quarter_of(start_day)
    age = c.age_on(child.date_of_birth, start_day)
    placement = episode.placement
    host_council_id = placement.host_council_id if placement else None
    council_id = child.responsible_council_id
    returned = episode.returned_at
    first = shared.first_classification.get(episode.pk)
    done = covered_by is not None and covered_by.status == InterviewStatus.DONE
    return EpisodeFact(
        episode_id=episode.pk,
        person_key=person_id,
        incident_key=shared.incidents.get(episode.pk, episode.pk),
        linked=episode.pk in shared.linked,
        council_id=council_id,
        host_council_id=host_council_id,
        force_id=episode.police_force_id,
        home_force_id=child.responsible_council.police_force_id,
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
        legal_status=c.legal_status_on(shared.spells.get(child.pk, []), start_day),
        placement_type=placement.placement_type if placement else c.NO_PLACEMENT,
        out_of_area=c.out_of_area(host_council_id, council_id),
        risk_grade=episode.risk_grade,
        classification_start=c.classification_at_start(
            [first] if first is not None else [], episode.classification
        ),
        classification=c.classification_at_end(episode.classification),
        duration_hours=(returned - episode.last_seen_at) / c.HOUR if returned else None,
        duration_band=c.duration_band(episode.last_seen_at, returned, None),
        check_status=(
            shared.checks.get(episode.pk, c.CHECK_OUTSTANDING) if returned else c.NOT_RETURNED
        ),
        interview_status=covered_by.status if covered_by else c.NO_INTERVIEW,
        interview_offered=bool(covered_by and covered_by.offered_at is not None),
        interview_within_72h=covered_by.within_72_hours if covered_by and done else None,
    )


# The groups a fact is counted in: (key, first-in-group flag, episodes-in-group count).
_PERIODS: tuple[tuple[str, str, str | None], ...] = (
    ("m", "first_m", None),
    ("q", "first_q", "n_q"),
    ("y", "first_y", "n_y"),
    ("mf", "first_m_force", None),
    ("qf", "first_q_force", "n_q_force"),
    ("yf", "first_y_force", "n_y_force"),
    ("mc", "first_m_council", None),
    ("qc", "first_q_council", "n_q_council"),
    ("yc", "first_y_council", "n_y_council"),
)


def _period_key(kind: str, fact: EpisodeFact) -> tuple[Any, ...]:
    period: tuple[Any, ...] = {
        "m": (fact.start_month,),
        "q": (fact.year, fact.quarter),
        "y": (fact.year,),
    }[kind[0]]
    if kind.endswith("f"):
        return (kind, *period, fact.force_id)
    if kind.endswith("c"):
        return (kind, *period, fact.council_id)
    return (kind, *period)


def _mark_periods(facts: list[EpisodeFact], allocation_starts: list[Any]) -> None:
    """First-in-period flags, episodes-in-period counts and worker changes (facts are in
    start order)."""
    for kind, first_flag, count in _PERIODS:
        groups: dict[tuple[Any, ...], list[EpisodeFact]] = defaultdict(list)
        for fact in facts:
            groups[_period_key(kind, fact)].append(fact)
        for members in groups.values():
            setattr(members[0], first_flag, True)
            if count is not None:
                for f in members:
                    setattr(f, count, len(members))
    for fact in facts:
        q_start, q_end = c.quarter_bounds(fact.year, fact.quarter)
        y_start, y_end = c.year_bounds(fact.year)
        fact.worker_changes_q = c.worker_changes(allocation_starts, q_start, q_end)
        fact.worker_changes_y = c.worker_changes(allocation_starts, y_start, y_end)


def _reason_facts(
    person_id: int,
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
                    person_key=person_id,
                    kind=kind,
                    code=code,
                    council_id=first.council_id,
                    force_id=first.force_id,
                    start_date=first.start_date,
                )
                for code in sorted(set(codes or []))
            )
    return rows
