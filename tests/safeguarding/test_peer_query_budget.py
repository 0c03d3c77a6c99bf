"""Query budgets of the peer view: the derivation reads a few queries per step out from
the child (joint episodes, places, persons of concern, the records of the persons
reached), never one per child, episode or link."""

from __future__ import annotations

import pytest

from homeward.organisations.models import Role
from homeward.safeguarding.services import peers
from tests import factories
from tests.budgets import within
from tests.safeguarding import factories_peers as fp

pytestmark = pytest.mark.django_db

# One more than the path costs in a fresh database: the audit chain head, read afresh when
# another write moved it, costs a query (tests/audit).
BUDGETS = {"child_peers": (31, 31), "ring_of_twelve": (51, 51), "groups": (23, 23)}


def test_a_childs_group() -> None:
    w = fp.world()
    factories.place(w.dee, host=w.council)
    worker = factories.actor(Role.SOCIAL_WORKER, w.council)
    with within("child_peers", BUDGETS):
        read = peers.read_peers(worker, w.amy.pk)
    assert read.group is not None
    assert read.group.identified


def test_a_larger_group_costs_no_query_per_child() -> None:
    """Twelve children, each out with the next (a ring), all in one step of each other
    but reached one step at a time: what grows is the number of steps, not the children."""
    council = factories.CouncilFactory()
    kids = [factories.ChildFactory(responsible_council=council) for _ in range(12)]
    for i, child in enumerate(kids):
        nxt = kids[(i + 1) % 12]
        fp.together(
            fp.episode(child, f"2026-03-{i + 1:02d}"), fp.episode(nxt, f"2026-03-{i + 1:02d}")
        )
    worker = factories.actor(Role.SOCIAL_WORKER, council)
    with within("ring_of_twelve", BUDGETS):
        read = peers.read_peers(worker, kids[0].pk)
    assert read.group is not None
    assert (read.group.children_count, read.group.identified) == (12, True)


def test_the_groups_page() -> None:
    w = fp.world()
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, w.council)
    with within("groups", BUDGETS):
        found = peers.read_groups(coordinator)
    assert [g.children_count for g in found] == [4]
