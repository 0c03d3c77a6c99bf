"""Safe and well checks and return interviews through the API: the whole journey, versions
(409/412/428), idempotent retries, every rule a 422 naming the field, and need-to-know
access. Every request and response is checked against the served OpenAPI document."""

from datetime import datetime, timedelta

import pytest

from homeward.aftercare.models import ReturnInterview, SafeAndWellCheck
from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories
from tests.apiclient import ApiClient, token_for

INTERVIEWS = "/api/v1/return-interviews"


def iso(moment: datetime) -> str:
    return moment.isoformat()


def back_at(episode: Episode) -> datetime:
    """When the child came back (the episodes here have all ended)."""
    assert episode.returned_at is not None
    return episode.returned_at


def check_url(reference: str) -> str:
    return f"/api/v1/episodes/{reference}/safe-and-well-check"


def url(interview_id: int, action: str = "") -> str:
    return f"{INTERVIEWS}/{interview_id}" + (f"/{action}" if action else "")


def aftercare_counts() -> dict[str, object]:
    return {
        "checks": SafeAndWellCheck.objects.count(),
        "interviews": list(ReturnInterview.objects.values_list("pk", "version", "status")),
        "audit": AuditEvent.objects.count(),
    }


def returned(
    actor: Actor, child: Child, *, hours_ago: float = 30, back_after: float = 6
) -> Episode:
    episode = factories.report(actor, child, hours_ago=hours_ago)
    return episodes.record_return(
        actor,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=episode.last_seen_at + timedelta(hours=back_after),
            return_method="returned_self",
        ),
    )


@pytest.fixture
def episode(social_worker: Actor, child: Child) -> Episode:
    return returned(social_worker, child)


@pytest.fixture
def interview(episode: Episode) -> ReturnInterview:
    return episode.return_interviews.get()


@pytest.fixture
def coordinator(council: Organisation) -> Actor:
    return factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)


@pytest.fixture
def as_coordinator(api: ApiClient, coordinator: Actor) -> ApiClient:
    return api.as_(token_for(coordinator))


@pytest.fixture
def provider() -> Organisation:
    return Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Safe Return Ltd", code="RHI9"
    )


@pytest.fixture
def as_rhi_worker(api: ApiClient, provider: Organisation) -> ApiClient:
    return api.as_(token_for(factories.actor(Role.RHI_WORKER, provider)))


def an_interview(episode: Episode, **overrides: object) -> dict[str, object]:
    body = {
        "done_at": iso(back_at(episode) + timedelta(hours=20)),
        "interviewer_name": "Sam Okafor",
        "interviewer_kind": "independent",
        "child_account": "I went to my brother's because it was loud at home.",
        "done_location": "Library, quiet room",
        "push_factors": ["conflict_home"],
        "pull_factors": ["family"],
        "factors_detail": "Arguments about curfew",
        "risks_found": ["missing_with_others"],
        "what_would_help": "Someone to talk to at school",
        "actions": "Referral to family support",
        "shared_with": "Allocated social worker",
        "quote_consent": True,
    }
    body.update(overrides)
    return body


