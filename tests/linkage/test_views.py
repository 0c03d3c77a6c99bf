"""The review queue's pages, the child's page of a linked record, and unlinking."""

from __future__ import annotations

import re

from django.test import Client

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.linkage import services
from homeward.linkage.models import MatchCandidate
from homeward.organisations.models import Organisation, Role
from tests import factories


def signed_in(role: str, org: Organisation) -> Client:
    client = Client()
    client.force_login(factories.member(role, org))
    return client


def test_the_coordinator_sees_the_pair_in_the_queue_without_names(
    council: Organisation, candidate: MatchCandidate, child: Child, police_record: Child
) -> None:
    page = signed_in(Role.COUNCIL_MISSING_COORDINATOR, council).get("/possible-duplicates/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 pair is waiting for a decision" in text
    assert "90%" in text
    assert child.last_name not in text
    assert police_record.last_name not in text


def test_comparing_shows_both_records_and_the_evidence_and_is_audited(
    council: Organisation, candidate: MatchCandidate, child: Child, police_record: Child
) -> None:
    page = signed_in(Role.COUNCIL_MISSING_COORDINATOR, council).get(
        f"/possible-duplicates/{candidate.pk}/"
    )
    text = page.content.decode()
    assert child.last_name in text
    assert police_record.last_name in text
    assert "NHS number" in text
    assert "Exact match" in text
    assert "8.1" in text
    assert set(
        AuditEvent.objects.filter(action="view", object_type="child").values_list(
            "child_id", flat=True
        )
    ) == {child.pk, police_record.pk}


def test_deciding_same_links_and_the_childs_page_shows_the_other_record(
    council: Organisation,
    candidate: MatchCandidate,
    child: Child,
    police_record: Child,
    police_officer: Actor,
) -> None:
    episode = factories.report(police_officer, police_record)
    client = signed_in(Role.COUNCIL_MISSING_COORDINATOR, council)
    response = client.post(
        f"/possible-duplicates/{candidate.pk}/",
        {"decision": "same", "reason": "Same school and NHS number", "version": candidate.version},
    )
    assert response.status_code == 302
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Other records of this child" in page
    assert police_record.responsible_council.name in page
    # The council is responsible for the child, so it sees the police record's episode.
    assert episode.reference in page
    assert "Unlink this record" in page


def test_a_decision_without_a_reason_keeps_the_choice_and_says_what_is_missing(
    council: Organisation, candidate: MatchCandidate
) -> None:
    response = signed_in(Role.COUNCIL_MISSING_COORDINATOR, council).post(
        f"/possible-duplicates/{candidate.pk}/", {"decision": "same", "version": candidate.version}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Say why you decided this" in text
    assert re.search(r'<input[^>]*value="same"[^>]*checked', text)
    assert not re.search(r'<input[^>]*value="not_same"[^>]*checked', text)
    candidate.refresh_from_db()
    assert candidate.status == MatchCandidate.Status.PENDING


def test_a_social_worker_cannot_open_the_queue(
    council: Organisation, candidate: MatchCandidate
) -> None:
    client = signed_in(Role.SOCIAL_WORKER, council)
    assert client.get("/possible-duplicates/").status_code == 403
    assert client.get(f"/possible-duplicates/{candidate.pk}/").status_code == 403


def test_another_councils_coordinator_cannot_open_the_pair(candidate: MatchCandidate) -> None:
    client = signed_in(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
    assert client.get(f"/possible-duplicates/{candidate.pk}/").status_code == 404


def test_unlinking_from_the_childs_page(
    council: Organisation,
    coordinator: Actor,
    candidate: MatchCandidate,
    child: Child,
    police_record: Child,
) -> None:
    services.decide_match(coordinator, candidate.pk, same=True, reason="Same")
    client = signed_in(Role.COUNCIL_MISSING_COORDINATOR, council)
    assert client.post(f"/possible-duplicates/records/{child.pk}/unlink", {}).status_code == 200
    response = client.post(
        f"/possible-duplicates/records/{child.pk}/unlink", {"reason": "A cousin"}
    )
    assert response.status_code == 302
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Other records of this child" not in page
    assert Child.objects.get(pk=police_record.pk).person_id == police_record.own_person_id
