"""The peer view on the web and through the API: the group with identities only for a
viewer who sees every child in it, counts only otherwise (no name, id or date of a child
they may not see, in the page or the API), the over-time table, refusals and the audit.

The world is factories_peers.world(): council K sees Amy, Ben and Cal, not Dee (council
L's, missing only in force Q's area). Dee is in Amy's group through Mr Grey."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from homeward.audit.models import AuditEvent
from homeward.organisations.models import Role
from tests import factories
from tests.actors import user_of
from tests.apiclient import ApiClient, token_for
from tests.safeguarding import factories_peers as fp

pytestmark = pytest.mark.django_db
DASH = "\u2013"  # a date not known
FEB = "20 February 2026"


def page(role: str, org: Any, url: str) -> tuple[int, str]:
    client = Client()
    client.force_login(user_of(factories.actor(role, org)))
    response = client.get(url)
    return response.status_code, html.unescape(response.content.decode())


def ids_in(value: Any) -> set[int]:
    """Every number under a "child_id" or "children" key, anywhere in an API answer."""
    found: set[int] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "child_id" and isinstance(item, int):
                found.add(item)
            elif key == "children" and isinstance(item, list):
                found |= {i for i in item if isinstance(i, int)}
            found |= ids_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= ids_in(item)
    return found


def test_a_group_with_a_child_not_seen_shows_counts_only_on_the_page() -> None:
    w = fp.world()
    status, body = page(Role.COUNCIL_MISSING_COORDINATOR, w.council, f"/children/{w.amy.pk}/peers")
    assert status == 200
    assert "only its counts are shown" in body
    # 4 children, 3 times together, 1 place, 1 person (worked out in test_peer_derivation).
    counts = re.findall(r'summary-list__value">(\d+)<', body)
    assert counts == ["4", "3", "1", "1"]
    for name in ("Ben", "Cal", "Dee", "Riverside", "Grey", "2026"):
        assert name not in body, name
    assert f"/children/{w.dee.pk}" not in body
    assert "app-peers__graph" not in body


def test_the_api_gives_counts_only_and_no_child_id(api: ApiClient) -> None:
    w = fp.world()
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, w.council)
    answer = api.as_(token_for(coordinator)).request("GET", f"/api/v1/children/{w.amy.pk}/peers")
    assert answer.status == 200, answer.body
    group = answer.body["group"]
    assert group["identified"] is False
    assert (group["children_count"], group["times_together"]) == (4, 3)
    assert (group["places_count"], group["persons_count"]) == (1, 1)
    assert group["children"] == group["pairs"] == group["over_time"] == group["links"] == []
    assert group["first_together"] is None
    assert ids_in(answer.body) == {w.amy.pk}  # the child asked about, and nobody else
    assert "Dee" not in str(answer.body)
    groups = api.as_(token_for(coordinator)).request("GET", "/api/v1/peer-groups")
    assert groups.status == 200, groups.body
    assert [g["identified"] for g in groups.body["groups"]] == [False]
    assert ids_in(groups.body) == set()


def test_seeing_every_child_shows_the_graph_and_the_tables() -> None:
    w = fp.world()
    factories.place(w.dee, host=w.council)  # placed in K's area: K now sees Dee
    status, body = page(Role.SOCIAL_WORKER, w.council, f"/children/{w.amy.pk}/peers")
    assert status == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="app-peers__graph" role="img"' in body
    assert "<title>Amy Tester and Ben Tester: missing together 3 times" in body
    assert "<title>Place: Riverside flats, linked to Amy Tester and Cal Tester</title>" in body
    rows = _rows(body, "pairs")
    assert rows == [
        ["Amy Tester", "Ben Tester", "3", "10 January 2026", "15 April 2026", "None", "None"],
        ["Amy Tester", "Cal Tester", "1", FEB, FEB, "Riverside flats", "None"],
        ["Ben Tester", "Cal Tester", "1", FEB, FEB, "None", "None"],
        ["Cal Tester", "Dee Tester", "0", DASH, DASH, "None", "Mr Grey"],
    ]


def test_the_over_time_table_counts_each_pair_by_quarter() -> None:
    w = fp.world()
    factories.place(w.dee, host=w.council)
    _status, body = page(Role.SOCIAL_WORKER, w.council, f"/children/{w.amy.pk}/peers")
    # Pairs in order Amy-Ben, Amy-Cal, Ben-Cal, Cal-Dee; then all pairs.
    assert _rows(body, "over-time") == [
        ["2026 Q1", "2", "1", "1", "0", "4"],
        ["2026 Q2", "1", "0", "0", "0", "1"],
    ]


def _rows(body: str, table_id: str) -> list[list[str]]:
    match = re.search(rf'<table class="govuk-table" id="{table_id}">.*?</table>', body, re.S)
    assert match, f"no table {table_id}"
    tbody = match[0].split("<tbody", 1)[1]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)
    ]


def test_the_read_is_audited_with_each_child_named() -> None:
    w = fp.world()
    factories.place(w.dee, host=w.council)
    worker = factories.actor(Role.SOCIAL_WORKER, w.council)
    client = Client()
    client.force_login(user_of(worker))
    assert client.get(f"/children/{w.amy.pk}/peers").status_code == 200
    events = AuditEvent.objects.filter(user=worker.user)
    assert events.filter(action="view", object_type="peers", child_id=w.amy.pk).count() == 1
    listed = set(events.filter(action="list_result").values_list("child_id", flat=True))
    assert listed == {w.ben.pk, w.cal.pk, w.dee.pk}


def test_a_child_with_no_group_and_who_is_refused() -> None:
    w = fp.world()
    status, body = page(Role.SOCIAL_WORKER, w.council, f"/children/{w.eve.pk}/peers")
    assert status == 200
    assert "has not been recorded as going missing with another child" in body
    # Council K does not see Dee at all: as if there were no such child.
    assert page(Role.SOCIAL_WORKER, w.council, f"/children/{w.dee.pk}/peers")[0] == 404
    home = factories.CareProviderFactory(area_council=w.council)
    factories.place(w.amy, provider=home, host=w.council)
    assert page(Role.CARE_STAFF, home, f"/children/{w.amy.pk}/peers")[0] == 403
    assert page(Role.BOARD_MEMBER, w.council, "/peers/groups")[0] == 403


def test_the_groups_page_lists_each_group_largest_first() -> None:
    w = fp.world()
    factories.place(w.dee, host=w.council)
    status, body = page(Role.COUNCIL_MISSING_COORDINATOR, w.council, "/peers/groups")
    assert status == 200
    assert body.count('class="app-peers__graph"') == 1
    assert "Group 1" in body
    assert "Group 2" not in body
    assert _rows(body, "group-1-pairs")[0][:3] == ["Amy Tester", "Ben Tester", "3"]
    # Force Q sees only Dee: the same group, counts only.
    status, body = page(Role.POLICE_MISSING_COORDINATOR, w.other_force, "/peers/groups")
    assert status == 200
    assert "only its counts are shown" in body
    assert "Amy" not in body
    assert "Dee" not in body
