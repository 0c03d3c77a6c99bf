"""Who goes missing with whom, derived from the records (never typed in): the groups of
children joined by episodes linked as "went missing together" and by persons of concern
linked to two or more, with the places where two of them were found or stayed together.

Children are persons (``Child.person_id``): two records linked as one child are one node,
and their episodes count together (docs/linkage.md). This module only derives; who may
see what of it is ``services/peers.py``.

- **Went missing together**: a link between an episode of one child and an episode of
  another (``Episode.went_missing_with``); each linked pair of episodes is one joint
  episode of that pair, dated by the earlier of the two last-seen times.
- **Shared place**: live ``PlaceLink`` rows (not removed) of role found or stayed, for
  two children already joined, on the same place and within ``TOGETHER_WITHIN`` (48
  hours) of each other: a place that connects them. A place alone joins nobody: many
  children turn up at a hotspot without knowing each other, and joining them by it
  would make one group of a town. Last seen is left out (children are last seen at the
  same home or school without being together), and so is "goes there", which is dated
  only when it was written down.
- **Shared person**: a live ``PersonLink`` from one person of concern to two or more of
  the children. Police-only links count only for a police viewer (``police=True``).

A group is a connected component of these edges with two or more children."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from homeward.children.models import Child
from homeward.episodes.models import Episode
from homeward.safeguarding.models import PersonLink, PlaceLink, PlaceRole

SHARED_PLACE_ROLES = (PlaceRole.FOUND, PlaceRole.STAYED)
TOGETHER_WITHIN = timedelta(hours=48)
# How far out from the children asked about the derivation follows links, and how many
# records it gathers at most: a group bigger than this is cut, and says so.
MAX_ROUNDS = 8
MAX_RECORDS = 400


def quarter_label(day: date) -> str:
    """The calendar quarter of a day: "2026 Q1" (January to March)."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@dataclass
class Pair:
    """Two children (person keys, ``a`` < ``b``) and what joins them."""

    a: int
    b: int
    together: int = 0
    first: date | None = None
    last: date | None = None
    places: set[int] = field(default_factory=set)
    persons: set[int] = field(default_factory=set)
    by_quarter: dict[str, int] = field(default_factory=dict)

    def add_episode(self, day: date) -> None:
        self.together += 1
        self.first = day if self.first is None else min(self.first, day)
        self.last = day if self.last is None else max(self.last, day)
        label = quarter_label(day)
        self.by_quarter[label] = self.by_quarter.get(label, 0) + 1


@dataclass
class Group:
    """A connected group of children: persons, the records they were found through, the
    pairs, and the places and persons of concern that join two or more of them."""

    persons: list[int]
    records: set[int]
    pairs: list[Pair]
    places: dict[int, set[int]]  # place id -> persons linked to it
    concern: dict[int, set[int]]  # person of concern id -> persons linked
    occasions: int = 0  # times two or more of them went missing together (incidents)
    cut: bool = False

    @property
    def episodes_together(self) -> int:
        """Joint episodes summed over the pairs (three children out together: 3)."""
        return sum(p.together for p in self.pairs)

    @property
    def first_seen(self) -> date | None:
        days = [p.first for p in self.pairs if p.first is not None]
        return min(days) if days else None

    @property
    def last_seen(self) -> date | None:
        days = [p.last for p in self.pairs if p.last is not None]
        return max(days) if days else None

    @property
    def quarters(self) -> list[str]:
        return sorted({label for p in self.pairs for label in p.by_quarter})


@dataclass
class Evidence:
    """What the derivation read: record -> person, the joint episodes (person pairs with
    the day), and the place and person-of-concern links (id -> records)."""

    person_of: dict[int, int] = field(default_factory=dict)
    joint: set[tuple[int, int]] = field(default_factory=set)  # (episode, episode), a < b
    episode_record: dict[int, int] = field(default_factory=dict)
    episode_day: dict[int, date] = field(default_factory=dict)
    places: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    visits: dict[int, set[tuple[int, datetime]]] = field(
        default_factory=lambda: defaultdict(set)
    )  # place id -> (record, when)
    place_pairs: dict[int, set[tuple[int, int]]] = field(default_factory=dict)
    concern: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    cut: bool = False


