"""Hotspot derivation against a hand-built fixture, with the answers worked out here.

Force P covers councils K and L; force Q covers council M. The period is the last 30 days
(the one before it, days 30 to 60 ago). Children c1 to c4 are K's (c1, c2 and c3 placed in
L's area; c4 at home in K); c5 and c6 are L's, placed in K. c1b is a second record of c1,
linked as the same child.

Places and their counted links in the period (found or stayed; "d2" is two days ago):
  A  Bandstand, K, AB1 2CD:  c1 found d2, c2 found d3, c3 stayed d4, c1 found d10,
                             c1b found d11, (c4 last seen d5: not counted)
       -> 3 children (c1 and c1b are one), 5 episodes, last d2
  B  Chip shop, K, AB1 2EF:  c4 found d6, c5 stayed d7        -> 2 children: not a hotspot
  C  Bus station, K, AB1 3GH: c1 found d1, c2 found d8, c6 found d9,
                             (c4 "goes there": not counted; c3 found d1 but removed)
       -> 3 children, 3 episodes, last d1
  D  Flat, Mill Road, L, CD4 5JK: c1 found d12, c2 found d13, c3 stayed d14
       -> 3 children, 3 episodes, last d12
  E  Park, M, EF6 7LM:       c4 found d2, c5 found d3, c6 found d4 -> 3 children (force Q)
Areas: sector AB1 2 holds A and B: {c1, c2, c3, c4, c5} = 5 children, 7 episodes, last d2;
more than A alone (3), so it is listed. AB1 3 holds only C and CD4 5 only D: each just
repeats its place, so neither is listed.
In the period before: A had c1, c2, c3 (3); C had c1 (1); so AB1 2 had 3.

Council K, ranked: AB1 2 (5 children), then A (3 children, 5 episodes) before C (3
children, 3 episodes: fewer episodes, though more recent).
Rising in K: AB1 2 (5 > 3) and C (3 > 1); not A (3, as before).
Force P: AB1 2, A, C, D: C and D tie on children and episodes, C is more recent.
Host area of K: D (K's c1, c2, c3 found or stayed in L's area); E has only K's c4; the
children placed into K by L (c5 at B, c6 at C) are one each. Host area of L: D again
(children placed into L by K), as L's own children reach only 2 at E.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from homeward.core import clock
from homeward.safeguarding.models import PlaceRole
from homeward.safeguarding.services import hotspots
from tests import factories
from tests.safeguarding.factories_places import a_place, days_ago, link

pytestmark = pytest.mark.django_db

FOUND, STAYED = PlaceRole.FOUND, PlaceRole.STAYED


@pytest.fixture
def w() -> dict[str, Any]:
    p, q = factories.PoliceForceFactory(), factories.PoliceForceFactory()
    k, l_, m = (
        factories.CouncilFactory(police_force=p),
        factories.CouncilFactory(police_force=p),
        factories.CouncilFactory(police_force=q),
    )
    c = {n: factories.ChildFactory(responsible_council=k) for n in ("c1", "c2", "c3", "c4")}
    c |= {n: factories.ChildFactory(responsible_council=l_) for n in ("c5", "c6")}
    for n in ("c1", "c2", "c3"):
        factories.place(c[n], host=l_)
    for n in ("c4", "c5", "c6"):
        factories.place(c[n], host=k)
    c1b = factories.ChildFactory(responsible_council=k)
    c1b.person = c["c1"].person
    c1b.save()
    pa = a_place("Bandstand", k, "AB1 2CD", 52.01, -1.01)
    pb = a_place("Chip shop", k, "AB1 2EF", 52.02, -1.02)
    pc = a_place("Bus station", k, "AB1 3GH", 52.03, -1.03)
    pd = a_place("Flat, Mill Road", l_, "CD4 5JK", 52.10, -1.10)
    pe = a_place("Park", m, "EF6 7LM")
    for place, name, role, d in [
        (pa, "c1", FOUND, 2), (pa, "c2", FOUND, 3), (pa, "c3", STAYED, 4), (pa, "c1", FOUND, 10),
        (pa, "c4", PlaceRole.LAST_SEEN, 5),
        (pb, "c4", FOUND, 6), (pb, "c5", STAYED, 7),
        (pc, "c1", FOUND, 1), (pc, "c2", FOUND, 8), (pc, "c6", FOUND, 9),
        (pd, "c1", FOUND, 12), (pd, "c2", FOUND, 13), (pd, "c3", STAYED, 14),
        (pe, "c4", FOUND, 2), (pe, "c5", FOUND, 3), (pe, "c6", FOUND, 4),
        # the period before
        (pa, "c1", FOUND, 40), (pa, "c2", FOUND, 41), (pa, "c3", FOUND, 42), (pc, "c1", FOUND, 45),
    ]:  # fmt: skip
        link(place, c[name], role, days_ago(d))
    link(pa, c1b, FOUND, days_ago(11))
    link(pc, c["c4"], PlaceRole.FREQUENTED, days_ago(1), episode=False)
    link(pc, c["c3"], FOUND, days_ago(1), removed=True)
    return {"p": p, "q": q, "k": k, "l": l_, "m": m, "a": pa, "c": pc, "d": pd, "e": pe}


def period() -> dict[str, datetime]:
    now = clock.now()
    return {"since": now - timedelta(days=30), "until": now}


def test_the_threshold_is_three_children() -> None:
    assert hotspots.MIN_CHILDREN == 3


def test_a_council_s_hotspots_are_ranked_by_children_then_episodes(w: dict[str, Any]) -> None:
    found = hotspots.for_council(w["k"], **period())
    assert [(h.key, h.children, h.episodes, h.previous_children) for h in found] == [
        ("area-AB1 2", 5, 7, 3),
        (f"place-{w['a'].pk}", 3, 5, 3),
        (f"place-{w['c'].pk}", 3, 3, 1),
    ]
    area, bandstand, station = found
    assert (area.kind, area.place_id, area.postcode_area, area.places) == ("area", None, "AB1 2", 2)
    assert area.label == "Postcode sector AB1 2"
    assert (bandstand.kind, bandstand.label, bandstand.postcode_area) == (
        "place",
        "Bandstand",
        "AB1 2",
    )
    assert abs((bandstand.last_at - days_ago(2)).total_seconds()) < 60
    assert abs((station.last_at - days_ago(1)).total_seconds()) < 60
    # The area's point is the middle of its two places.
    assert area.latitude == pytest.approx(52.015)
    assert area.longitude == pytest.approx(-1.015)


def test_rising_hotspots_had_fewer_children_in_the_period_before(w: dict[str, Any]) -> None:
    assert [h.key for h in hotspots.rising(w["k"], **period())] == [
        "area-AB1 2",
        f"place-{w['c'].pk}",
    ]


def test_a_force_s_hotspots_break_ties_by_recency(w: dict[str, Any]) -> None:
    assert [h.key for h in hotspots.for_force(w["p"], **period())] == [
        "area-AB1 2",
        f"place-{w['a'].pk}",
        f"place-{w['c'].pk}",
        f"place-{w['d'].pk}",
    ]
    assert [h.key for h in hotspots.for_force(w["q"], **period())] == [f"place-{w['e'].pk}"]


def test_host_area_hotspots_both_ways(w: dict[str, Any]) -> None:
    assert [(h.key, h.children) for h in hotspots.for_host_area(w["k"], **period())] == [
        (f"place-{w['d'].pk}", 3)
    ]
    assert [(h.key, h.children) for h in hotspots.for_host_area(w["l"], **period())] == [
        (f"place-{w['d'].pk}", 3)
    ]
    assert hotspots.for_host_area(w["m"], **period()) == []


def test_the_period_before_alone_has_one_hotspot(w: dict[str, Any]) -> None:
    # 30 to 60 days ago: A had c1, c2, c3; C had only c1. A is new in that period.
    now = clock.now()
    found = hotspots.for_council(
        w["k"], since=now - timedelta(days=60), until=now - timedelta(days=30)
    )
    assert [(h.key, h.children, h.previous_children) for h in found] == [
        (f"place-{w['a'].pk}", 3, 0)
    ]


def test_one_query(w: dict[str, Any], django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        hotspots.for_force(w["p"], **period())
