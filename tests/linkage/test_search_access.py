"""Find before create looks across the country without leaking: a match the searcher may
not see is only its council, strength, grounds and a token; one they may see is theirs.
Every search is audited, never with what was typed."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied
from homeward.linkage import tokens
from homeward.linkage.search import find
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.linkage.helpers import held, query

pytestmark = pytest.mark.django_db

DOB = date(2010, 11, 23)


@pytest.fixture
def far_away() -> Organisation:
    return factories.CouncilFactory(police_force=factories.PoliceForceFactory())


def test_a_match_held_far_away_shows_only_who_holds_it(
    police_officer: Actor, far_away: Organisation
) -> None:
    child = held("Tyrone", "Holby", DOB, responsible_council=far_away, nhs_number="9434765919")
    [match] = find(police_officer, query("Tyrin", "Holbey", DOB, nhs_number="9434765919"))
    assert match.visible is False
    assert (match.held_by, match.held_by_id) == (far_away.name, far_away.pk)
    assert match.token
    shown = json.dumps([match.held_by, match.strength, match.grounds, match.token])
    for secret in ("Tyrone", "Holby", "2010", "9434765919", str(DOB)):
        assert secret not in shown
    assert tokens.redeem(police_officer, match.token) == child.pk


def test_a_match_the_searcher_may_see_is_marked_visible_without_a_token(
    social_worker: Actor, council: Organisation
) -> None:
    child = held("Tyrone", "Holby", DOB, responsible_council=council)
    [match] = find(social_worker, query("Tyrone", "Holby", DOB))
    assert (match.child_id, match.visible, match.token) == (child.pk, True, "")


def test_the_police_of_the_placement_area_see_the_match(
    police_officer: Actor, far_away: Organisation, council: Organisation
) -> None:
    child = held("Tyrone", "Holby", DOB, responsible_council=far_away)
    factories.place(child, host=council)
    [match] = find(police_officer, query("Tyrone", "Holby", DOB))
    assert match.visible is True
    assert match.held_by_id == far_away.pk


def test_grounds_never_carry_the_values(police_officer: Actor, far_away: Organisation) -> None:
    held("Katherine", "Okafor-Brennan", DOB, responsible_council=far_away,
         aliases=("Kate Marsh",), reference="NW-81822", postcode="LS6")  # fmt: skip
    matches = find(
        police_officer,
        query("Kate", "Marsh", date(2010, 11, 23), agency_reference="NW-81822", postcode="LS6 1AA"),
    )
    [match] = matches
    for ground in match.grounds:
        for secret in ("Kat", "Marsh", "Okafor", "Brennan", "NW-", "LS6", "2010", "23"):
            assert secret not in ground


def test_every_search_is_audited_without_what_was_typed(
    police_officer: Actor, far_away: Organisation, council: Organisation
) -> None:
    hidden = held("Tyrone", "Holby", DOB, responsible_council=far_away)
    seen = held("Tyrone", "Holby", DOB, responsible_council=council)
    find(police_officer, query("Tyrin", "Holbey", DOB))
    factories.place(seen, host=council)  # the force sees it from now on
    matches = find(police_officer, query("Tyrin", "Holbey", DOB))
    assert {m.child_id: m.visible for m in matches} == {hidden.pk: False, seen.pk: True}
    searches = AuditEvent.objects.filter(action="find_before_create").order_by("sequence")
    assert searches.count() == 2
    last = searches.last()
    assert last is not None
    assert last.user == police_officer.user
    assert last.details["matches"] == 2
    assert sorted(last.details["children"]) == sorted([hidden.pk, seen.pk])
    assert last.details["shown"] == [seen.pk]
    recorded = json.dumps(list(AuditEvent.objects.values("details", "object_id")), default=str)
    assert "Tyrin" not in recorded
    assert "Holbey" not in recorded
    assert str(DOB) not in recorded


def test_a_visible_match_shown_is_a_read_of_that_childs_record(
    social_worker: Actor, council: Organisation, far_away: Organisation
) -> None:
    mine = held("Tyrone", "Holby", DOB, responsible_council=council)
    theirs = held("Tyrone", "Holby", DOB, responsible_council=far_away)
    find(social_worker, query("Tyrone", "Holby", DOB))
    reads = AuditEvent.objects.filter(action="search_result").values_list("child_id", flat=True)
    assert list(reads) == [mine.pk]
    # The other council's trail records that a search matched its child, not who it was.
    matched = AuditEvent.objects.get(action="matched_search")
    assert matched.child_id == theirs.pk


def test_a_search_finding_nothing_is_audited_too(police_officer: Actor) -> None:
    assert find(police_officer, query("Nobody", "Atall", DOB)) == []
    event = AuditEvent.objects.get(action="find_before_create")
    assert event.details == {"matches": 0, "children": [], "shown": []}


def test_a_role_that_sees_no_child_cannot_search(council: Organisation, child: Child) -> None:
    analyst = factories.actor(Role.BOARD_MEMBER, council)
    with pytest.raises(AccessDenied):
        find(analyst, query("Tyrone", "Holby", DOB))


def test_a_match_is_plain_data(police_officer: Actor, far_away: Organisation) -> None:
    held("Tyrone", "Holby", DOB, responsible_council=far_away)
    [match] = find(police_officer, query("Tyrone", "Holby", DOB))
    assert set(dataclasses.asdict(match)) == {
        "child_id", "visible", "held_by", "held_by_id", "strength", "probability", "grounds",
        "token",
    }  # fmt: skip