class TestCheck:
    def test_done_is_recorded_shared_and_in_the_episode(
        self, as_police: ApiClient, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_police.post(
            check_url(episode.reference),
            {
                "done": True,
                "conducted_at": iso(back_at(episode) + timedelta(hours=2)),
                "location": "Home address",
                "child_account": "I stayed at a friend's. I didn't feel safe going home.",
                "injuries_or_harm": "None seen",
                "disclosures": ["crime_victim"],
                "shared_with": "Children's services duty team",
            },
        )
        assert response.status == 201
        assert response.headers["Location"] == f"/api/v1/episodes/{episode.reference}"
        assert response.body["status"] == "done"
        assert response.body["disclosures"] == ["crime_victim"]
        assert response.body["organisation"]["kind"] == "police"
        assert response.body["officer_name"]  # defaults to the officer

        # The council sees it at once in the episode's read model.
        read = as_social_worker.get(f"/api/v1/episodes/{episode.reference}")
        check = read.body["safe_and_well_check"]
        assert check["child_account"].startswith("I stayed at a friend's")
        assert read.body["return_interview"]["status"] == "pending"
        assert [e["reference"] for e in read.body["return_interview"]["episodes"]] == [
            episode.reference
        ]

    def test_not_done_with_reason(self, as_police: ApiClient, episode: Episode) -> None:
        response = as_police.post(
            check_url(episode.reference),
            {"done": False, "not_done_reason": "Child refused to speak to officers"},
        )
        assert response.status == 201
        assert response.body["status"] == "not_done"
        assert response.body["conducted_at"] is None

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"done": True, "child_account": "Fine"}, "conducted_at"),
            ({"done": True, "conducted_at": "NOW"}, "child_account"),
            ({"done": False}, "not_done_reason"),
            ({"done": False, "not_done_reason": "x", "disclosures": ["made_up"]}, "disclosures.0"),
            ({"done": False, "not_done_reason": "x", "officer_name": "x" * 201}, "officer_name"),
            ({"done": False, "not_done_reason": "x", "colour": "red"}, "colour"),
        ],
    )
    def test_rules_are_422_naming_the_field(
        self, as_police: ApiClient, episode: Episode, body: dict[str, object], field: str
    ) -> None:
        if body.get("conducted_at") == "NOW":
            body["conducted_at"] = iso(back_at(episode) + timedelta(minutes=5))
        before = aftercare_counts()
        response = as_police.post(check_url(episode.reference), body, validate_request=False)
        assert response.status == 422
        assert field in response.problem["errors"]
        assert aftercare_counts() == before

    def test_before_the_return_and_twice_are_refused(
        self, as_police: ApiClient, social_worker: Actor, child: Child
    ) -> None:
        open_episode = factories.report(social_worker, child)
        response = as_police.post(
            check_url(open_episode.reference), {"done": False, "not_done_reason": "x"}
        )
        assert response.status == 422
        assert "status" in response.problem["errors"]

    def test_recorded_once(self, as_police: ApiClient, episode: Episode) -> None:
        body = {"done": False, "not_done_reason": "Could not be traced"}
        assert as_police.post(check_url(episode.reference), body).status == 201
        again = as_police.post(check_url(episode.reference), body)
        assert again.status == 422
        assert SafeAndWellCheck.objects.count() == 1

    def test_a_retry_with_the_same_key_records_it_once(
        self, as_police: ApiClient, episode: Episode
    ) -> None:
        body = {"done": False, "not_done_reason": "Could not be traced"}
        key = {"Idempotency-Key": "check-1"}
        first = as_police.post(check_url(episode.reference), body, headers=key)
        second = as_police.post(check_url(episode.reference), body, headers=key)
        assert (first.status, second.status) == (201, 201)
        assert second.headers["Idempotent-Replayed"] == "true"
        assert second.body == first.body
        assert SafeAndWellCheck.objects.count() == 1

    def test_a_social_worker_cannot_record_it(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_social_worker.post(
            check_url(episode.reference), {"done": False, "not_done_reason": "x"}
        )
        assert response.status == 403
        assert SafeAndWellCheck.objects.count() == 0

    def test_another_force_gets_404(self, api: ApiClient, episode: Episode) -> None:
        stranger = factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())
        response = api.as_(token_for(stranger)).post(
            check_url(episode.reference), {"done": False, "not_done_reason": "x"}
        )
        assert response.status == 404
        assert episode.child.last_name not in response.raw.decode()