def _records_of(records: Iterable[int]) -> dict[int, int]:
    """Every record of the persons of these records -> its person (one query)."""
    persons = Child.objects.filter(pk__in=set(records)).values("person_id")
    return dict(
        Child.objects.filter(person_id__in=persons).order_by().values_list("pk", "person_id")
    )


def _read_joint(found: Evidence, records: set[int]) -> set[int]:
    """Joint episodes of these records; returns the records of the other children."""
    through = Episode.went_missing_with.through
    mine = Episode.objects.filter(child_id__in=records).values("pk")
    rows = through.objects.filter(
        Q(from_episode_id__in=mine) | Q(to_episode_id__in=mine)
    ).values_list("from_episode_id", "to_episode_id")
    pairs = {(min(a, b), max(a, b)) for a, b in rows if a != b}
    ids = {e for pair in pairs for e in pair} - set(found.episode_record)
    for pk, child_id, seen in Episode.objects.filter(pk__in=ids).values_list(
        "pk", "child_id", "last_seen_at"
    ):
        found.episode_record[pk] = child_id
        found.episode_day[pk] = _local_date(seen)
    found.joint |= pairs
    return {found.episode_record[e] for pair in pairs for e in pair}


def _together(visits: Iterable[tuple[int, datetime]]) -> set[tuple[int, int]]:
    """The record pairs (a < b) at one place within TOGETHER_WITHIN of each other."""
    ordered = sorted(visits, key=lambda visit: (visit[1], visit[0]))
    out = set()
    for i, (a, at) in enumerate(ordered):
        for b, then in ordered[i + 1 :]:
            if then - at > TOGETHER_WITHIN:
                break
            if a != b:
                out.add((min(a, b), max(a, b)))
    return out


def _read_places(found: Evidence, records: set[int]) -> set[int]:
    """Places these records were found or stayed at, and which records were there within
    TOGETHER_WITHIN of each other. Follows nobody further (a place alone joins nobody)."""
    live = PlaceLink.objects.filter(role__in=SHARED_PLACE_ROLES, removed_at__isnull=True)
    places = live.filter(child_id__in=records).values("place_id")
    for place_id, child_id, at in live.filter(place_id__in=places).values_list(
        "place_id", "child_id", "occurred_at"
    ):
        found.visits[place_id].add((child_id, at))
    for place_id, visits in found.visits.items():
        pairs = _together(visits)
        if pairs:
            found.place_pairs[place_id] = pairs
            found.places[place_id] = {r for pair in pairs for r in pair}
    return set()  # a place alone joins nobody: nothing more to follow


def _read_concern(found: Evidence, records: set[int], police: bool) -> set[int]:
    live = PersonLink.objects.filter(removed_at__isnull=True, child__isnull=False)
    if not police:
        live = live.filter(police_only=False)
    persons = live.filter(child_id__in=records).values("person_id")
    for person_id, child_id in live.filter(person_id__in=persons).values_list(
        "person_id", "child_id"
    ):
        assert child_id is not None
        found.concern[person_id].add(child_id)
    return {r for linked in found.concern.values() for r in linked}


