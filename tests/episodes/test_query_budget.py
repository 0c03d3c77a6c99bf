"""Query budgets of the episode paths (tests/budgets.py): reporting a child missing and
recording the return, on the web and through the API, the episode page, the API's reads,
and every role's home page. Each path runs as a signed-in user who has already made a
request (the session and the token are warm), with five episodes about where a list is
read, so a query per row would show."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Episode, EpisodeStatus
from homeward.organisations.models import ROLES_BY_KIND, Organisation, OrganisationKind, Role
from tests import factories
from tests.budgets import within
from tests.episodes.test_views import report_data, when

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

# name: (SQLite, PostgreSQL). PostgreSQL's extra statements are the advisory locks taken
# before each refresh of a child's figures (one per refresh).
# A report gives the child's missing profile to the force (homeward.safeguarding): one
# query finds there is none; the API's answer carries the profile, one query more, and the
# plan's "if missing" steps, one more.
BUDGETS = {
    "report_web": (24, 25),
    "report_api": (25, 26),
    # With an Idempotency-Key (homeward.core.idempotency): the stored answer's insert and
    # the block that holds it with the report (a savepoint here, inside the test's
    # transaction; the transaction itself in production). A first request is not looked up.
    "report_api_keyed": (28, 29),
    # A return withdraws any public appeal still live (homeward.safeguarding): one query
    # finds there is none.
    "return_web": (31, 32),
    "return_api": (45, 46),
    "episode_page": (21, 21),  # 21 since the Places panel (one query, issue 15)
    "api_episode": (18, 18),
    "api_episodes": (7, 7),
}
HOME_BUDGETS = {
    "police_call_handler": (9, 9),
    "police_officer": (9, 9),
    "police_missing_coordinator": (15, 15),
    "social_worker": (10, 10),
    "council_missing_coordinator": (17, 17),
    "council_manager": (17, 17),
    "care_staff": (6, 6),
    "care_manager": (6, 6),
    "rhi_worker": (5, 5),
    "board_member": (3, 3),
    "national_analyst": (3, 3),
    "org_admin": (3, 3),
}


def signed_in(role: str, organisation: Organisation) -> Client:
    client = Client()
    client.force_login(factories.member(role, organisation))
    assert client.get("/").status_code == 200  # a first page: the session is warm
    return client


def with_token(actor: Actor) -> Client:
    assert actor.user is not None
    client = Client(headers={"Authorization": f"Bearer {factories.api_token(actor.user)}"})
    assert client.get("/api/v1/episodes").status_code == 200  # the token's use is recorded
    return client


def post_json(client: Client, url: str, body: dict[str, Any]) -> Response:
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def returned(actor: Actor, child: Child) -> Episode:
    episode = factories.report(actor, child, hours_ago=30)
    return episodes.record_return(
        actor,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=episode.last_seen_at + timedelta(hours=6), return_method="returned_self"
        ),
    )


def several(council: Organisation, social_worker: Actor, n: int) -> list[Episode]:
    """n episodes of n children, returned and missing in turn (the first returned)."""
    made = []
    for i in range(n):
        child = factories.ChildFactory(responsible_council=council)
        made.append(
            returned(social_worker, child)
            if i % 2 == 0
            else factories.report(social_worker, child, hours_ago=3 + i)
        )
    return made


def test_reporting_on_the_web(council: Organisation, child: Child, social_worker: Actor) -> None:
    several(council, social_worker, 1)
    client = signed_in(Role.SOCIAL_WORKER, council)
    with within("report_web", BUDGETS):
        response = client.post(f"/children/{child.pk}/report-missing", report_data())
    assert response.status_code == 302
    assert Episode.objects.get(child=child).status == EpisodeStatus.MISSING


def api_report(child: Child) -> dict[str, Any]:
    return {
        "child_id": child.pk,
        "classification": "M",
        "last_seen_at": (clock.now() - timedelta(hours=3)).isoformat(),
        "last_seen_location": "Near the canal bridge",
        "missing_from": "home",
        "reporter_type": "parent",
        "risk_grade": "medium",
        "risk_rationale": "First time missing; phone switched off",
    }


@pytest.mark.parametrize("keyed", [False, True])
def test_reporting_through_the_api(
    council: Organisation, child: Child, social_worker: Actor, keyed: bool
) -> None:
    several(council, social_worker, 1)
    client = with_token(social_worker)
    headers = {"Idempotency-Key": "report-budget-0001"} if keyed else {}
    with within("report_api_keyed" if keyed else "report_api", BUDGETS):
        response = client.post(
            "/api/v1/episodes",
            json.dumps(api_report(child), default=str),
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code == 201
    assert Episode.objects.get(child=child).reference == response.json()["reference"]


def test_recording_the_return_on_the_web(
    police: Organisation, child: Child, social_worker: Actor
) -> None:
    episode = factories.report(social_worker, child, hours_ago=5)
    client = signed_in(Role.POLICE_OFFICER, police)
    data = {
        "version": episode.version,
        **when("returned_at", clock.now() - timedelta(minutes=5)),
        "return_method": "found_by_police",
        "found_location": "A flat on Mill Road",
    }
    with within("return_web", BUDGETS):
        response = client.post(f"/episodes/{episode.reference}/return", data)
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.RETURNED
    assert episode.return_interviews.count() == 1


def test_recording_the_return_through_the_api(
    child: Child, social_worker: Actor, police_officer: Actor
) -> None:
    episode = factories.report(social_worker, child, hours_ago=5)
    client = with_token(police_officer)
    body = {
        "returned_at": (clock.now() - timedelta(minutes=10)).isoformat(),
        "return_method": "found_by_police",
        "found_location": "Bus station",
        "version": episode.version,
    }
    with within("return_api", BUDGETS):
        response = post_json(client, f"/api/v1/episodes/{episode.reference}/return", body)
    assert response.status_code == 200
    assert response.json()["status"] == "returned"


@pytest.mark.parametrize("n", [1, 5])
def test_the_episode_page(council: Organisation, social_worker: Actor, n: int) -> None:
    episode = several(council, social_worker, n)[0]
    client = signed_in(Role.SOCIAL_WORKER, council)
    with within("episode_page", BUDGETS):
        response = client.get(f"/episodes/{episode.reference}/")
    assert response.status_code == 200
    assert episode.reference in response.content.decode()


@pytest.mark.parametrize("n", [1, 5])
def test_the_api_reads_an_episode_and_lists_them(
    council: Organisation, social_worker: Actor, n: int
) -> None:
    made = several(council, social_worker, n)
    client = with_token(social_worker)
    with within("api_episode", BUDGETS):
        response = client.get(f"/api/v1/episodes/{made[0].reference}")
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    with within("api_episodes", BUDGETS):
        response = client.get("/api/v1/episodes")
    assert response.status_code == 200
    assert len(response.json()["items"]) == n


def organisation_for(role: str, council: Organisation, police: Organisation) -> Organisation:
    if role in ROLES_BY_KIND[OrganisationKind.COUNCIL]:
        return council
    if role in ROLES_BY_KIND[OrganisationKind.POLICE]:
        return police
    kind = next(kind for kind, roles in ROLES_BY_KIND.items() if role in roles)
    return Organisation.objects.create(kind=kind, name=f"A {kind}", code=f"{kind[:3].upper()}1")


@pytest.mark.parametrize("n", [1, 5])
@pytest.mark.parametrize("role", list(HOME_BUDGETS))
def test_each_roles_home_page(
    council: Organisation, police: Organisation, social_worker: Actor, role: str, n: int
) -> None:
    several(council, social_worker, n)
    client = signed_in(role, organisation_for(role, council, police))
    with within(role, HOME_BUDGETS):
        response = client.get("/")
    assert response.status_code == 200
