"""Episodes through the API: the whole lifecycle, idempotent retries, stale edits, every
validation rule as a 422 problem naming the field, and need-to-know access. Every request
and response is checked against the served OpenAPI document (tests/apiclient.py)."""

from datetime import datetime, timedelta

import pytest

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.models import Episode, EpisodeStatus, RiskAssessment, TimelineEntry
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.apiclient import ApiClient, counts, token_for

EPISODES = "/api/v1/episodes"


def iso(moment: datetime) -> str:
    return moment.isoformat()


def a_report(child: Child, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "child_id": child.pk,
        "classification": "M",
        "last_seen_at": iso(clock.now() - timedelta(hours=3)),
        "last_seen_location": "Near the canal bridge",
        "missing_from": "home",
        "reporter_type": "parent",
        "risk_grade": "medium",
        "risk_rationale": "First time missing; phone switched off",
    }
    body.update(overrides)
    return body


def url(reference: str, action: str = "") -> str:
    return f"{EPISODES}/{reference}" + (f"/{action}" if action else "")


@pytest.fixture
def episode(social_worker: Actor, child: Child) -> Episode:
    return factories.report(social_worker, child, hours_ago=5)


class TestLifecycle:
    def test_report_regrade_classify_sight_return_close(
        self, api: ApiClient, as_social_worker: ApiClient, as_police: ApiClient, child: Child
    ) -> None:
        factories.looked_after(child)

        # The council reports the child missing.
        reported = as_social_worker.post(EPISODES, a_report(child))
        assert reported.status == 201
        ref = reported.body["reference"]
        assert reported.headers["Location"] == url(ref)
        assert reported.headers["ETag"] == '"1"'
        assert reported.body["already_missing"] is False
        assert reported.body["status"] == "missing"
        assert reported.body["child"]["id"] == child.pk
        assert [r["grade"] for r in reported.body["risk_history"]] == ["medium"]
        assert reported.body["return_details"] is None

        # The police (the force for the child's area) read it and re-grade with If-Match.
        read = as_police.get(url(ref))
        assert read.status == 200
        assert read.headers["ETag"] == '"1"'
        regraded = as_police.post(
            url(ref, "risk-assessments"),
            {
                "grade": "high",
                "rationale": "Seen getting into a car with an older man",
                "information_source": "Call from a neighbour",
                "information_obtained_at": iso(clock.now() - timedelta(hours=1)),
            },
            headers={"If-Match": read.headers["ETag"]},
        )
        assert regraded.status == 201
        assert regraded.body["risk_grade"] == "high"
        assert regraded.headers["ETag"] == '"2"'
        history = regraded.body["risk_history"]
        assert [r["grade"] for r in history] == ["medium", "high"]
        assert history[-1]["rationale"] == "Seen getting into a car with an older man"
        assert history[-1]["decided_by_organisation"]["kind"] == "police"

        # The council finds the child is at a known address: away, not missing.
        classified = as_social_worker.post(
            url(ref, "classification"),
            {"classification": "A", "reason": "Whereabouts known: at her aunt's", "version": 2},
        )
        assert classified.status == 200
        assert [c["classification"] for c in classified.body["classification_history"]] == [
            "M",
            "A",
        ]

        sighting = as_police.post(
            url(ref, "timeline"),
            {
                "kind": "sighting",
                "occurred_at": iso(clock.now() - timedelta(minutes=30)),
                "summary": "Seen at the bus station",
                "location": "Bus station",
            },
        )
        assert sighting.status == 201
        assert "sighting" in [t["kind"] for t in sighting.body["timeline"]]

        returned = as_police.post(
            url(ref, "return"),
            {
                "returned_at": iso(clock.now() - timedelta(minutes=10)),
                "return_method": "found_by_police",
                "found_location": "Bus station",
                "version": sighting.body["version"],
            },
        )
        assert returned.status == 200
        assert returned.body["status"] == "returned"
        assert returned.body["return_details"]["return_method"] == "found_by_police"

        # Not yet: the safe and well check and the return interview are outstanding.
        refused = as_police.post(
            url(ref, "close"), {}, headers={"If-Match": returned.headers["ETag"]}
        )
        assert refused.status == 422
        assert refused.problem["errors"]["status"] == [
            "The episode cannot be closed yet: the safe and well check is not recorded and "
            "the return interview is not recorded"
        ]
        check = as_police.post(
            url(ref, "safe-and-well-check"),
            {"done": False, "not_done_reason": "The child was asleep when officers called"},
        )
        assert check.status == 201
        interview = Episode.objects.get(reference=ref).return_interviews.get()
        as_coordinator = api.as_(
            token_for(factories.actor(Role.COUNCIL_MISSING_COORDINATOR, interview.council))
        )
        outcome = as_coordinator.post(
            f"/api/v1/return-interviews/{interview.pk}/outcome",
            {
                "outcome": "not_offered",
                "reason": "Moved out of the area the next morning",
                "version": interview.version,
            },
        )
        assert outcome.status == 200

        closed = as_police.post(
            url(ref, "close"), {}, headers={"If-Match": returned.headers["ETag"]}
        )
        assert closed.status == 200
        assert closed.body["status"] == "closed"
        assert closed.body["closed_at"] is not None

        # The timeline is in the order things happened, not the order they were recorded.
        kinds = [t["kind"] for t in closed.body["timeline"]]
        assert sorted(kinds) == sorted(
            ["report", "regrade", "classification", "sighting", "return", "close"]
        )
        times = [t["occurred_at"] for t in closed.body["timeline"]]
        assert times == sorted(times)
        listed = as_social_worker.get(EPISODES, query={"status": "closed"})
        assert [e["reference"] for e in listed.body["items"]] == [ref]
        assert AuditEvent.objects.filter(object_id=ref, channel="api").count() >= 6

    def test_a_second_report_becomes_an_update_of_the_open_episode(
        self, as_social_worker: ApiClient, as_police: ApiClient, child: Child
    ) -> None:
        first = as_social_worker.post(EPISODES, a_report(child))
        second = as_police.post(
            EPISODES, a_report(child, reporter_type="police", last_seen_location="Park")
        )
        assert second.status == 200
        assert second.body["already_missing"] is True
        assert second.body["reference"] == first.body["reference"]
        assert second.headers["Location"] == url(first.body["reference"])
        assert Episode.objects.filter(child=child).count() == 1
        assert second.body["timeline"][-1]["kind"] == "further_report"

    def test_patch_changes_only_the_fields_sent(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_social_worker.patch(
            url(episode.reference),
            {"clothing": "Grey hoodie, black trainers", "version": 1},
        )
        assert response.status == 200
        assert response.body["clothing"] == "Grey hoodie, black trainers"
        assert response.body["last_seen_location"] == episode.last_seen_location
        assert response.headers["ETag"] == '"2"'

    def test_children_who_went_missing_together_are_linked(
        self, as_social_worker: ApiClient, council: Organisation
    ) -> None:
        first_child = factories.ChildFactory(responsible_council=council)
        second_child = factories.ChildFactory(responsible_council=council)
        first = as_social_worker.post(EPISODES, a_report(first_child)).body["reference"]
        second = as_social_worker.post(EPISODES, a_report(second_child)).body["reference"]
        linked = as_social_worker.post(url(first, "links"), {"other_reference": second.lower()})
        assert linked.status == 201
        assert [e["reference"] for e in linked.body["linked_episodes"]] == [second]
        other = as_social_worker.get(url(second))
        assert [e["reference"] for e in other.body["linked_episodes"]] == [first]

    def test_read_and_list_are_audited(
        self, as_social_worker: ApiClient, social_worker: Actor, episode: Episode, child: Child
    ) -> None:
        as_social_worker.get(url(episode.reference))
        assert AuditEvent.objects.filter(
            action="view", object_id=episode.reference, channel="api", user=social_worker.user
        ).exists()
        as_social_worker.get(EPISODES)
        assert AuditEvent.objects.filter(
            action="list_result", child_id=child.pk, channel="api"
        ).exists()


class TestList:
    def test_filters_and_pages(
        self, as_social_worker: ApiClient, social_worker: Actor, council: Organisation
    ) -> None:
        children = [factories.ChildFactory(responsible_council=council) for _ in range(3)]
        for hours, child in zip((30, 20, 10), children, strict=True):
            factories.report(social_worker, child, hours_ago=hours, grade="low")
        factories.report(
            social_worker, factories.ChildFactory(responsible_council=council), grade="high"
        )

        first_page = as_social_worker.get(EPISODES, query={"risk_grade": "low", "page_size": 2})
        assert first_page.body["count"] == 3
        assert len(first_page.body["items"]) == 2
        second_page = as_social_worker.get(
            EPISODES, query={"risk_grade": "low", "page_size": 2, "page": 2}
        )
        assert [e["child"]["id"] for e in second_page.body["items"]] == [children[0].pk]

        since = iso(clock.now() - timedelta(hours=25))
        until = iso(clock.now() - timedelta(hours=15))
        window = as_social_worker.get(EPISODES, query={"since": since, "until": until})
        assert [e["child"]["id"] for e in window.body["items"]] == [children[1].pk]

        one_child = as_social_worker.get(EPISODES, query={"child_id": children[2].pk})
        assert [e["child"]["id"] for e in one_child.body["items"]] == [children[2].pk]

    def test_beyond_the_last_page_is_empty(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_social_worker.get(EPISODES, query={"page": 50})
        assert response.status == 200
        assert response.body["items"] == []
        assert response.body["count"] == 1

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"status": "lost"}, "status"),
            ({"risk_grade": "extreme"}, "risk_grade"),
            ({"page": 0}, "page"),
            ({"page_size": 1000}, "page_size"),
            ({"child_id": "abc"}, "child_id"),
            ({"child_id": str(2**70)}, "child_id"),
            ({"since": "2026-01-01T10:00:00"}, "since"),
            ({"since": "yesterday"}, "since"),
        ],
    )
    def test_bad_filters_are_422_naming_the_filter(
        self, as_social_worker: ApiClient, query: dict[str, object], field: str
    ) -> None:
        response = as_social_worker.get(EPISODES, query=query, validate_request=False)
        assert response.status == 422
        assert field in response.problem["errors"]

    def test_until_must_be_after_since(self, as_social_worker: ApiClient) -> None:
        now = clock.now()
        response = as_social_worker.get(
            EPISODES, query={"since": iso(now), "until": iso(now - timedelta(days=1))}
        )
        assert response.status == 422
        assert response.problem["errors"] == {"until": ["Must be after since"]}