def gather(records: Iterable[int], *, police: bool, limit: int = MAX_RECORDS) -> Evidence:
    """Follow every kind of link out from these child records (and every record of the
    same persons) until nothing new is found, or MAX_ROUNDS / ``limit`` records."""
    found = Evidence()
    frontier = set(records)
    for _round in range(MAX_ROUNDS):
        if not frontier:
            break
        found.person_of.update(_records_of(frontier))
        known = set(found.person_of)
        reached = _read_joint(found, known) | _read_places(found, known)
        reached |= _read_concern(found, known, police)
        frontier = reached - known
        if len(known) + len(frontier) > limit:
            found.cut = True
            break
    else:
        found.cut = bool(frontier)
    if frontier - set(found.person_of):
        # Records reached in the last step but not followed: resolved to their persons.
        found.person_of.update(_records_of(frontier))
    return found


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _pairs(found: Evidence) -> dict[tuple[int, int], Pair]:
    pairs: dict[tuple[int, int], Pair] = {}

    def pair(x: int, y: int) -> Pair:
        a, b = min(x, y), max(x, y)
        return pairs.setdefault((a, b), Pair(a, b))

    for e, f in sorted(found.joint):
        x = found.person_of.get(found.episode_record[e])
        y = found.person_of.get(found.episode_record[f])
        if x is not None and y is not None and x != y:
            pair(x, y).add_episode(min(found.episode_day[e], found.episode_day[f]))
    for key, records in found.concern.items():
        persons = sorted({found.person_of[r] for r in records if r in found.person_of})
        for i, x in enumerate(persons):
            for y in persons[i + 1 :]:
                pair(x, y).persons.add(key)
    # A place connects two children already joined (above); it joins nobody itself.
    for place, together in found.place_pairs.items():
        for r, q in together:
            x, y = found.person_of.get(r), found.person_of.get(q)
            joined = (min(x, y), max(x, y)) if x is not None and y is not None else None
            if joined is not None and joined in pairs:
                pairs[joined].places.add(place)
    return pairs


def groups(found: Evidence) -> list[Group]:
    """The connected groups of two or more children, each child's lowest person first,
    groups in order of their lowest person."""
    pairs = _pairs(found)
    union = _Union()
    for a, b in pairs:
        union.join(a, b)
    members: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        members[union.find(a)].update((a, b))
    out = []
    for root in sorted(members):
        persons = members[root]
        records = {r for r, p in found.person_of.items() if p in persons}
        out.append(
            Group(
                persons=sorted(persons),
                records=records,
                pairs=[pairs[k] for k in sorted(pairs) if k[0] in persons],
                places=_connecting([pairs[k] for k in sorted(pairs) if k[0] in persons]),
                concern=_joining(found.concern, found.person_of, persons),
                occasions=_occasions(found, records),
                cut=found.cut,
            )
        )
    return out


def _occasions(found: Evidence, records: set[int]) -> int:
    """Incidents: the joint episodes of the group's records, linked episode to episode."""
    union = _Union()
    for e, f in found.joint:
        if found.episode_record[e] in records:
            union.join(e, f)
    return len({union.find(e) for e in union.parent})


def _connecting(pairs: list[Pair]) -> dict[int, set[int]]:
    """The places that connect two or more of the group (place id -> persons there)."""
    out: dict[int, set[int]] = defaultdict(set)
    for pair in pairs:
        for place in pair.places:
            out[place] |= {pair.a, pair.b}
    return dict(sorted(out.items()))


def _joining(
    links: dict[int, set[int]], person_of: dict[int, int], persons: set[int]
) -> dict[int, set[int]]:
    """Of the places (or persons of concern), those linked to two or more of the group."""
    out = {}
    for key, records in sorted(links.items()):
        linked = {person_of[r] for r in records if r in person_of} & persons
        if len(linked) >= 2:
            out[key] = linked
    return out


def group_of(record: Child, *, police: bool) -> Group | None:
    """The group this child record's person is in, or None if they are in none."""
    for group in groups(gather([record.pk], police=police)):
        if record.person_id in group.persons:
            return group
    return None


def groups_around(records: Iterable[int], *, police: bool, limit: int = MAX_RECORDS) -> list[Group]:
    """Every group that holds at least one of these records' persons."""
    wanted = set(records)
    found = gather(wanted, police=police, limit=limit)
    persons = {found.person_of[r] for r in wanted if r in found.person_of}
    return [g for g in groups(found) if persons & set(g.persons)]
