"""Places, links and returned episodes for the hotspot and place tests (synthetic)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from homeward.children.models import Child, Placement
from homeward.core import clock
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation
from homeward.safeguarding.models import Place, PlaceKind, PlaceLink

_references = itertools.count(1)


def a_place(
    name: str,
    council: Organisation | None,
    postcode: str = "",
    lat: float | None = None,
    lon: float | None = None,
    kind: str = PlaceKind.OTHER,
) -> Place:
    """A place, written straight to the table (test set-up only)."""
    return Place.objects.create(
        name=name,
        kind=kind,
        postcode=postcode,
        latitude=lat,
        longitude=lon,
        council=council,
        created_at=clock.now(),
    )


def days_ago(days: float) -> datetime:
    return clock.now() - timedelta(days=days)


def an_episode(child: Child, at: datetime, placement: Placement | None = None) -> Episode:
    """A returned episode, written straight to the table (test set-up only)."""
    council = child.responsible_council
    assert council.police_force is not None
    return Episode.objects.create(
        reference=f"HW-T{next(_references):06d}",
        child=child,
        status="returned",
        classification="M",
        reported_at=at,
        reporting_organisation=council,
        reporter_type="parent",
        last_seen_at=at,
        last_seen_location="Synthetic",
        missing_from="home",
        police_force=council.police_force,
        placement=placement if placement is not None else child.current_placement,
        risk_grade="medium",
        returned_at=at + timedelta(hours=5),
        return_method="returned_self",
    )


def link(
    place: Place,
    child: Child,
    role: str,
    at: datetime,
    *,
    episode: bool | Episode = True,
    removed: bool = False,
) -> PlaceLink:
    """A link (with its own returned episode unless ``episode=False``), straight to the
    table (test set-up only)."""
    ep = an_episode(child, at) if episode is True else (episode or None)
    return PlaceLink.objects.create(
        place=place,
        role=role,
        child=child,
        episode=ep,
        occurred_at=at,
        recorded_at=clock.now(),
        removed_at=clock.now() if removed else None,
    )