class TestIdempotency:
    def test_a_retried_report_returns_the_same_episode_and_creates_one(
        self, as_social_worker: ApiClient, child: Child
    ) -> None:
        body = a_report(child)
        key = {"Idempotency-Key": "3f0d7c1e-report-1"}
        first = as_social_worker.post(EPISODES, body, headers=key)
        before = counts()
        retry = as_social_worker.post(EPISODES, body, headers=key)
        assert first.status == retry.status == 201
        assert retry.body == first.body
        assert retry.headers["ETag"] == first.headers["ETag"]
        assert retry.headers["Location"] == first.headers["Location"]
        assert retry.headers["Idempotent-Replayed"] == "true"
        assert Episode.objects.filter(child=child).count() == 1
        assert counts() == before

    def test_stored_answers_are_kept_for_24_hours_only(
        self, as_social_worker: ApiClient, council: Organisation
    ) -> None:
        from homeward.core.models import IdempotencyKey

        key = {"Idempotency-Key": "day-old-key"}
        child = factories.ChildFactory(responsible_council=council)
        first = as_social_worker.post(EPISODES, a_report(child), headers=key)
        assert first.status == 201
        IdempotencyKey.objects.update(created_at=clock.now() - timedelta(hours=24, minutes=1))
        # The stored answer (it holds the child's details) has gone; the key is free again.
        other = factories.ChildFactory(responsible_council=council)
        again = as_social_worker.post(EPISODES, a_report(other), headers=key)
        assert again.status == 201
        assert "Idempotent-Replayed" not in again.headers
        assert again.body["child"]["id"] == other.pk
        assert IdempotencyKey.objects.count() == 1

    def test_the_same_key_with_a_different_body_is_refused(
        self, as_social_worker: ApiClient, council: Organisation
    ) -> None:
        key = {"Idempotency-Key": "key-used-twice"}
        child = factories.ChildFactory(responsible_council=council)
        other = factories.ChildFactory(responsible_council=council)
        as_social_worker.post(EPISODES, a_report(child), headers=key)
        before = counts()
        response = as_social_worker.post(EPISODES, a_report(other), headers=key)
        assert response.status == 422
        assert "Idempotency-Key" in response.problem["errors"]
        assert counts() == before
        assert not Episode.objects.filter(child=other).exists()

    def test_a_retried_regrade_is_replayed_not_refused_as_stale(
        self, as_police: ApiClient, social_worker: Actor, child: Child
    ) -> None:
        episode = factories.report(social_worker, child)
        body = {"grade": "high", "rationale": "Threats received", "version": 1}
        key = {"Idempotency-Key": "regrade-1"}
        first = as_police.post(url(episode.reference, "risk-assessments"), body, headers=key)
        retry = as_police.post(url(episode.reference, "risk-assessments"), body, headers=key)
        assert first.status == retry.status == 201
        assert retry.body["version"] == 2
        assert RiskAssessment.objects.filter(episode=episode).count() == 2

    def test_a_retried_timeline_entry_is_added_once(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        body = {
            "kind": "call",
            "occurred_at": iso(clock.now() - timedelta(minutes=5)),
            "summary": "Called her phone: no answer",
        }
        key = {"Idempotency-Key": "call-1"}
        as_social_worker.post(url(episode.reference, "timeline"), body, headers=key)
        as_social_worker.post(url(episode.reference, "timeline"), body, headers=key)
        assert TimelineEntry.objects.filter(episode=episode, kind="call").count() == 1

    def test_keys_belong_to_their_user(
        self, api: ApiClient, council: Organisation, child: Child, social_worker: Actor
    ) -> None:
        colleague = factories.member(Role.SOCIAL_WORKER, council)
        key = {"Idempotency-Key": "shared-looking-key"}
        mine = api.post(EPISODES, a_report(child), headers=key, token=token_for(social_worker))
        other_child = factories.ChildFactory(responsible_council=council)
        theirs = api.post(EPISODES, a_report(other_child), headers=key, token=token_for(colleague))
        assert mine.status == theirs.status == 201
        assert mine.body["reference"] != theirs.body["reference"]

    def test_a_refused_request_does_not_use_up_the_key(
        self, as_social_worker: ApiClient, child: Child
    ) -> None:
        key = {"Idempotency-Key": "fix-and-retry"}
        refused = as_social_worker.post(EPISODES, a_report(child, risk_rationale=" "), headers=key)
        assert refused.status == 422
        accepted = as_social_worker.post(EPISODES, a_report(child), headers=key)
        assert accepted.status == 201

    def test_a_race_between_two_copies_leaves_one_result(
        self, as_social_worker: ApiClient, child: Child
    ) -> None:
        """Two copies of one request in flight, neither yet stored. The one that stores
        second hits the unique key, its own episode is rolled back, and it answers with the
        first one's result."""
        key = {"Idempotency-Key": "raced"}
        body = a_report(child)
        first = as_social_worker.post(EPISODES, body, headers=key)
        # Let the second copy open an episode of its own, as it would have in the race.
        Episode.objects.filter(reference=first.body["reference"]).update(status="returned")
        # A copy is not looked up first: it runs, and its answer's insert meets the first
        # copy's key, which rolls its episode back and replays the first answer.
        before = counts()
        second = as_social_worker.post(EPISODES, body, headers=key)
        assert second.status == 201
        assert second.body == first.body
        assert second.headers["Idempotent-Replayed"] == "true"
        assert counts() == before
        assert Episode.objects.filter(child=child).count() == 1

    def test_a_retry_the_service_would_now_refuse_still_gets_the_first_answer(
        self, as_social_worker: ApiClient, child: Child
    ) -> None:
        """The retry runs before its key is looked up; refused (its last-seen time now falls
        inside an episode that has since ended), it is answered from the key, not refused."""
        key = {"Idempotency-Key": "refused-on-retry"}
        body = a_report(child)
        first = as_social_worker.post(EPISODES, body, headers=key)
        assert first.status == 201
        Episode.objects.filter(reference=first.body["reference"]).update(
            status="closed", returned_at=clock.now()
        )
        assert as_social_worker.post(EPISODES, body).status == 422  # refused without the key
        before = counts()
        again = as_social_worker.post(EPISODES, body, headers=key)
        assert again.status == 201
        assert again.body == first.body
        assert again.headers["Idempotent-Replayed"] == "true"
        assert counts() == before

    @pytest.mark.parametrize("key", ["x" * 201, "naïve-key", "tab\tkey"])
    def test_a_malformed_key_is_refused(
        self, as_social_worker: ApiClient, child: Child, key: str
    ) -> None:
        before = counts()
        response = as_social_worker.post(
            EPISODES, a_report(child), headers={"Idempotency-Key": key}, validate_request=False
        )
        assert response.status == 422
        assert "Idempotency-Key" in response.problem["errors"]
        assert counts() == before


class TestOptimisticConcurrency:
    def test_stale_version_in_the_body_is_409_and_says_what_changed(
        self,
        as_social_worker: ApiClient,
        as_police: ApiClient,
        episode: Episode,
        police_officer: Actor,
    ) -> None:
        as_police.post(
            url(episode.reference, "risk-assessments"),
            {"grade": "high", "rationale": "New information", "version": 1},
        )
        before = counts()
        response = as_social_worker.patch(
            url(episode.reference), {"clothing": "Red coat", "version": 1}
        )
        assert response.status == 409
        problem = response.problem
        assert "risk grade changed" in problem["detail"]
        assert police_officer.user is not None
        assert police_officer.user.get_full_name() in problem["detail"]
        assert problem["current_version"] == 2
        assert "risk grade" in problem["changed_fields"]
        episode.refresh_from_db()
        assert episode.clothing == ""
        assert counts() == before

    def test_stale_if_match_is_412_and_nothing_changes(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        as_social_worker.patch(url(episode.reference), {"clothing": "Blue", "version": 1})
        before = counts()
        response = as_social_worker.post(
            url(episode.reference, "return"),
            {
                "returned_at": iso(clock.now() - timedelta(minutes=1)),
                "return_method": "returned_self",
            },
            headers={"If-Match": '"1"'},
        )
        assert response.status == 412
        assert "clothing changed" in response.problem["detail"]
        assert counts() == before
        episode.refresh_from_db()
        assert episode.status == EpisodeStatus.MISSING

    @pytest.mark.parametrize(
        ("action", "body"),
        [
            ("", {"clothing": "Blue"}),
            ("risk-assessments", {"grade": "low", "rationale": "Calmer"}),
            ("classification", {"classification": "A", "reason": "Known address"}),
            (
                "return",
                {"returned_at": "2020-01-01T00:00:00Z", "return_method": "returned_self"},
            ),
            ("close", {}),
        ],
    )
    def test_an_edit_without_a_version_is_428(
        self, as_police: ApiClient, episode: Episode, action: str, body: dict[str, object]
    ) -> None:
        before = counts()
        method = "PATCH" if not action else "POST"
        response = as_police.request(method, url(episode.reference, action), json_body=body)
        assert response.status == 428
        assert "version" in response.problem["detail"]
        assert counts() == before

    def test_if_match_star_is_not_a_version(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_social_worker.patch(
            url(episode.reference), {"clothing": "Blue"}, headers={"If-Match": "*"}
        )
        assert response.status == 428

    def test_a_malformed_if_match_never_matches(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_social_worker.patch(
            url(episode.reference), {"clothing": "Blue"}, headers={"If-Match": "version one"}
        )
        assert response.status == 412

    def test_if_match_and_version_that_disagree_are_refused(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_social_worker.patch(
            url(episode.reference),
            {"clothing": "Blue", "version": 2},
            headers={"If-Match": '"1"'},
        )
        assert response.status == 422
        assert "version" in response.problem["errors"]

    def test_current_if_match_is_accepted(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_social_worker.patch(
            url(episode.reference), {"clothing": "Blue"}, headers={"If-Match": '"1"'}
        )
        assert response.status == 200
        assert response.headers["ETag"] == '"2"'


class TestValidation:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"last_seen_at": "2999-01-01T10:00:00Z"}, "last_seen_at"),
            ({"last_seen_at": "2026-01-01T10:00:00"}, "last_seen_at"),
            ({"last_seen_at": "0001-01-01T00:00:00Z"}, "last_seen_at"),
            ({"last_seen_at": "last Tuesday"}, "last_seen_at"),
            ({"last_seen_location": "  "}, "last_seen_location"),
            ({"last_seen_location": "x" * 301}, "last_seen_location"),
            ({"classification": "X"}, "classification"),
            ({"classification": "A"}, "classification"),
            ({"missing_from": "moon"}, "missing_from"),
            ({"reporter_type": "stranger"}, "reporter_type"),
            ({"risk_grade": "extreme"}, "risk_grade"),
            ({"risk_grade": ""}, "risk_grade"),
            ({"risk_rationale": ""}, "risk_rationale"),
            ({"reported_at": "2000-01-01T00:00:00Z"}, "reported_at"),
            ({"police_reference": "x" * 41}, "police_reference"),
            ({"circumstances": "nul\x00byte"}, "circumstances"),
            ({"child_id": "seven"}, "child_id"),
            ({"child_id": 2**70}, "child_id"),
            ({"child_id": 0}, "child_id"),
            ({"risk_level": "high"}, "risk_level"),
        ],
    )
    def test_each_rule_is_a_422_naming_the_field_and_nothing_is_saved(
        self, as_social_worker: ApiClient, child: Child, overrides: dict[str, object], field: str
    ) -> None:
        before = counts()
        response = as_social_worker.post(
            EPISODES, a_report(child, **overrides), validate_request=False
        )
        assert response.status == 422, response.body
        problem = response.problem
        assert problem["type"] == "urn:homeward:problem:validation-failed"
        assert problem["status"] == 422
        assert field in problem["errors"], problem
        assert all(problem["errors"][field])
        assert counts() == before

    def test_a_missing_field_is_named(self, as_social_worker: ApiClient, child: Child) -> None:
        body = a_report(child)
        del body["last_seen_location"]
        del body["risk_grade"]
        response = as_social_worker.post(EPISODES, body, validate_request=False)
        assert response.status == 422
        assert set(response.problem["errors"]) == {"last_seen_location", "risk_grade"}

    @pytest.mark.parametrize(
        "raw", [b"{not json", b'{"child_id": 1,', b"\xff\xfe", b"[1, 2]", b'"x"']
    )
    def test_malformed_bodies_are_problems_not_errors(
        self, as_social_worker: ApiClient, raw: bytes
    ) -> None:
        before = counts()
        response = as_social_worker.request("POST", EPISODES, raw_body=raw, validate_request=False)
        assert response.status in (400, 422)
        assert response.content_type == "application/problem+json"
        assert response.problem["errors"]
        assert counts() == before

    def test_an_empty_body_is_a_422(self, as_social_worker: ApiClient) -> None:
        response = as_social_worker.request("POST", EPISODES, validate_request=False)
        assert response.status == 422
        assert "body" in response.problem["errors"]

    def test_an_unknown_child_is_404(self, as_social_worker: ApiClient) -> None:
        response = as_social_worker.post(
            EPISODES, a_report(factories.ChildFactory.build(pk=999999))
        )
        assert response.status == 404
        assert response.problem["detail"] == "No child was found."

    def test_return_before_last_seen_is_refused(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        before = counts()
        response = as_social_worker.post(
            url(episode.reference, "return"),
            {
                "returned_at": iso(episode.last_seen_at - timedelta(hours=1)),
                "return_method": "returned_self",
                "version": 1,
            },
        )
        assert response.status == 422
        assert "returned_at" in response.problem["errors"]
        assert counts() == before

    def test_close_before_return_is_refused(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_social_worker.post(url(episode.reference, "close"), {"version": 1})
        assert response.status == 422
        assert "status" in response.problem["errors"]

    def test_regrade_rules(self, as_police: ApiClient, episode: Episode) -> None:
        response = as_police.post(
            url(episode.reference, "risk-assessments"),
            {"grade": "severe", "rationale": " ", "version": 1},
        )
        assert response.status == 422
        assert {"risk_grade", "rationale"} <= set(response.problem["errors"])
        assert RiskAssessment.objects.filter(episode=episode).count() == 1

    def test_classification_needs_a_reason(
        self, as_social_worker: ApiClient, episode: Episode, child: Child
    ) -> None:
        factories.looked_after(child)
        response = as_social_worker.post(
            url(episode.reference, "classification"),
            {"classification": "A", "reason": "", "version": 1},
        )
        assert response.status == 422
        assert "reason" in response.problem["errors"]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"kind": "report"}, "kind"),
            ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
            ({"summary": "   "}, "summary"),
        ],
    )
    def test_timeline_rules(
        self, as_social_worker: ApiClient, episode: Episode, body: dict[str, object], field: str
    ) -> None:
        entry: dict[str, object] = {
            "kind": "note",
            "occurred_at": iso(clock.now() - timedelta(minutes=1)),
            "summary": "Spoke to her school",
        }
        entry.update(body)
        before = counts()
        response = as_social_worker.post(
            url(episode.reference, "timeline"), entry, validate_request=False
        )
        assert response.status == 422
        assert field in response.problem["errors"]
        assert counts() == before

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"clothing": None, "version": 1}, "clothing"),
            ({"last_seen_location": "", "version": 1}, "last_seen_location"),
            ({"risk_grade": "low", "version": 1}, "risk_grade"),
            ({"status": "closed", "version": 1}, "status"),
            ({"clothing": "Blue", "version": 0}, "version"),
            ({"clothing": "Blue", "version": "one"}, "version"),
            ({"last_seen_at": "2999-01-01T00:00:00Z", "version": 1}, "last_seen_at"),
        ],
    )
    def test_patch_rules(
        self, as_social_worker: ApiClient, episode: Episode, body: dict[str, object], field: str
    ) -> None:
        response = as_social_worker.patch(url(episode.reference), body, validate_request=False)
        assert response.status == 422
        assert field in response.problem["errors"]
        episode.refresh_from_db()
        assert episode.version == 1

    def test_link_to_an_unknown_episode_is_refused(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_social_worker.post(
            url(episode.reference, "links"), {"other_reference": "HW-NOTHERE"}
        )
        assert response.status == 422
        assert "other_reference" in response.problem["errors"]


class TestAccess:
    @pytest.mark.parametrize(
        "reference", ["HW-NOTHERE", "hw-nothere", "not a reference", "x" * 50, "%00"]
    )
    def test_a_bad_reference_is_404(self, as_social_worker: ApiClient, reference: str) -> None:
        response = as_social_worker.get(url(reference), validate_request=False)
        assert response.status == 404
        assert response.content_type == "application/problem+json"

    def test_another_councils_episode_is_404_with_no_identity(
        self, api: ApiClient, episode: Episode, child: Child
    ) -> None:
        stranger = factories.member(Role.SOCIAL_WORKER, factories.CouncilFactory())
        client = api.as_(token_for(stranger))
        for response in (
            client.get(url(episode.reference)),
            client.patch(url(episode.reference), {"clothing": "x", "version": 1}),
            client.post(
                url(episode.reference, "timeline"),
                {"kind": "note", "occurred_at": iso(clock.now()), "summary": "x"},
            ),
            client.post(EPISODES, a_report(child)),
        ):
            assert response.status == 404
            assert child.first_name not in response.raw.decode()
            assert child.last_name not in response.raw.decode()
        assert client.get(EPISODES).body["items"] == []

    @pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.NATIONAL_ANALYST])
    def test_aggregate_roles_reach_no_identity(
        self, api: ApiClient, council: Organisation, episode: Episode, child: Child, role: Role
    ) -> None:
        organisation = council
        if role == Role.NATIONAL_ANALYST:
            organisation = factories.CouncilFactory(kind="national", police_force=None)
        client = api.as_(token_for(factories.member(role, organisation)))
        responses = [
            client.get(url(episode.reference)),
            client.get(EPISODES),
            client.post(EPISODES, a_report(child)),
            client.post(url(episode.reference, "close"), {"version": 1}),
        ]
        assert [r.status for r in responses] == [404, 403, 404, 404]
        for response in responses:
            body = response.raw.decode()
            assert child.first_name not in body
            assert child.last_name not in body
            assert episode.reference not in body.replace(url(episode.reference), "")

    def test_a_role_without_the_action_gets_403(
        self, as_social_worker: ApiClient, episode: Episode
    ) -> None:
        response = as_social_worker.post(
            url(episode.reference, "risk-assessments"),
            {"grade": "high", "rationale": "Worried", "version": 1},
        )
        assert response.status == 403
        assert response.problem["type"] == "urn:homeward:problem:forbidden"
        assert RiskAssessment.objects.filter(episode=episode).count() == 1

    def test_care_staff_can_report_a_child_in_their_home(
        self, api: ApiClient, council: Organisation
    ) -> None:
        home = factories.CareProviderFactory(area_council=council)
        child = factories.ChildFactory(responsible_council=council)
        factories.looked_after(child)
        factories.place(child, provider=home)
        staff = api.as_(token_for(factories.member(Role.CARE_STAFF, home)))
        response = staff.post(
            EPISODES, a_report(child, missing_from="placement", reporter_type="home_staff")
        )
        assert response.status == 201
        assert response.body["reporting_organisation"]["id"] == home.pk


