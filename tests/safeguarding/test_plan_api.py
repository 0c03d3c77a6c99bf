"""The plan through the API: the same service as the pages, the same refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from homeward.audit.models import AuditEvent
from homeward.core import clock
from homeward.organisations.models import Role, User
from homeward.safeguarding.models import PlanVersion
from tests import factories
from tests.actors import user_of
from tests.apiclient import ApiClient, token_for
from tests.safeguarding.factories_plan import STEPS, in_weeks, world

pytestmark = pytest.mark.django_db


def body(owner: User, **changes: Any) -> dict[str, Any]:
    sent: dict[str, Any] = {
        "risks": "Meets older men near Ashcombe station",
        "if_missing": STEPS,
        "report_after_minutes": 30,
        "review_date": in_weeks(4).isoformat(),
        "owner_id": owner.pk,
        "agencies": [{"agency": "School", "will_do": "Ring at 9.30 if absent", "owner": "Head"}],
        "actions": [
            {"action": "Safety plan", "owner": "Sam", "due": in_weeks(1).isoformat(), "done": False}
        ],
    }
    sent.update(changes)
    return sent


def test_put_makes_versions_and_get_reads_each(api: ApiClient) -> None:
    w = world()
    worker = api.as_(token_for(w.social_worker))
    first = worker.request("PUT", f"/api/v1/children/{w.child.pk}/plan", json_body=body(w.worker))
    assert first.status == 200, first.body
    assert first.body["number"] == 1
    manager = api.as_(token_for(w.manager))
    stale = manager.request(
        "PUT", f"/api/v1/children/{w.child.pk}/plan", json_body=body(w.worker, change_note="x")
    )
    assert stale.status == 409
    second = manager.request(
        "PUT",
        f"/api/v1/children/{w.child.pk}/plan",
        json_body=body(w.coordinator, version=1, change_note="Coordinator takes it on"),
    )
    assert second.status == 200, second.body
    home = api.as_(token_for(w.care_staff))
    current = home.get(f"/api/v1/children/{w.child.pk}/plan")
    assert current.body["number"] == current.body["version"] == 2
    assert current.body["owner"]["id"] == w.coordinator.pk
    versions = home.get(f"/api/v1/children/{w.child.pk}/plan/versions").body["versions"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["changed"] == ["Named owner"]
    assert versions[0]["changed_by"]["id"] == user_of(w.manager).pk
    old = home.get(f"/api/v1/children/{w.child.pk}/plan/versions/1").body
    assert old["owner"]["id"] == w.worker.pk
    assert old["if_missing"] == STEPS
    refused = home.request(
        "PUT",
        f"/api/v1/children/{w.child.pk}/plan",
        json_body=body(w.worker, version=2, change_note="Home"),
    )
    assert refused.status == 403
    assert PlanVersion.objects.count() == 2


def test_row_errors_name_the_row(api: ApiClient) -> None:
    w = world()
    worker = api.as_(token_for(w.social_worker))
    sent = body(w.worker, agencies=[{"agency": "School"}])
    response = worker.request("PUT", f"/api/v1/children/{w.child.pk}/plan", json_body=sent)
    assert response.status == 422
    assert "Agency 1: enter what they will do" in str(response.problem)


def test_no_plan_and_no_child_look_the_same_to_a_stranger(api: ApiClient) -> None:
    w = world()
    stranger = api.as_(
        token_for(factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory()))
    )
    assert stranger.get(f"/api/v1/children/{w.child.pk}/plan").status == 404
    put = stranger.request("PUT", f"/api/v1/children/{w.child.pk}/plan", json_body=body(w.worker))
    assert put.status == 404


def test_whoever_reports_through_the_api_is_given_the_plans_steps(api: ApiClient) -> None:
    w = world()
    worker = api.as_(token_for(w.social_worker))
    assert (
        worker.request(
            "PUT", f"/api/v1/children/{w.child.pk}/plan", json_body=body(w.worker)
        ).status
        == 200
    )
    officer = api.as_(token_for(w.officer))
    sent = {
        "child_id": w.child.pk,
        "classification": "M",
        "last_seen_at": (clock.now() - timedelta(hours=1)).isoformat(),
        "last_seen_location": "Ashcombe station",
        "missing_from": "placement",
        "reporter_type": "police",
        "risk_grade": "medium",
        "risk_rationale": "Has gone before",
    }
    reported = officer.post("/api/v1/episodes", sent)
    assert reported.status == 201, reported.body
    assert reported.body["plan_if_missing"] == {
        "version": 1,
        "steps": STEPS,
        "report_after_minutes": 30,
    }
    assert AuditEvent.objects.filter(
        object_type="risk_plan", child_id=w.child.pk, user=user_of(w.officer)
    ).exists()


def test_a_child_with_no_plan_is_reported_with_none(api: ApiClient) -> None:
    w = world()
    officer = api.as_(token_for(w.officer))
    reported = officer.post(
        "/api/v1/episodes",
        {
            "child_id": w.child.pk,
            "classification": "M",
            "last_seen_at": (clock.now() - timedelta(hours=1)).isoformat(),
            "last_seen_location": "Ashcombe station",
            "missing_from": "placement",
            "reporter_type": "police",
            "risk_grade": "medium",
            "risk_rationale": "Has gone before",
        },
    )
    assert reported.status == 201, reported.body
    assert reported.body["plan_if_missing"] is None
