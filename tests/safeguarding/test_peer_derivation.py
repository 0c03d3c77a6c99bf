"""Who goes missing with whom, derived from a hand-built area (factories_peers.world()).

The answers, worked out by hand from the fixture:

- One group: Amy, Ben, Cal and Dee. Eve (missing alone, nothing shared) is in none.
- Amy-Ben: 3 times together (2026-01-10, 2026-02-20, 2026-04-15): first 10 January, last
  15 April; 2026 Q1: 2, 2026 Q2: 1. No shared place (Ben was only last seen at the
  flats), no shared person.
- Amy-Cal: once (2026-02-20), and both found or stayed at the Riverside flats.
- Ben-Cal: once (2026-02-20).
- Cal-Dee: never together; both linked to Mr Grey.
- Times together (incidents): 3 (10 Jan, 20 Feb, 15 Apr); joint episodes over the
  pairs: 3 + 1 + 1 = 5. One place and one person join them.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from homeward.core import clock
from homeward.safeguarding.models import PlaceRole
from homeward.safeguarding.services import peer_graph
from tests import factories
from tests.safeguarding import factories_peers as fp

pytestmark = pytest.mark.django_db


def _by_names(group: peer_graph.Group, w: fp.PeerWorld) -> dict[tuple[str, str], peer_graph.Pair]:
    name = {c.person_id: c.first_name for c in (w.amy, w.ben, w.cal, w.dee, w.eve)}
    return {(name[p.a], name[p.b]): p for p in group.pairs}


def test_the_group_its_pairs_and_what_joins_them() -> None:
    w = fp.world()
    group = peer_graph.group_of(w.amy, police=False)
    assert group is not None
    assert group.persons == sorted(c.person_id for c in (w.amy, w.ben, w.cal, w.dee))
    pairs = _by_names(group, w)
    assert set(pairs) == {("Amy", "Ben"), ("Amy", "Cal"), ("Ben", "Cal"), ("Cal", "Dee")}
    ab = pairs[("Amy", "Ben")]
    assert (ab.together, ab.first, ab.last) == (3, date(2026, 1, 10), date(2026, 4, 15))
    assert ab.by_quarter == {"2026 Q1": 2, "2026 Q2": 1}
    assert (ab.places, ab.persons) == (set(), set())
    assert (pairs[("Amy", "Cal")].together, pairs[("Amy", "Cal")].places) == (1, {w.flats.pk})
    assert pairs[("Ben", "Cal")].together == 1
    cd = pairs[("Cal", "Dee")]
    assert (cd.together, cd.first, cd.persons) == (0, None, {w.grey.pk})
    assert group.occasions == 3
    assert group.episodes_together == 5
    assert set(group.places) == {w.flats.pk}
    assert set(group.concern) == {w.grey.pk}
    assert (group.first_seen, group.last_seen) == (date(2026, 1, 10), date(2026, 4, 15))
    assert group.quarters == ["2026 Q1", "2026 Q2"]
    # From any member the same group; Eve is in none.
    assert peer_graph.group_of(w.dee, police=False) == group
    assert peer_graph.group_of(w.eve, police=False) is None


def test_a_police_only_link_joins_only_for_the_police() -> None:
    w = fp.world()
    w.grey.links.update(police_only=True)
    council_view = peer_graph.group_of(w.amy, police=False)
    assert council_view is not None
    assert w.dee.person_id not in council_view.persons  # only Grey joined Dee
    police_view = peer_graph.group_of(w.amy, police=True)
    assert police_view is not None
    assert w.dee.person_id in police_view.persons


def test_a_removed_link_joins_nothing() -> None:
    w = fp.world()
    w.flats.links.update(removed_at=clock.now())
    group = peer_graph.group_of(w.amy, police=False)
    assert group is not None
    assert group.places == {}
    assert _by_names(group, w)[("Amy", "Cal")].places == set()


def test_two_records_of_one_child_are_one_node() -> None:
    """A police record of Amy (Amy 2) went missing with Eve; linked as Amy, Eve joins the
    group and Amy is still one node, with Amy-Eve together once."""
    w = fp.world()
    amy2 = factories.ChildFactory(
        first_name="Amy", last_name="Tester", responsible_council=w.council
    )
    fp.together(fp.episode(amy2, "2026-05-02"), fp.episode(w.eve, "2026-05-02"))
    before = peer_graph.group_of(w.amy, police=False)
    assert before is not None
    assert w.eve.person_id not in before.persons
    # What linking the records does to them (homeward.linkage): one person.
    amy2.person_id = w.amy.person_id
    amy2.save()
    group = peer_graph.group_of(w.amy, police=False)
    assert group is not None
    assert len(group.persons) == 5
    assert w.eve.person_id in group.persons
    assert group.records >= {w.amy.pk, amy2.pk}
    eve = [p for p in group.pairs if w.eve.person_id in (p.a, p.b)]
    assert [(p.together, p.first) for p in eve] == [(1, date(2026, 5, 2))]


def test_a_place_connects_children_there_within_two_days_and_joins_nobody() -> None:
    """Eve was found at the Riverside flats a month before Amy: the flats do not connect
    them, and Eve joins no group by a place alone, even 47 hours from Amy's second visit.
    Once Eve goes missing with Amy, the flats connect them (the 47-hour visit), not the
    visit a month apart. "Goes there" never connects: it is dated when it was written."""
    w = fp.world()
    amy_at = w.flats.links.get(child=w.amy).occurred_at
    month_before = amy_at - timedelta(days=30)
    fp.at_place(w.eve, w.flats, occurred_at=month_before)
    fp.at_place(w.dee, w.flats, PlaceRole.FREQUENTED, occurred_at=amy_at)
    fp.at_place(w.amy, w.flats, occurred_at=month_before + timedelta(hours=47))
    group = peer_graph.group_of(w.amy, police=False)
    assert group is not None
    assert w.eve.person_id not in group.persons  # a place alone joins nobody
    assert group.places == {w.flats.pk: {w.amy.person_id, w.cal.person_id}}
    fp.together(fp.episode(w.amy, "2026-06-01"), fp.episode(w.eve, "2026-06-01"))
    later = peer_graph.group_of(w.amy, police=False)
    assert later is not None
    assert _by_names(later, w)[("Amy", "Eve")].places == {w.flats.pk}
    assert later.places[w.flats.pk] == {w.amy.person_id, w.cal.person_id, w.eve.person_id}
