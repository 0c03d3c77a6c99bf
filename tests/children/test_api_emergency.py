"""Emergency access and the audit trail through the API: open a record with an exact
identifier and a reason, the council lists and reviews, the coordinator reads who looked.
Every response is checked against the OpenAPI document (tests/apiclient.py)."""

from datetime import datetime, timedelta
from typing import Any

import pytest

from homeward.audit.models import AuditEvent
from homeward.children.models import Child, EmergencyAccess
from homeward.core.actor import Actor
from homeward.organisations.models import Organisation, Role, User
from tests import factories
from tests.actors import organisation_of, user_of
from tests.apiclient import ApiClient, token_for

OPEN = "/api/v1/children/emergency-access"
NHS = "9434765919"
REASON = "Found at the bus station at 3am, need her medical needs and who to call"


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture
def child(council: Organisation) -> Child:
    return factories.ChildFactory(
        responsible_council=council, first_name="Philippa", last_name="Ravensworth", nhs_number=NHS
    )


@pytest.fixture
def outsider() -> Actor:
    return factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())


@pytest.fixture
def as_outsider(api: ApiClient, outsider: Actor) -> ApiClient:
    return api.as_(token_for(outsider))


@pytest.fixture
def coordinator(council: Organisation) -> Actor:
    return factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)


@pytest.fixture
def as_coordinator(api: ApiClient, coordinator: Actor) -> ApiClient:
    return api.as_(token_for(coordinator))


@pytest.fixture
def access(as_outsider: ApiClient, child: Child) -> Any:
    response = as_outsider.post(OPEN, {"identifier": NHS, "reason": REASON})
    assert response.status == 201, response.body
    return response.body


class TestOpen:
    def test_opens_the_record_for_24_hours(
        self, as_outsider: ApiClient, outsider: Actor, child: Child
    ) -> None:
        assert as_outsider.get(f"/api/v1/children/{child.pk}").status == 404
        response = as_outsider.post(OPEN, {"identifier": "943 476 5919", "reason": REASON})
        assert response.status == 201
        body = response.body
        assert response.headers["Location"] == f"/api/v1/children/{child.pk}"
        assert body["child"]["id"] == child.pk
        assert body["child"]["last_name"] == "Ravensworth"
        assert body["username"] == user_of(outsider).get_username()
        assert body["organisation"]["id"] == organisation_of(outsider).pk
        assert body["role"] == "police_officer"
        assert body["reason"] == REASON
        assert body["active"] is True
        assert body["reviewed_at"] is None
        assert when(body["expires_at"]) - when(body["granted_at"]) == timedelta(hours=24)
        read = as_outsider.get(f"/api/v1/children/{child.pk}")
        assert read.status == 200
        assert read.body["nhs_number"] == NHS
        assert AuditEvent.objects.filter(
            action="emergency_access", child_id=child.pk, user=outsider.user, channel="api"
        ).exists()

    def test_a_retry_with_the_same_key_opens_once(
        self, as_outsider: ApiClient, child: Child
    ) -> None:
        key = {"Idempotency-Key": "emergency-1"}
        first = as_outsider.post(OPEN, {"identifier": NHS, "reason": REASON}, headers=key)
        again = as_outsider.post(OPEN, {"identifier": NHS, "reason": REASON}, headers=key)
        assert first.status == again.status == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert first.body == again.body
        assert EmergencyAccess.objects.count() == 1

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"identifier": NHS, "reason": "quick look"}, "reason"),
            ({"identifier": "  ", "reason": REASON}, "identifier"),
            ({"identifier": NHS}, "reason"),
            ({"reason": REASON}, "identifier"),
            ({"identifier": NHS, "reason": "x" * 2001}, "reason"),
            ({"identifier": NHS, "reason": REASON, "name": "Ravensworth"}, "name"),
        ],
    )
    def test_each_rule_is_a_422_naming_the_field(
        self, as_outsider: ApiClient, child: Child, body: dict[str, object], field: str
    ) -> None:
        response = as_outsider.post(OPEN, body, validate_request=False)
        assert response.status == 422
        assert field in response.problem["errors"]
        assert not EmergencyAccess.objects.exists()

    @pytest.mark.parametrize("identifier", ["9999999999", "Ravensworth", "Philippa Ravensworth"])
    def test_no_exact_match_reveals_nothing(
        self, as_outsider: ApiClient, child: Child, identifier: str
    ) -> None:
        response = as_outsider.post(OPEN, {"identifier": identifier, "reason": REASON})
        assert response.status == 422
        assert "No single child" in response.problem["errors"]["identifier"][0]
        raw = response.raw.decode().replace(identifier, "")
        assert "Philippa" not in raw
        assert child.responsible_council.name not in raw
        assert not EmergencyAccess.objects.exists()

    def test_someone_who_already_sees_the_child_needs_none(
        self, api: ApiClient, social_worker: Actor, child: Child
    ) -> None:
        response = api.as_(token_for(social_worker)).post(
            OPEN, {"identifier": NHS, "reason": REASON}
        )
        assert response.status == 422
        assert "already see" in response.problem["errors"]["identifier"][0]

    @pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.NATIONAL_ANALYST, Role.ORG_ADMIN])
    def test_roles_that_never_see_identities_are_refused(
        self, api: ApiClient, council: Organisation, child: Child, role: Role
    ) -> None:
        user = factories.member(role, council)
        response = api.as_(token_for(user)).post(OPEN, {"identifier": NHS, "reason": REASON})
        assert response.status == 403
        assert "Ravensworth" not in response.raw.decode()
        assert not EmergencyAccess.objects.exists()

    def test_needs_a_token(self, api: ApiClient, child: Child) -> None:
        response = api.as_(None).post(
            OPEN, {"identifier": NHS, "reason": REASON}, validate_request=False
        )
        assert response.status == 401