class TestInterviewJourney:
    def test_assign_offer_accept_and_do_it(
        self,
        as_coordinator: ApiClient,
        as_rhi_worker: ApiClient,
        provider: Organisation,
        episode: Episode,
        interview: ReturnInterview,
    ) -> None:
        read = as_coordinator.get(url(interview.pk))
        assert read.status == 200
        assert read.headers["ETag"] == f'"{interview.version}"'
        assert read.body["status"] == "pending"
        assert read.body["child"]["id"] == episode.child_id
        due = datetime.fromisoformat(read.body["due_at"].replace("Z", "+00:00"))
        assert due == back_at(episode) + timedelta(hours=72)

        # The provider cannot see it until it is assigned.
        assert as_rhi_worker.get(url(interview.pk)).status == 404

        assigned = as_coordinator.post(
            url(interview.pk, "provider"),
            {"provider_id": provider.pk},
            headers={"If-Match": read.headers["ETag"]},
        )
        assert assigned.status == 200
        assert assigned.body["provider"]["id"] == provider.pk

        listed = as_rhi_worker.get(INTERVIEWS)
        assert [i["id"] for i in listed.body["items"]] == [interview.pk]
        current = as_rhi_worker.get(url(interview.pk))
        offered = as_rhi_worker.post(
            url(interview.pk, "offer"),
            {
                "offered_at": iso(back_at(episode) + timedelta(hours=3)),
                "offered_by": "Sam Okafor",
                "offer_method": "phone",
            },
            headers={"If-Match": current.headers["ETag"]},
        )
        assert offered.status == 200
        assert offered.body["status"] == "offered"
        accepted = as_rhi_worker.post(
            url(interview.pk, "outcome"),
            {"outcome": "accepted", "version": offered.body["version"]},
        )
        assert accepted.body["status"] == "accepted"
        done = as_rhi_worker.post(
            url(interview.pk, "interview"),
            an_interview(episode, version=accepted.body["version"]),
        )
        assert done.status == 200
        assert done.body["status"] == "done"
        assert done.body["within_72_hours"] is True
        assert done.body["push_factors"] == ["conflict_home"]
        assert done.body["quote_consent"] is True
        assert done.body["closed_at"] is not None
        assert done.headers["ETag"] == f'"{done.body["version"]}"'

        # The council sees the result.
        final = as_coordinator.get(url(interview.pk))
        assert final.body["child_account"].startswith("I went to my brother's")

    def test_declined_with_reason(
        self, as_coordinator: ApiClient, episode: Episode, interview: ReturnInterview
    ) -> None:
        offered = as_coordinator.post(
            url(interview.pk, "offer"),
            {
                "offered_at": iso(back_at(episode) + timedelta(hours=1)),
                "offered_by": "Coordinator",
                "offer_method": "in_person",
                "version": interview.version,
            },
        )
        declined = as_coordinator.post(
            url(interview.pk, "outcome"),
            {
                "outcome": "declined",
                "reason": "Did not want to talk to anyone new",
                "version": offered.body["version"],
            },
        )
        assert declined.status == 200
        assert declined.body["status"] == "declined"
        assert declined.body["outcome_reason"] == "Did not want to talk to anyone new"

    def test_not_offered_needs_a_reason(
        self, as_coordinator: ApiClient, interview: ReturnInterview
    ) -> None:
        before = aftercare_counts()
        response = as_coordinator.post(
            url(interview.pk, "outcome"), {"outcome": "not_offered", "version": interview.version}
        )
        assert response.status == 422
        assert "reason" in response.problem["errors"]
        assert aftercare_counts() == before

    @pytest.mark.parametrize(
        ("action", "body", "field"),
        [
            ("offer", {"offered_by": "x", "offer_method": "phone"}, "offered_at"),
            ("offer", {"offered_at": "LATER", "offered_by": "x", "offer_method": "phone"}, None),
            ("offer", {"offered_at": "BEFORE", "offered_by": "x", "offer_method": "fax"}, None),
            ("outcome", {"outcome": "accepted"}, "outcome"),
            ("interview", {"interviewer_name": "x"}, "done_at"),
        ],
    )
    def test_rules_are_422_naming_the_field(
        self,
        as_coordinator: ApiClient,
        episode: Episode,
        interview: ReturnInterview,
        action: str,
        body: dict[str, object],
        field: str | None,
    ) -> None:
        if body.get("offered_at") == "LATER":
            body["offered_at"] = iso(clock.now() + timedelta(hours=2))
            field = "offered_at"
        if body.get("offered_at") == "BEFORE":
            body["offered_at"] = iso(back_at(episode) - timedelta(hours=2))
            field = "offer_method"
        body["version"] = interview.version
        before = aftercare_counts()
        response = as_coordinator.post(url(interview.pk, action), body, validate_request=False)
        assert response.status == 422
        assert field in response.problem["errors"]
        assert aftercare_counts() == before

    def test_the_interview_needs_acceptance_first(
        self, as_coordinator: ApiClient, episode: Episode, interview: ReturnInterview
    ) -> None:
        response = as_coordinator.post(
            url(interview.pk, "interview"), an_interview(episode, version=interview.version)
        )
        assert response.status == 422
        assert "status" in response.problem["errors"]

    def test_a_retried_offer_is_replayed_not_refused_as_stale(
        self, as_coordinator: ApiClient, episode: Episode, interview: ReturnInterview
    ) -> None:
        body = {
            "offered_at": iso(back_at(episode) + timedelta(hours=1)),
            "offered_by": "Coordinator",
            "offer_method": "text",
        }
        key = {"Idempotency-Key": "offer-1", "If-Match": f'"{interview.version}"'}
        first = as_coordinator.post(url(interview.pk, "offer"), body, headers=key)
        second = as_coordinator.post(url(interview.pk, "offer"), body, headers=key)
        assert (first.status, second.status) == (200, 200)
        assert second.headers["Idempotent-Replayed"] == "true"
        interview.refresh_from_db()
        assert interview.version == first.body["version"]


class TestVersions:
    def offer(self, episode: Episode) -> dict[str, str]:
        return {
            "offered_at": iso(back_at(episode) + timedelta(hours=1)),
            "offered_by": "Coordinator",
            "offer_method": "letter",
        }

    def test_no_version_is_428(
        self, as_coordinator: ApiClient, episode: Episode, interview: ReturnInterview
    ) -> None:
        response = as_coordinator.post(url(interview.pk, "offer"), self.offer(episode))
        assert response.status == 428
        assert "interview" in response.problem["detail"]
        assert "episode" not in response.problem["detail"]

    def test_stale_body_version_is_409(
        self, as_coordinator: ApiClient, episode: Episode, interview: ReturnInterview
    ) -> None:
        before = aftercare_counts()
        response = as_coordinator.post(
            url(interview.pk, "offer"), {**self.offer(episode), "version": interview.version + 1}
        )
        assert response.status == 409
        assert response.problem["current_version"] == interview.version
        assert aftercare_counts() == before

    def test_stale_if_match_is_412(
        self,
        as_coordinator: ApiClient,
        provider: Organisation,
        episode: Episode,
        interview: ReturnInterview,
    ) -> None:
        before = aftercare_counts()
        response = as_coordinator.post(
            url(interview.pk, "provider"),
            {"provider_id": provider.pk},
            headers={"If-Match": f'"{interview.version + 5}"'},
        )
        assert response.status == 412
        assert aftercare_counts() == before


