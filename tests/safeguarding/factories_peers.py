"""Episodes that went missing together, places and persons of concern linked to children:
the rows the peer view derives from, written directly (test set-up only; the places' and
persons' own services are built elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import count

from django.utils import timezone

from homeward.children.models import Child
from homeward.core import clock
from homeward.episodes.models import Episode, EpisodeStatus, MissingFrom, ReporterType, RiskGrade
from homeward.organisations.models import Organisation, Role
from homeward.safeguarding.models import (
    HarbouringNotice,
    PersonLink,
    PersonOfConcern,
    Place,
    PlaceLink,
    PlaceRole,
)
from tests import factories

_serial = count(1)


def at(day: str, hour: int = 20) -> datetime:
    """A time in England on "YYYY-MM-DD"."""
    naive = datetime.fromisoformat(day).replace(hour=hour)
    return timezone.make_aware(naive, timezone.get_default_timezone())


def episode(child: Child, day: str, force: Organisation | None = None, hours: int = 30) -> Episode:
    """A closed-and-returned episode of ``child`` last seen on ``day`` (20:00)."""
    seen = at(day)
    police = force or child.responsible_council.police_force
    assert police is not None
    return Episode.objects.create(
        reference=f"PEER{next(_serial):06d}",
        child=child,
        status=EpisodeStatus.RETURNED,
        classification="M",
        reported_at=seen + timedelta(hours=1),
        reporting_organisation=police,
        reporter_type=ReporterType.PARENT,
        last_seen_at=seen,
        last_seen_location="Outside the bus station",
        missing_from=MissingFrom.HOME,
        police_force=police,
        risk_grade=RiskGrade.MEDIUM,
        returned_at=seen + timedelta(hours=hours),
    )


def together(*episodes: Episode) -> None:
    """Link every pair of these episodes as having gone missing together."""
    for i, a in enumerate(episodes):
        for b in episodes[i + 1 :]:
            a.went_missing_with.add(b)


def place(name: str, council: Organisation | None = None) -> Place:
    return Place.objects.create(name=name, council=council, created_at=clock.now())


def at_place(
    child: Child,
    where: Place,
    role: str = PlaceRole.FOUND,
    occurred_at: datetime | None = None,
    **extra: object,
) -> PlaceLink:
    return PlaceLink.objects.create(
        place=where,
        role=role,
        child=child,
        occurred_at=occurred_at or clock.now() - timedelta(days=10),
        recorded_at=clock.now(),
        **extra,
    )


def person(name: str, force: Organisation | None = None) -> PersonOfConcern:
    now = clock.now()
    return PersonOfConcern.objects.create(
        name=name, holding_force=force, created_at=now, updated_at=now
    )


def linked(who: PersonOfConcern, child: Child, *, police_only: bool = False) -> PersonLink:
    return PersonLink.objects.create(
        person=who,
        child=child,
        nature="Seen with the child",
        source="Return interview",
        source_evaluation="2",
        information_assessment="B",
        police_only=police_only,
        recorded_at=clock.now(),
    )


@dataclass
class PeerWorld:
    """Council K (force P) with children Amy, Ben and Cal, and council L (force Q) with Dee.

    - Amy and Ben went missing together on 2026-01-10 and 2026-02-20 (Q1) and on
      2026-04-15 (Q2); Ben and Cal on 2026-02-20 too (the three together that night:
      Amy+Cal is a joint episode then as well).
    - Amy and Cal were both found at the Riverside flats; Ben was last seen there (does
      not join: last seen is not a shared place).
    - Cal and Dee are both linked to person of concern "Mr Grey" (Dee belongs to L).
    - Eve (council K) went missing with nobody and shares nothing.
    """

    council: Organisation
    other_council: Organisation
    force: Organisation
    other_force: Organisation
    amy: Child
    ben: Child
    cal: Child
    dee: Child
    eve: Child
    flats: Place
    grey: PersonOfConcern


def world() -> PeerWorld:
    force = factories.PoliceForceFactory(name="Peer Police")
    other_force = factories.PoliceForceFactory(name="Other Police")
    council = factories.CouncilFactory(police_force=force, name="Peer Council")
    other = factories.CouncilFactory(police_force=other_force, name="Other Council")
    kids = {
        name: factories.ChildFactory(first_name=name, last_name="Tester", responsible_council=c)
        for name, c in (
            ("Amy", council),
            ("Ben", council),
            ("Cal", council),
            ("Dee", other),
            ("Eve", council),
        )
    }
    amy, ben, cal, dee = kids["Amy"], kids["Ben"], kids["Cal"], kids["Dee"]
    together(episode(amy, "2026-01-10"), episode(ben, "2026-01-10"))
    together(episode(amy, "2026-02-20"), episode(ben, "2026-02-20"), episode(cal, "2026-02-20"))
    together(episode(amy, "2026-04-15"), episode(ben, "2026-04-15"))
    episode(kids["Eve"], "2026-03-01")
    episode(dee, "2026-03-05")  # with force Q: Q and L see Dee, K and P do not
    flats = place("Riverside flats", council)
    at_place(amy, flats, PlaceRole.FOUND)
    at_place(cal, flats, PlaceRole.STAYED)
    at_place(ben, flats, PlaceRole.LAST_SEEN)
    grey = person("Mr Grey", force)
    linked(grey, cal)
    linked(grey, dee)
    return PeerWorld(
        council, other, force, other_force, amy, ben, cal, dee, kids["Eve"], flats, grey
    )


def coordinator(org: Organisation) -> object:
    return factories.actor(Role.COUNCIL_MISSING_COORDINATOR, org)


def notice(
    force: Organisation,
    children: list[Child],
    issued: date,
    expires: date,
    withdrawn: date | None = None,
) -> HarbouringNotice:
    """A harbouring notice from ``force`` naming ``children`` (written directly)."""
    serial = next(_serial)
    made = HarbouringNotice.objects.create(
        reference=f"CAWN{serial:06d}",
        person=person(f"Notice person {serial}", force),
        force=force,
        issued_on=issued,
        review_on=issued + timedelta(days=182),
        expires_on=expires,
        withdrawn_on=withdrawn,
        issued_at=clock.now(),
    )
    made.children.set(children)
    return made