def look_ups(user: User | None) -> dict[str, int]:
    """The user's emergency look-ups in the audit log: made, and refused by the limit."""
    return {
        action: AuditEvent.objects.filter(user=user, action=action).count()
        for action in ("emergency_lookup", "emergency_lookup_refused")
    }


class TestEveryLookUpStaysAudited:
    """Issue 11, point 1: with an Idempotency-Key, a refused look-up used to roll back its
    own audit event, and with it the hourly limit, which counts those events."""

    def test_keyed_guesses_are_each_audited_and_limited(
        self, as_outsider: ApiClient, outsider: Actor, child: Child
    ) -> None:
        answers = [
            as_outsider.post(
                OPEN,
                {"identifier": f"99900000{n:02d}", "reason": REASON},
                headers={"Idempotency-Key": f"guess-{n}"},
            )
            for n in range(15)
        ]
        assert [a.status for a in answers] == [422] * 15
        errors = [a.problem["errors"]["identifier"][0] for a in answers]
        assert all(e.startswith("No single child matches") for e in errors[:10])
        assert all(e.startswith("You have made 10 emergency look-ups") for e in errors[10:])
        assert look_ups(outsider.user) == {"emergency_lookup": 10, "emergency_lookup_refused": 5}
        # The right identifier now is refused too: the limit holds.
        right = as_outsider.post(
            OPEN, {"identifier": NHS, "reason": REASON}, headers={"Idempotency-Key": "right"}
        )
        assert right.status == 422
        assert "the most allowed" in right.problem["errors"]["identifier"][0]
        assert not EmergencyAccess.objects.exists()

    def test_a_refused_key_may_be_used_again_and_that_look_up_is_audited_too(
        self, as_outsider: ApiClient, outsider: Actor, child: Child
    ) -> None:
        key = {"Idempotency-Key": "typo-then-fixed"}
        wrong = as_outsider.post(OPEN, {"identifier": "9999999999", "reason": REASON}, headers=key)
        assert wrong.status == 422
        right = as_outsider.post(OPEN, {"identifier": NHS, "reason": REASON}, headers=key)
        assert right.status == 201
        assert look_ups(outsider.user) == {"emergency_lookup": 2, "emergency_lookup_refused": 0}
        again = as_outsider.post(OPEN, {"identifier": NHS, "reason": REASON}, headers=key)
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.body == right.body
        # A replay is not a new look-up.
        assert look_ups(outsider.user)["emergency_lookup"] == 2
        assert EmergencyAccess.objects.count() == 1

    def test_a_retry_while_the_first_is_still_handled_changes_nothing(
        self, as_outsider: ApiClient, outsider: Actor, child: Child
    ) -> None:
        import json

        from django.test import RequestFactory

        from homeward.core.idempotency import IN_PROGRESS, _fingerprint
        from homeward.core.models import IdempotencyKey

        body = {"identifier": NHS, "reason": REASON}
        sent = RequestFactory().post(OPEN, json.dumps(body), content_type="application/json")
        # The first request with this key has reserved it and is still being handled.
        IdempotencyKey.objects.create(
            user=user_of(outsider),
            key="busy",
            method_path=f"POST {OPEN}",
            request_hash=_fingerprint(sent),
            status_code=IN_PROGRESS,
            response_body={},
        )
        retry = as_outsider.post(OPEN, body, headers={"Idempotency-Key": "busy"})
        assert retry.status == 409
        assert "still being handled" in retry.problem["detail"]
        assert look_ups(outsider.user)["emergency_lookup"] == 0
        assert not EmergencyAccess.objects.exists()


