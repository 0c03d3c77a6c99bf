"""The protocol's API: the home's steps read and written, a run read with the plan beside
it, a step recorded, the sign-off and a regulation 40 notice; and the figures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homeward.core import clock
from tests.apiclient import ApiClient, token_for
from tests.safeguarding.factories_protocol import a_home, a_plan, reported

pytestmark = pytest.mark.django_db


def iso(minutes_ago: int) -> str:
    return (clock.now() - timedelta(minutes=minutes_ago)).isoformat()


def test_a_manager_writes_the_protocol_and_staff_read_it(api: ApiClient) -> None:
    world = a_home()
    manager = api.as_(token_for(world.manager))
    body = {
        "steps": [{"kind": "search", "text": "Search", "within_minutes": None}],
        "sign_off_hours": 8,
        "version": 1,
    }
    saved = manager.request("PUT", "/api/v1/protocols/home", json_body=body)
    assert saved.status == 200
    assert saved.body["version"] == 2
    stale = manager.request("PUT", "/api/v1/protocols/home", json_body=body)
    assert stale.status == 409
    staff = api.as_(token_for(world.staff))
    assert staff.get("/api/v1/protocols/home").body["steps"][0]["text"] == "Search"
    refused = staff.request("PUT", "/api/v1/protocols/home", json_body={**body, "version": 2})
    assert refused.status == 403


def test_a_run_is_followed_and_signed_off_through_the_api(api: ApiClient) -> None:
    world = a_home()
    a_plan(world.child, minutes=20, if_missing=["Ring her aunt first"])
    ref = reported(world).reference
    staff = api.as_(token_for(world.staff))
    run = staff.get(f"/api/v1/episodes/{ref}/protocol").body
    assert run["police_due_minutes"] == 20
    assert run["plan"]["if_missing"] == ["Ring her aunt first"]
    for position in (1, 2):
        body = {"done": False, "not_done_reason": "Came back"}
        assert staff.post(f"/api/v1/episodes/{ref}/protocol/steps/{position}", body).status == 200
    told = staff.post(
        f"/api/v1/episodes/{ref}/protocol/steps/3", {"done": True, "done_at": iso(10)}
    )
    assert told.body["police_told_at"] is not None
    assert staff.post(f"/api/v1/episodes/{ref}/protocol/sign-off", {"note": "x"}).status == 403
    notice = {"recipient": "placing_council", "notified_at": iso(5), "reason": "Police called"}
    assert staff.post(f"/api/v1/episodes/{ref}/protocol/notices", notice).status == 201
    manager = api.as_(token_for(world.manager))
    signed = manager.post(f"/api/v1/episodes/{ref}/protocol/sign-off", {"note": "Good"})
    assert signed.body["signed_off_at"] is not None
    figures = manager.get("/api/v1/protocols/compliance").body
    assert figures["total"]["runs"] == 1
    assert figures["total"]["signed_off_on_time"] == 1
    other = a_home()
    assert api.as_(token_for(other.staff)).get(f"/api/v1/episodes/{ref}/protocol").status == 404
