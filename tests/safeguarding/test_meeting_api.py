"""The meetings API: the same services as the pages, for a client of the council's."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from homeward.core import clock
from homeward.organisations.models import Role
from homeward.safeguarding.models import Meeting, MeetingAction
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_meetings import agenda_world

pytestmark = pytest.mark.django_db
J = "application/json"


def bearer(user: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user)}"}  # type: ignore[arg-type]


def test_open_a_panel_record_a_decision_and_an_action_and_mark_it_done() -> None:
    w = agenda_world()
    api = Client()
    coordinator = bearer(user_of(w.coordinator))
    when = (clock.now() - timedelta(hours=1)).isoformat()
    opened = api.post(
        "/api/v1/meetings",
        json.dumps(
            {
                "kind": "panel",
                "scheduled_for": when,
                "location": "Room 4",
                "members": [{"organisation_id": w.police.pk, "name": "DS Hale", "role": "MPC"}],
            }
        ),
        content_type=J,
        headers={**coordinator, "Idempotency-Key": "open-1"},
    )
    assert opened.status_code == 201, opened.content
    body = opened.json()
    meeting_id = body["id"]
    sections = {s["key"]: s for s in body["agenda"]}
    assert [i["children"][0]["child_id"] for i in sections["repeat"]["items"]] == [w.a.pk]
    member = body["members"][0]["id"]
    assert (
        api.post(
            f"/api/v1/meetings/{meeting_id}/attendance",
            json.dumps({"members": {str(member): "attended"}}),
            content_type=J,
            headers=coordinator,
        ).json()["members"][0]["attendance"]
        == "attended"
    )
    decided = api.post(
        f"/api/v1/meetings/{meeting_id}/decisions",
        json.dumps({"text": "Refer to MACE", "agenda_item": f"repeat:{w.a.pk}"}),
        content_type=J,
        headers=coordinator,
    )
    assert decided.status_code == 201
    assert decided.json()["decisions"][0]["child_id"] == w.a.pk
    due = (clock.now() + timedelta(days=7)).date().isoformat()
    acted = api.post(
        f"/api/v1/meetings/{meeting_id}/actions",
        json.dumps({"text": "Visit A", "owner_id": w.worker.pk, "due_on": due}),
        content_type=J,
        headers=coordinator,
    )
    assert acted.status_code == 201, acted.content
    worker = bearer(w.worker)
    mine = api.get("/api/v1/meeting-actions", headers=worker).json()["items"]
    assert [a["text"] for a in mine] == ["Visit A"]
    done = api.post(
        f"/api/v1/meeting-actions/{mine[0]['id']}/done",
        json.dumps({"done_note": "Visited"}),
        content_type=J,
        headers=worker,
    )
    assert done.status_code == 200
    assert done.json()["done_note"] == "Visited"
    held = api.post(f"/api/v1/meetings/{meeting_id}/hold", headers=coordinator)
    assert held.status_code == 200
    assert held.json()["status"] == "held"
    again = api.post(f"/api/v1/meetings/{meeting_id}/agenda", headers=coordinator)
    assert again.status_code == 422
    pdf = api.get(f"/api/v1/meetings/{meeting_id}/pack.pdf", headers=coordinator)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    listed = api.get("/api/v1/meetings", headers=coordinator).json()
    assert [m["id"] for m in listed["items"]] == [meeting_id]
    assert MeetingAction.objects.get().done_at is not None


def test_bad_input_names_the_field_and_strangers_get_nothing() -> None:
    w = agenda_world()
    api = Client()
    coordinator = bearer(user_of(w.coordinator))
    refused = api.post(
        "/api/v1/meetings",
        json.dumps({"kind": "strategy", "scheduled_for": clock.now().isoformat()}),
        content_type=J,
        headers=coordinator,
    )
    assert refused.status_code == 422
    assert "child_id" in refused.content.decode()
    meeting = api.post(
        "/api/v1/meetings",
        json.dumps({"kind": "panel", "scheduled_for": clock.now().isoformat()}),
        content_type=J,
        headers=coordinator,
    ).json()
    stranger = bearer(factories.member(Role.COUNCIL_MISSING_COORDINATOR, w.other))
    assert api.get(f"/api/v1/meetings/{meeting['id']}", headers=stranger).status_code == 404
    worker = bearer(w.worker)
    assert api.post(f"/api/v1/meetings/{meeting['id']}/hold", headers=worker).status_code == 403
    assert Meeting.objects.count() == 1