class TestLateReportAndNextSteps:
    def test_a_late_report_carries_its_return(
        self, as_social_worker: ApiClient, social_worker: Actor, child: Child
    ) -> None:
        now = clock.now()
        later = factories.report(social_worker, child, last_seen_at=now - timedelta(days=10))
        as_social_worker.post(
            url(later.reference, "return"),
            {"returned_at": iso(now - timedelta(days=9)), "return_method": "returned_self"},
            headers={"If-Match": '"1"'},
        )
        refused = as_social_worker.post(
            EPISODES, a_report(child, last_seen_at=iso(now - timedelta(days=30)))
        )
        assert refused.status == 422
        assert "This overlaps episode" in refused.problem["errors"]["last_seen_at"][0]

        reported = as_social_worker.post(
            EPISODES,
            a_report(
                child,
                last_seen_at=iso(now - timedelta(days=30)),
                return_details={
                    "returned_at": iso(now - timedelta(days=28)),
                    "return_method": "found_by_carer",
                    "found_location": "Grandmother's flat",
                },
            ),
        )
        assert reported.status == 201
        assert reported.body["status"] == "returned"
        assert reported.body["return_details"]["found_location"] == "Grandmother's flat"
        assert reported.body["return_interview"] is not None
        assert reported.body["next_steps"]["close"] == {
            "available": False,
            "reason": "The episode cannot be closed yet: the safe and well check is not "
            "recorded and the return interview is not recorded",
        }
        assert "record_return" in reported.body["next_steps"]
        assert reported.body["next_steps"]["record_return"]["available"] is False

    def test_a_late_report_that_ends_before_it_began_is_a_field_error(
        self, as_social_worker: ApiClient, child: Child
    ) -> None:
        now = clock.now()
        before = counts()
        refused = as_social_worker.post(
            EPISODES,
            a_report(
                child,
                last_seen_at=iso(now - timedelta(days=3)),
                return_details={
                    "returned_at": iso(now - timedelta(days=4)),
                    "return_method": "returned_self",
                },
            ),
        )
        assert refused.status == 422
        assert "cannot be before" in refused.problem["errors"]["returned_at"][0]
        assert counts() == before

    def test_next_steps_leave_out_what_the_role_never_does(
        self, api: ApiClient, episode: Episode, council: Organisation
    ) -> None:
        home = factories.CareProviderFactory()
        factories.looked_after(episode.child)
        factories.place(episode.child, provider=home, host=council)
        staff = api.as_(token_for(factories.member(Role.CARE_STAFF, home)))
        body = staff.get(url(episode.reference)).body
        assert "close" not in body["next_steps"]
        assert "regrade" not in body["next_steps"]
        assert body["next_steps"]["record_return"] == {"available": True, "reason": ""}


class TestAddThenReport:
    def test_a_call_handler_adds_a_child_then_reports_them(
        self, api: ApiClient, police: Organisation, council: Organisation
    ) -> None:
        handler = api.as_(token_for(factories.member(Role.POLICE_CALL_HANDLER, police)))
        added = handler.post(
            "/api/v1/children",
            {
                "first_name": "Ardene",
                "last_name": "Wolvercote",
                "date_of_birth": (clock.now().date() - timedelta(days=365 * 12)).isoformat(),
                "sex": "2",
                "responsible_council_id": council.pk,
            },
        )
        assert added.status == 201
        assert added.body["added_by_organisation"]["id"] == police.pk
        child_id = added.body["id"]
        assert handler.get(f"/api/v1/children/{child_id}").status == 200
        reported = handler.post(EPISODES, a_report(Child.objects.get(pk=child_id)))
        assert reported.status == 201
        assert reported.body["police_force"]["id"] == police.pk
        # Nothing else of the council's opens to the force.
        other = factories.ChildFactory(responsible_council=council)
        assert handler.get(f"/api/v1/children/{other.pk}").status == 404
        assert handler.post(EPISODES, a_report(other)).status == 404
