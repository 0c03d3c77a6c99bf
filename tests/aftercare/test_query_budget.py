"""Query budgets of the aftercare paths (tests/budgets.py): recording the safe and well
check and the return interview, on the web and through the API, and the API's reads of
interviews. As in tests/episodes/test_query_budget.py, the session and token are warm."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import InterviewStatus, ReturnInterview, SafeAndWellCheck
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.budgets import within
from tests.episodes.test_query_budget import post_json, returned, several, signed_in, with_token
from tests.episodes.test_views import when

pytestmark = pytest.mark.django_db

# name: (SQLite, PostgreSQL); PostgreSQL adds one advisory lock per refresh of the figures.
BUDGETS = {
    "check_web": (20, 21),
    "check_api": (19, 20),
    # An interview that agreed actions opens a review of the child's plan (safeguarding):
    # 8 of these (the interview read again, the review's key, the plan, the review, and its
    # audit event and outbox row with their task).
    "interview_web": (30, 31),
    "interview_api": (30, 31),
    "api_interview": (7, 7),
    # With five episodes; one interview costs 9: the list reads each interview's episodes
    # with a query of its own (one more per interview shown), to fix where the list is read.
    "api_interviews": (11, 11),
}


def back_at(episode: Episode) -> datetime:
    """When the (returned) episode's child came back."""
    assert episode.returned_at is not None
    return episode.returned_at


def accepted(council: Organisation, episode: Episode) -> ReturnInterview:
    """The episode's interview, offered and accepted through the real services."""
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    interview = episode.return_interviews.get()
    interview = aftercare.record_offer(
        coordinator,
        interview.pk,
        interview.version,
        offered_at=back_at(episode) + timedelta(hours=1),
        offered_by="Jo Reid, coordinator",
        offer_method="phone",
    )
    return aftercare.record_outcome(
        coordinator, interview.pk, interview.version, outcome="accepted"
    )


def test_recording_the_check_on_the_web(
    police: Organisation, child: Child, social_worker: Actor
) -> None:
    episode = returned(social_worker, child)
    client = signed_in(Role.POLICE_OFFICER, police)
    data = {
        "done": "yes",
        **when("conducted_at", back_at(episode) + timedelta(hours=1)),
        "location": "At home",
        "child_account": "I went to the park.",
        "disclosures": ["criminal_exploitation"],
    }
    with within("check_web", BUDGETS):
        response = client.post(f"/aftercare/episodes/{episode.reference}/check/record", data)
    assert response.status_code == 302
    assert SafeAndWellCheck.objects.get(episode=episode).status == "done"


def test_recording_the_check_through_the_api(
    child: Child, social_worker: Actor, police_officer: Actor
) -> None:
    episode = returned(social_worker, child)
    client = with_token(police_officer)
    body = {
        "done": True,
        "conducted_at": (back_at(episode) + timedelta(hours=2)).isoformat(),
        "location": "Home address",
        "child_account": "I stayed at a friend's.",
    }
    url = f"/api/v1/episodes/{episode.reference}/safe-and-well-check"
    with within("check_api", BUDGETS):
        response = post_json(client, url, body)
    assert response.status_code == 201
    assert response.json()["status"] == "done"


def test_recording_the_interview_on_the_web(
    council: Organisation, child: Child, social_worker: Actor
) -> None:
    episode = returned(social_worker, child)
    interview = accepted(council, episode)
    client = signed_in(Role.COUNCIL_MISSING_COORDINATOR, council)
    data = {
        "version": interview.version,
        **when("done_at", back_at(episode) + timedelta(hours=20)),
        "interviewer_name": "Priya Shah",
        "interviewer_kind": "independent",
        "done_location": "Youth centre",
        "child_account": "Mum and me keep arguing so I went to my nan's.",
        "push_factors": ["conflict_home"],
        "pull_factors": ["family"],
        "what_would_help": "Family mediation",
        "actions": "Referral to early help",
        "quote_consent": "no",
    }
    with within("interview_web", BUDGETS):
        response = client.post(f"/aftercare/interviews/{interview.pk}/interview", data)
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE


def test_recording_the_interview_through_the_api(
    council: Organisation, child: Child, social_worker: Actor
) -> None:
    episode = returned(social_worker, child)
    interview = accepted(council, episode)
    client = with_token(factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council))
    body = {
        "done_at": (back_at(episode) + timedelta(hours=20)).isoformat(),
        "interviewer_name": "Sam Okafor",
        "interviewer_kind": "independent",
        "child_account": "I went to my brother's because it was loud at home.",
        "push_factors": ["conflict_home"],
        "pull_factors": ["family"],
        "risks_found": ["missing_with_others"],
        "quote_consent": True,
        "version": interview.version,
    }
    url = f"/api/v1/return-interviews/{interview.pk}/interview"
    with within("interview_api", BUDGETS):
        response = post_json(client, url, body)
    assert response.status_code == 200
    assert response.json()["status"] == "done"


@pytest.mark.parametrize("n", [1, 5])
def test_the_api_reads_an_interview_and_lists_them(
    council: Organisation, social_worker: Actor, n: int
) -> None:
    made = several(council, social_worker, n)
    interview = made[0].return_interviews.get()
    client = with_token(factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council))
    with within("api_interview", BUDGETS):
        response = client.get(f"/api/v1/return-interviews/{interview.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == interview.pk
    with within("api_interviews", BUDGETS):
        response = client.get("/api/v1/return-interviews")
    assert response.status_code == 200
    assert len(response.json()["items"]) == (n + 1) // 2