class TestReview:
    def test_the_coordinator_lists_awaiting_first(
        self,
        as_outsider: ApiClient,
        as_coordinator: ApiClient,
        coordinator: Actor,
        council: Organisation,
        access: Any,
        child: Child,
    ) -> None:
        other = factories.ChildFactory(responsible_council=council, nhs_number="4857773456")
        second = as_outsider.post(OPEN, {"identifier": "4857773456", "reason": REASON}).body
        as_coordinator.post(f"{OPEN}/{second['id']}/review", {"note": "Justified"})
        listing = as_coordinator.get(OPEN)
        assert listing.status == 200
        assert listing.body["count"] == 2
        assert [item["id"] for item in listing.body["items"]] == [access["id"], second["id"]]
        assert listing.body["items"][1]["reviewed_by"] == user_of(coordinator).get_full_name()
        awaiting = as_coordinator.get(OPEN, query={"awaiting_review": "true"})
        assert [item["child"]["id"] for item in awaiting.body["items"]] == [child.pk]
        done = as_coordinator.get(OPEN, query={"awaiting_review": "false"})
        assert [item["child"]["id"] for item in done.body["items"]] == [other.pk]
        # The children listed are audited reads.
        assert AuditEvent.objects.filter(
            action="list_result", child_id=child.pk, user=coordinator.user, channel="api"
        ).exists()

    def test_a_review_is_recorded_once(
        self, as_coordinator: ApiClient, coordinator: Actor, access: Any
    ) -> None:
        url = f"{OPEN}/{access['id']}/review"
        response = as_coordinator.post(url, {"note": "Appropriate: officer found the child"})
        assert response.status == 200
        assert response.body["reviewed_by"] == user_of(coordinator).get_full_name()
        assert response.body["review_note"] == "Appropriate: officer found the child"
        again = as_coordinator.post(url, {"note": "Again"})
        assert again.status == 422
        assert "already been reviewed" in again.problem["errors"]["note"][0]

    def test_an_empty_note_is_refused(self, as_coordinator: ApiClient, access: Any) -> None:
        response = as_coordinator.post(f"{OPEN}/{access['id']}/review", {"note": "  "})
        assert response.status == 422
        assert "note" in response.problem["errors"]

    def test_a_manager_may_review(self, api: ApiClient, council: Organisation, access: Any) -> None:
        manager = factories.actor(Role.COUNCIL_MANAGER, council)
        response = api.as_(token_for(manager)).post(
            f"{OPEN}/{access['id']}/review", {"note": "Seen, justified"}
        )
        assert response.status == 200

    @pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.ORG_ADMIN])
    def test_other_roles_are_refused(
        self, api: ApiClient, council: Organisation, access: Any, role: Role
    ) -> None:
        client = api.as_(token_for(factories.member(role, council)))
        listing = client.get(OPEN)
        assert listing.status == 403
        assert "Ravensworth" not in listing.raw.decode()
        assert client.post(f"{OPEN}/{access['id']}/review", {"note": "Fine"}).status == 403

    def test_another_councils_coordinator_sees_none_of_it(
        self, api: ApiClient, access: Any
    ) -> None:
        other = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
        client = api.as_(token_for(other))
        listing = client.get(OPEN)
        assert listing.body == {"count": 0, "page": 1, "page_size": 25, "items": []}
        review = client.post(f"{OPEN}/{access['id']}/review", {"note": "Fine"})
        assert review.status == 404
        assert "Ravensworth" not in review.raw.decode()

    def test_an_unknown_access_is_not_found(self, as_coordinator: ApiClient) -> None:
        assert as_coordinator.post(f"{OPEN}/999999/review", {"note": "Fine"}).status == 404


