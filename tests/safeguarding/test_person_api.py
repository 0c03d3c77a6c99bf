"""Persons of concern and harbouring notices through the API: the same services, the same
need-to-know (404 for what the caller may not see), police-only parts for the police,
idempotent POSTs, and every read audited."""

from __future__ import annotations

import pytest

from homeward.audit.models import AuditEvent
from homeward.core import clock
from homeward.safeguarding.models import HarbouringNotice, PersonOfConcern
from tests.actors import user_of
from tests.apiclient import ApiClient, token_for
from tests.safeguarding.factories_persons import World, link, w

pytestmark = pytest.mark.django_db
__all__ = ["w"]

GRADING = {
    "nature": "Meets her after school",
    "source": "Her friend",
    "source_evaluation": "2",
    "information_assessment": "C",
}


def test_the_council_reads_only_what_it_may(api: ApiClient, w: World) -> None:
    link(w.officer, w.person, w.child_a, nature="Police intel", police_only=True)
    council = api.as_(token_for(user_of(w.coordinator_a)))
    listed = council.get("/api/v1/persons")
    assert listed.status == 200, listed.body
    assert [i["id"] for i in listed.body["items"]] == [w.person.pk]
    one = council.get(f"/api/v1/persons/{w.person.pk}")
    assert one.status == 200
    assert one.body["police_notes"] is None
    assert [lk["child_id"] for lk in one.body["links"]] == [w.child_a.pk]
    assert AuditEvent.objects.filter(
        object_type="person_of_concern", action="view", user=user_of(w.coordinator_a)
    ).exists()
    police = api.as_(token_for(user_of(w.officer))).get(f"/api/v1/persons/{w.person.pk}")
    assert len(police.body["links"]) == 3
    assert police.body["police_notes"] == ""
    stranger = api.as_(token_for(user_of(w.coordinator_c)))
    assert stranger.get(f"/api/v1/persons/{w.person.pk}").status == 404


def test_record_link_and_change_through_the_api(api: ApiClient, w: World) -> None:
    council = api.as_(token_for(user_of(w.coordinator_a)))
    refused = council.post(
        "/api/v1/persons", {"name": "Orrin Castlemaine"}, headers={"Idempotency-Key": "p-1"}
    )
    assert refused.status == 422
    made = council.post(
        "/api/v1/persons",
        {"name": "Orrin Castlemaine", "link": {"child_id": w.child_a.pk, **GRADING}},
        headers={"Idempotency-Key": "p-2"},
    )
    assert made.status == 201, made.body
    again = council.post(
        "/api/v1/persons",
        {"name": "Orrin Castlemaine", "link": {"child_id": w.child_a.pk, **GRADING}},
        headers={"Idempotency-Key": "p-2"},
    )
    assert again.body["id"] == made.body["id"]
    assert PersonOfConcern.objects.filter(name="Orrin Castlemaine").count() == 1
    pid = made.body["id"]
    changed = council.patch(
        f"/api/v1/persons/{pid}", {"name": "Orrin Castlemaine", "approximate_age": 33}
    )
    assert changed.status == 200
    assert changed.body["approximate_age"] == 33
    added = council.post(
        f"/api/v1/persons/{pid}/links",
        {"episode": w.episode_a.reference, **GRADING},
        headers={"Idempotency-Key": "l-1"},
    )
    assert added.status == 201
    assert added.body["child_id"] == w.child_a.pk
    gone = council.post(
        f"/api/v1/persons/{pid}/links/{added.body['id']}/remove",
        {"reason": "Duplicate"},
        headers={"Idempotency-Key": "l-2"},
    )
    assert gone.status == 200
    police_only = council.post(
        f"/api/v1/persons/{pid}/links",
        {"child_id": w.child_a.pk, "police_only": True, **GRADING},
        headers={"Idempotency-Key": "l-3"},
    )
    assert police_only.status == 422


def test_notices_through_the_api(api: ApiClient, w: World) -> None:
    police = api.as_(token_for(user_of(w.officer)))
    today = clock.now().astimezone(clock.UK).date().isoformat()
    issued = police.post(
        "/api/v1/notices",
        {"person_id": w.person.pk, "child_ids": [w.child_a.pk, w.child_b.pk], "issued_on": today},
        headers={"Idempotency-Key": "n-1"},
    )
    assert issued.status == 201, issued.body
    nid = issued.body["id"]
    assert issued.body["status"] == "live"
    breach = police.post(
        f"/api/v1/notices/{nid}/breaches",
        {
            "child_id": w.child_b.pk,
            "occurred_at": clock.now().isoformat(),
            "location": "The arcade",
        },
        headers={"Idempotency-Key": "n-2"},
    )
    assert breach.status == 201, breach.body
    council = api.as_(token_for(user_of(w.coordinator_a)))
    seen = council.get(f"/api/v1/notices/{nid}")
    assert (seen.body["child_ids"], seen.body["other_children"], seen.body["breaches"]) == (
        [w.child_a.pk],
        1,
        [],
    )
    assert (
        council.post(
            f"/api/v1/notices/{nid}/withdraw", {"reason": "No"}, headers={"Idempotency-Key": "n-3"}
        ).status
        == 403
    )
    assert [
        i["id"] for i in council.get("/api/v1/notices", query={"status": "live"}).body["items"]
    ] == [nid]
    reviewed = police.post(
        f"/api/v1/notices/{nid}/review", {"notes": "Keep"}, headers={"Idempotency-Key": "n-4"}
    )
    assert reviewed.status == 200
    assert reviewed.body["last_reviewed_on"] == today
    withdrawn = police.post(
        f"/api/v1/notices/{nid}/withdraw", {"reason": "Moved"}, headers={"Idempotency-Key": "n-5"}
    )
    assert withdrawn.body["status"] == "withdrawn"
    assert HarbouringNotice.objects.get().withdrawn_reason == "Moved"
    assert api.as_(token_for(user_of(w.coordinator_c))).get(f"/api/v1/notices/{nid}").status == 404
