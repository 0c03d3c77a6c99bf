"""The API of the review queue, linking and unlinking."""

from __future__ import annotations

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.linkage.models import MatchCandidate
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.apiclient import ApiClient, token_for


def as_coordinator(api: ApiClient, council: Organisation) -> ApiClient:
    return api.as_(token_for(factories.member(Role.COUNCIL_MISSING_COORDINATOR, council)))


def test_the_queue_lists_the_pair_without_names(
    api: ApiClient, council: Organisation, candidate: MatchCandidate, child: Child
) -> None:
    response = as_coordinator(api, council).get("/api/v1/possible-duplicates")
    assert response.status == 200
    assert response.body["count"] == 1
    item = response.body["items"][0]
    assert item["id"] == candidate.pk
    assert item["evidence"][0]["label"] == "NHS number"
    assert child.last_name not in response.raw.decode()


def test_reading_and_deciding_a_pair(
    api: ApiClient,
    council: Organisation,
    candidate: MatchCandidate,
    child: Child,
    police_record: Child,
) -> None:
    client = as_coordinator(api, council)
    pair = client.get(f"/api/v1/possible-duplicates/{candidate.pk}")
    assert [r["last_name"] for r in pair.body["records"]] == [
        child.last_name,
        police_record.last_name,
    ]
    decided = client.post(
        f"/api/v1/possible-duplicates/{candidate.pk}/decision",
        {"same": True, "reason": "Same NHS number", "version": candidate.version},
    )
    assert decided.status == 200
    assert decided.body["status"] == "same"
    assert Child.objects.get(pk=police_record.pk).person_id == child.person_id
    again = client.post(
        f"/api/v1/possible-duplicates/{candidate.pk}/decision",
        {"same": False, "reason": "Changed my mind", "version": candidate.version},
    )
    assert again.status == 409


def test_unlinking_through_the_api(
    api: ApiClient,
    council: Organisation,
    coordinator: Actor,
    candidate: MatchCandidate,
    police_record: Child,
) -> None:
    client = as_coordinator(api, council)
    client.post(
        f"/api/v1/possible-duplicates/{candidate.pk}/decision",
        {"same": True, "reason": "Same"},
    )
    response = client.post(f"/api/v1/records/{police_record.pk}/unlink", {"reason": "Twins"})
    assert response.status == 200
    assert Child.objects.get(pk=police_record.pk).person_id == police_record.own_person_id


def test_linking_a_record_you_cannot_see_is_not_found(
    api: ApiClient, council: Organisation, child: Child, police_record: Child
) -> None:
    response = as_coordinator(api, council).post(
        "/api/v1/links", {"left": child.pk, "right": police_record.pk, "reason": "Mine"}
    )
    assert response.status == 404
    assert Child.objects.get(pk=police_record.pk).person_id == police_record.own_person_id


def test_a_social_worker_may_not_decide(
    api: ApiClient, council: Organisation, social_worker: Actor, candidate: MatchCandidate
) -> None:
    client = api.as_(token_for(social_worker))
    response = client.post(
        f"/api/v1/possible-duplicates/{candidate.pk}/decision", {"same": True, "reason": "x"}
    )
    assert response.status == 403