class TestAuditTrail:
    def test_the_coordinator_reads_who_looked(
        self,
        as_coordinator: ApiClient,
        coordinator: Actor,
        social_worker: Actor,
        as_social_worker: ApiClient,
        child: Child,
    ) -> None:
        as_social_worker.get(f"/api/v1/children/{child.pk}")
        response = as_coordinator.get(f"/api/v1/children/{child.pk}/audit-trail")
        assert response.status == 200
        body = response.body
        assert body["child_id"] == child.pk
        assert body["count"] == 2
        view, own = body["items"]
        assert view["action"] == "view"
        assert view["username"] == user_of(social_worker).get_username()
        assert view["organisation"]["id"] == organisation_of(social_worker).pk
        assert view["role"] == "social_worker"
        assert view["channel"] == "api"
        assert view["record_type"] == "child"
        assert own["action"] == "view_audit_trail"
        assert own["username"] == user_of(coordinator).get_username()

    def test_pages_are_oldest_first_and_stay_put(
        self, as_coordinator: ApiClient, as_social_worker: ApiClient, child: Child
    ) -> None:
        for _ in range(3):
            as_social_worker.get(f"/api/v1/children/{child.pk}")
        url = f"/api/v1/children/{child.pk}/audit-trail"
        first = as_coordinator.get(url, query={"page": 1, "page_size": 2}).body
        second = as_coordinator.get(url, query={"page": 2, "page_size": 2}).body
        sequences = [e["sequence"] for e in first["items"] + second["items"]]
        assert sequences == sorted(sequences)
        assert len(set(sequences)) == 4

    @pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.ORG_ADMIN])
    def test_other_roles_are_refused(
        self, api: ApiClient, council: Organisation, child: Child, role: Role
    ) -> None:
        client = api.as_(token_for(factories.member(role, council)))
        response = client.get(f"/api/v1/children/{child.pk}/audit-trail")
        assert response.status == 403
        assert "Ravensworth" not in response.raw.decode()

    def test_other_councils_and_unknown_children_are_not_found(
        self, api: ApiClient, child: Child
    ) -> None:
        other = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
        client = api.as_(token_for(other))
        assert client.get(f"/api/v1/children/{child.pk}/audit-trail").status == 404
        assert client.get("/api/v1/children/999999/audit-trail").status == 404
        assert not AuditEvent.objects.filter(action="view_audit_trail").exists()

    def test_a_national_analyst_never_reaches_it(self, api: ApiClient, child: Child) -> None:
        national = factories.CouncilFactory()
        analyst = factories.member(Role.NATIONAL_ANALYST, national)
        response = api.as_(token_for(analyst)).get(f"/api/v1/children/{child.pk}/audit-trail")
        assert response.status == 403
