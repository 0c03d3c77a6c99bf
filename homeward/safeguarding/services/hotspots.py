"""Hotspots: derived from the links between places and children, never typed in.

A hotspot is a place, or a small area (a postcode sector, "AB1 2"), where at least
``MIN_CHILDREN`` distinct children were found, or stayed while missing, in a period.
Children are counted as people (``child__person_id``): two records linked as one child
count once. A place's "goes there" links (``frequented``) and "last seen" links do not
count: a hotspot is where missing children turn up, and "goes there" has no date of its
own (it is dated when it was written down), so counting it would make a hotspot of
whoever writes most. An area is listed only when it shows more children than any one
place in it (otherwise it only repeats that place). docs/safeguarding.md, "Places and
hotspots", and docs/counting-rules.md say the same for readers.

Hotspots carry counts only, never a child's identity: anyone whose role sees hotspots may
see those of their scope. Ranked by distinct children, then episodes, then the most
recent, then by label.

Scopes: a council (places lying in its area), a force (places in its councils' areas),
and a council's host area: the places in OTHER councils' areas where the council's own
children were found or stayed, and the places in its own area where children placed
into it by other councils were (their placement at the episode, or their current one)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet

from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, ValidationFailed
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding.models import PlaceLink, PlaceRole
from homeward.safeguarding.services.postcodes import sector

# The fewest distinct children that make a place or an area a hotspot.
MIN_CHILDREN = 3
# The links that count: found there, or stayed there while missing.
COUNTED_ROLES = (PlaceRole.FOUND, PlaceRole.STAYED)

# The period the pages and the API show unless told otherwise.
DEFAULT_PERIOD = timedelta(days=90)

SCOPE_COUNCIL = "council"
SCOPE_FORCE = "force"
SCOPE_HOST = "host"


@dataclass(frozen=True)
class Hotspot:
    key: str  # "place-<id>" or "area-<sector>"
    label: str
    kind: str  # "place" | "area"
    place_id: int | None
    postcode_area: str  # the postcode sector ("AB1 2"); blank for a place without a postcode
    children: int
    episodes: int
    last_at: datetime
    previous_children: int  # distinct children in the same-length period just before
    latitude: float | None = None  # the place's, or the middle of the area's places
    longitude: float | None = None
    council_id: int | None = None
    places: int = 1  # how many places in it had a counted link

    @property
    def rising(self) -> bool:
        return self.children > self.previous_children


@dataclass
class _Tally:
    label: str
    children: set[int] = field(default_factory=set)
    episodes: set[int] = field(default_factory=set)
    last_at: datetime | None = None
    points: dict[int, tuple[float, float]] = field(default_factory=dict)
    per_place: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    council_id: int | None = None
    place_id: int | None = None
    postcode: str = ""

    def add(self, row: dict[str, object]) -> None:
        person = row["child__person_id"]
        place = row["place_id"]
        assert isinstance(person, int)
        assert isinstance(place, int)
        self.children.add(person)
        self.per_place[place].add(person)
        if isinstance(row["episode_id"], int):
            self.episodes.add(row["episode_id"])
        at = row["occurred_at"]
        assert isinstance(at, datetime)
        self.last_at = at if self.last_at is None else max(self.last_at, at)
        lat, lon = row["place__latitude"], row["place__longitude"]
        if isinstance(lat, float) and isinstance(lon, float):
            self.points[place] = (lat, lon)


# --- which links ------------------------------------------------------------------------------


def _scope_filter(scope: str, organisation: Organisation) -> Q:
    if scope == SCOPE_COUNCIL:
        return Q(place__council=organisation)
    if scope == SCOPE_FORCE:
        return Q(place__council__police_force=organisation)
    if scope == SCOPE_HOST:
        away = Q(child__responsible_council=organisation, place__council__isnull=False) & ~Q(
            place__council=organisation
        )
        placed_here = Q(episode__placement__host_council=organisation) | Q(
            episode__isnull=True, child__current_placement__host_council=organisation
        )
        hosted = (
            Q(place__council=organisation)
            & placed_here
            & ~Q(child__responsible_council=organisation)
        )
        return away | hosted
    raise ValueError(f"No such hotspot scope: {scope}")


def counted_links(scope: str, organisation: Organisation) -> QuerySet[PlaceLink]:
    """The live links that count towards the scope's hotspots, in any period."""
    return PlaceLink.objects.filter(
        _scope_filter(scope, organisation), role__in=COUNTED_ROLES, removed_at__isnull=True
    )


def _rows(
    scope: str, organisation: Organisation, since: datetime, until: datetime
) -> list[dict[str, object]]:
    rows = (
        counted_links(scope, organisation)
        .filter(occurred_at__gte=since, occurred_at__lt=until)
        .values(
            "place_id",
            "child__person_id",
            "episode_id",
            "occurred_at",
            "place__latitude",
            "place__longitude",
            name=F("place__name"),
            postcode=F("place__postcode"),
            council=F("place__council_id"),
        )
    )
    return [dict(row) for row in rows]


# --- counting ---------------------------------------------------------------------------------


def _tallies(rows: Iterable[dict[str, object]]) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    for row in rows:
        place_id, postcode = row["place_id"], str(row["postcode"] or "")
        assert isinstance(place_id, int)
        place_key = f"place-{place_id}"
        if place_key not in tallies:
            tallies[place_key] = _Tally(
                label=str(row["name"]),
                council_id=row["council"] if isinstance(row["council"], int) else None,
                place_id=place_id,
                postcode=postcode,
            )
        tallies[place_key].add(row)
        if area := sector(postcode):
            area_key = f"area-{area}"
            if area_key not in tallies:
                tallies[area_key] = _Tally(
                    label=f"Postcode sector {area}",
                    council_id=row["council"] if isinstance(row["council"], int) else None,
                    postcode=area,
                )
            tallies[area_key].add(row)
    return tallies