class TestListAndAccess:
    def test_council_list_is_due_soonest_first_and_filters(
        self,
        as_coordinator: ApiClient,
        coordinator: Actor,
        social_worker: Actor,
        council: Organisation,
    ) -> None:
        children = [factories.ChildFactory(responsible_council=council) for _ in range(3)]
        # Returned 100, 50 and 10 hours ago: the first is overdue.
        made = [
            returned(social_worker, c, hours_ago=h + 6).return_interviews.get()
            for c, h in zip(children, (10, 100, 50), strict=True)
        ]
        listed = as_coordinator.get(INTERVIEWS)
        assert listed.status == 200
        assert listed.body["count"] == 3
        ids = [i["id"] for i in listed.body["items"]]
        assert ids == [made[1].pk, made[2].pk, made[0].pk]
        assert [i["overdue"] for i in listed.body["items"]] == [True, False, False]
        overdue = as_coordinator.get(INTERVIEWS, query={"overdue": "true"})
        assert [i["id"] for i in overdue.body["items"]] == [made[1].pk]
        pending = as_coordinator.get(INTERVIEWS, query={"status": "done"})
        assert pending.body["count"] == 0
        paged = as_coordinator.get(INTERVIEWS, query={"page": 2, "page_size": 2})
        assert [i["id"] for i in paged.body["items"]] == [made[0].pk]
        listed_reads = AuditEvent.objects.filter(
            action="list_result", user=coordinator.user, child_id__in=[c.pk for c in children]
        )
        assert listed_reads.exists()

    def test_reading_is_audited(
        self, as_coordinator: ApiClient, coordinator: Actor, interview: ReturnInterview
    ) -> None:
        as_coordinator.get(url(interview.pk))
        assert AuditEvent.objects.filter(
            action="view", object_type="return_interview", object_id=str(interview.pk)
        ).exists()

    def test_another_council_gets_404_without_the_childs_name(
        self, api: ApiClient, interview: ReturnInterview
    ) -> None:
        stranger = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
        client = api.as_(token_for(stranger))
        response = client.get(url(interview.pk))
        assert response.status == 404
        assert interview.child.last_name not in response.raw.decode()
        assert client.get(INTERVIEWS).body["count"] == 0
        changed = client.post(
            url(interview.pk, "outcome"),
            {"outcome": "not_offered", "reason": "x", "version": interview.version},
        )
        assert changed.status == 404

    def test_a_social_worker_reads_but_does_not_record(
        self, as_social_worker: ApiClient, interview: ReturnInterview
    ) -> None:
        assert as_social_worker.get(url(interview.pk)).status == 200
        response = as_social_worker.post(
            url(interview.pk, "outcome"),
            {"outcome": "not_offered", "reason": "x", "version": interview.version},
        )
        assert response.status == 403
        assert as_social_worker.get(INTERVIEWS).status == 403

    def test_only_the_council_assigns(
        self,
        as_rhi_worker: ApiClient,
        as_coordinator: ApiClient,
        provider: Organisation,
        interview: ReturnInterview,
    ) -> None:
        as_coordinator.post(
            url(interview.pk, "provider"),
            {"provider_id": provider.pk, "version": interview.version},
        )
        response = as_rhi_worker.post(
            url(interview.pk, "provider"), {"provider_id": provider.pk, "version": 2}
        )
        assert response.status == 403

    def test_assigning_another_council_is_refused(
        self, as_coordinator: ApiClient, interview: ReturnInterview
    ) -> None:
        other = factories.CouncilFactory()
        response = as_coordinator.post(
            url(interview.pk, "provider"), {"provider_id": other.pk, "version": interview.version}
        )
        assert response.status == 422
        assert "provider" in response.problem["errors"]

    @pytest.mark.parametrize("bad", ["abc", "0", "99999999999999999999999"])
    def test_a_malformed_id_is_404(self, as_coordinator: ApiClient, bad: str) -> None:
        response = as_coordinator.get(f"{INTERVIEWS}/{bad}", validate_request=False)
        assert response.status == 404

    def test_no_token_is_401(self, api: ApiClient, interview: ReturnInterview) -> None:
        assert api.get(url(interview.pk), validate_request=False).status == 401