def _middle(points: Iterable[tuple[float, float]]) -> tuple[float | None, float | None]:
    found = list(points)
    if not found:
        return None, None
    return (
        sum(p[0] for p in found) / len(found),
        sum(p[1] for p in found) / len(found),
    )


def _qualifies(key: str, tally: _Tally) -> bool:
    if len(tally.children) < MIN_CHILDREN:
        return False
    if key.startswith("area-"):
        return len(tally.children) > max(len(c) for c in tally.per_place.values())
    return True


def _hotspot(key: str, tally: _Tally, previous: _Tally | None) -> Hotspot:
    area = key.startswith("area-")
    lat, lon = _middle(tally.points.values())
    assert tally.last_at is not None
    return Hotspot(
        key=key,
        label=tally.label,
        kind="area" if area else "place",
        place_id=tally.place_id,
        postcode_area=tally.postcode if area else sector(tally.postcode),
        children=len(tally.children),
        episodes=len(tally.episodes),
        last_at=tally.last_at,
        previous_children=len(previous.children) if previous else 0,
        latitude=lat,
        longitude=lon,
        council_id=tally.council_id,
        places=len(tally.per_place),
    )


def _rank(found: list[Hotspot]) -> list[Hotspot]:
    return sorted(
        found, key=lambda h: (-h.children, -h.episodes, -h.last_at.timestamp(), h.label, h.key)
    )


def derive(
    scope: str, organisation: Organisation, *, since: datetime, until: datetime
) -> list[Hotspot]:
    """The scope's hotspots in [since, until), ranked, each with its count for the
    same-length period just before. One query."""
    before = since - (until - since)
    rows = _rows(scope, organisation, before, until)
    now_rows = [
        r for r in rows if isinstance(r["occurred_at"], datetime) and r["occurred_at"] >= since
    ]
    then_rows = [
        r for r in rows if isinstance(r["occurred_at"], datetime) and r["occurred_at"] < since
    ]
    current, previous = _tallies(now_rows), _tallies(then_rows)
    return _rank([_hotspot(k, t, previous.get(k)) for k, t in current.items() if _qualifies(k, t)])


# --- what other parts of the service call -----------------------------------------------------


def for_council(council: Organisation, *, since: datetime, until: datetime) -> list[Hotspot]:
    """The hotspots in the council's area in [since, until), ranked."""
    return derive(SCOPE_COUNCIL, council, since=since, until=until)


def for_force(force: Organisation, *, since: datetime, until: datetime) -> list[Hotspot]:
    """The hotspots in the areas of the force's councils in [since, until), ranked."""
    return derive(SCOPE_FORCE, force, since=since, until=until)


def for_host_area(council: Organisation, *, since: datetime, until: datetime) -> list[Hotspot]:
    """The council's host-area hotspots: where its children were, in other councils'
    areas, and where children placed into it by others were, in its own."""
    return derive(SCOPE_HOST, council, since=since, until=until)


def rising(council: Organisation, *, since: datetime, until: datetime) -> list[Hotspot]:
    """The council's hotspots in the period with more distinct children than in the
    same-length period just before (a new hotspot had none before), ranked."""
    return [h for h in for_council(council, since=since, until=until) if h.rising]


# --- for the pages and the API ----------------------------------------------------------------


@dataclass(frozen=True)
class HotspotRead:
    scope: str
    organisation: Organisation  # the council or force the scope is of
    since: datetime
    until: datetime
    hotspots: list[Hotspot]


def scopes_for(actor: Actor) -> list[str]:
    """The scopes the actor may see: a council's staff, their council, its force's area and
    their host area; a force's staff, the force's area. None without SEE_HOTSPOTS."""
    org = actor.organisation
    if org is None or not role_allows(actor, Action.SEE_HOTSPOTS):
        return []
    if org.kind == OrganisationKind.COUNCIL:
        return (
            [SCOPE_COUNCIL, SCOPE_FORCE, SCOPE_HOST]
            if org.police_force_id
            else [
                SCOPE_COUNCIL,
                SCOPE_HOST,
            ]
        )
    if org.kind == OrganisationKind.POLICE:
        return [SCOPE_FORCE]
    return []


def may_see(actor: Actor) -> bool:
    """Whether the actor has any scope of hotspots (pages offer the link only then)."""
    return bool(scopes_for(actor))


def read_hotspots(
    actor: Actor, scope: str | None, *, since: datetime, until: datetime
) -> HotspotRead:
    """The hotspots of one of the actor's scopes (the first, if none is named). Counts
    only: no child is named, so the read is not a read of any child's record."""
    allowed = scopes_for(actor)
    if not allowed:
        raise AccessDenied("Your role does not allow you to see hotspots.")
    chosen = scope or allowed[0]
    if chosen not in allowed:
        raise ValidationFailed({"scope": "Select where to show hotspots for"})
    if not since < until:
        raise ValidationFailed({"since": "The start of the period must be before its end"})
    org = actor.organisation
    assert org is not None
    whose = org.police_force if chosen == SCOPE_FORCE and org.police_force else org
    found = derive(chosen, whose, since=since, until=until)
    return HotspotRead(scope=chosen, organisation=whose, since=since, until=until, hotspots=found)
