"""Input that once reached the database or the parser and came back as a 500: times with a
UTC offset no database stores, numbers and booleans where JSON should say what it means,
and bodies too large to read. Each is a 4xx problem document naming what is wrong, and
nothing is saved."""

import datetime as dt
from datetime import timedelta

import pytest
from django.conf import settings

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.aftercare.test_api import returned
from tests.apiclient import ApiClient, ApiResponse, counts, token_for

EPISODES = "/api/v1/episodes"
INTERVIEWS = "/api/v1/return-interviews"

# UTC offsets run from -12:00 to +14:00 on Earth; PostgreSQL stores up to +-15:59.
FAR_OFFSETS = ["+18:00", "-16:00", "+16:00", "+23:59"]


def when(offset: str, hours_ago: int = 2) -> str:
    """The time ``hours_ago`` hours ago, written with the UTC offset ``offset``."""
    moment = clock.now() - timedelta(hours=hours_ago)
    if offset == "Z":
        return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    sign = -1 if offset[0] == "-" else 1
    hours, minutes = (int(part) for part in offset[1:].split(":"))
    zone = dt.timezone(sign * timedelta(hours=hours, minutes=minutes))
    return moment.astimezone(zone).isoformat(timespec="seconds")


def assert_field_refused(response: ApiResponse, field: str) -> None:
    assert response.status == 422, response.body
    problem = response.problem
    assert problem["type"] == "urn:homeward:problem:validation-failed"
    assert field in problem["errors"], problem
    assert problem["detail"].startswith(f"{field}: ")


@pytest.fixture
def rhi_provider() -> Organisation:
    from homeward.organisations.models import Organisation, OrganisationKind

    return Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Edge Return Ltd", code="RHI8"
    )


@pytest.fixture
def coordinator(council: Organisation) -> Actor:
    return factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)


class TestOffsetsNoDatabaseStores:
    """``2026-11-30T10:00:00+18:00`` once gave a 500 on PostgreSQL in five endpoints."""

    @pytest.mark.parametrize("offset", FAR_OFFSETS)
    def test_every_time_in_an_episode_is_checked(
        self, api: ApiClient, social_worker: Actor, police_officer: Actor, child: Child, offset: str
    ) -> None:
        as_police = api.as_(token_for(police_officer))
        as_council = api.as_(token_for(social_worker))
        report = {
            "child_id": child.pk,
            "classification": "M",
            "last_seen_at": when(offset),
            "last_seen_location": "Library",
            "missing_from": "home",
            "reporter_type": "parent",
            "risk_grade": "low",
            "risk_rationale": "Known to stay with friends",
        }
        before = counts()
        assert_field_refused(as_council.post(EPISODES, report), "last_seen_at")
        report["last_seen_at"] = when("Z")
        assert_field_refused(
            as_council.post(EPISODES, {**report, "reported_at": when(offset, 1)}), "reported_at"
        )
        assert counts() == before

        episode = factories.report(social_worker, child, hours_ago=5)
        url = f"{EPISODES}/{episode.reference}"
        edits: list[tuple[str, str, dict[str, object], str]] = [
            ("PATCH", "", {"last_seen_at": when(offset, 6)}, "last_seen_at"),
            (
                "POST",
                "/risk-assessments",
                {
                    "grade": "high",
                    "rationale": "New information",
                    "information_obtained_at": when(offset, 1),
                },
                "information_obtained_at",
            ),
            (
                "POST",
                "/timeline",
                {"kind": "sighting", "occurred_at": when(offset, 1), "summary": "Seen"},
                "occurred_at",
            ),
            (
                "POST",
                "/return",
                {"returned_at": when(offset, 1), "return_method": "returned_self"},
                "returned_at",
            ),
        ]
        before = counts()
        for method, action, body, field in edits:
            if action != "/timeline":
                body["version"] = episode.version
            response = as_police.request(method, url + action, json_body=body)
            assert_field_refused(response, field)
        assert counts() == before

    @pytest.mark.parametrize("field", ["since", "until"])
    def test_list_filters(self, api: ApiClient, social_worker: Actor, field: str) -> None:
        response = api.as_(token_for(social_worker)).get(
            EPISODES, query={field: when("+18:00")}, validate_request=False
        )
        assert_field_refused(response, field)

    def test_aftercare_times(
        self,
        api: ApiClient,
        social_worker: Actor,
        police_officer: Actor,
        coordinator: Actor,
        child: Child,
    ) -> None:
        episode = returned(social_worker, child)
        as_police = api.as_(token_for(police_officer))
        check = {
            "done": True,
            "conducted_at": when("+18:00", 1),
            "child_account": "I was at a friend's",
        }
        assert_field_refused(
            as_police.post(f"{EPISODES}/{episode.reference}/safe-and-well-check", check),
            "conducted_at",
        )
        interview = episode.return_interviews.get()
        as_coordinator = api.as_(token_for(coordinator))
        offer = {
            "offered_at": when("-16:00", 1),
            "offered_by": "Sam Coordinator",
            "offer_method": "phone",
            "version": interview.version,
        }
        assert_field_refused(
            as_coordinator.post(f"{INTERVIEWS}/{interview.pk}/offer", offer), "offered_at"
        )

    def test_real_offsets_still_work(
        self, api: ApiClient, social_worker: Actor, child: Child
    ) -> None:
        body = {
            "child_id": child.pk,
            "classification": "M",
            "last_seen_at": when("+14:00", 16),
            "last_seen_location": "Library",
            "missing_from": "home",
            "reporter_type": "parent",
            "risk_grade": "low",
            "risk_rationale": "Known to stay with friends",
            "reported_at": when("-12:00", 15),
        }
        assert api.as_(token_for(social_worker)).post(EPISODES, body).status == 201


class TestStrictTypes:
    """JSON says what it means: ``true`` is not 1, and "0.5" is not a Unix time."""

    @pytest.mark.parametrize("value", ["0.5", "0", "1700000000", "-1"])
    def test_a_number_is_not_a_time(self, api: ApiClient, social_worker: Actor, value: str) -> None:
        response = api.as_(token_for(social_worker)).get(
            EPISODES, query={"until": value}, validate_request=False
        )
        assert_field_refused(response, "until")

    @pytest.mark.parametrize("value", [1700000000, 0.5])
    def test_a_json_number_is_not_a_time(
        self, api: ApiClient, social_worker: Actor, child: Child, value: float
    ) -> None:
        episode = factories.report(social_worker, child, hours_ago=5)
        response = api.as_(token_for(social_worker)).post(
            f"{EPISODES}/{episode.reference}/timeline",
            {"kind": "note", "occurred_at": value, "summary": "A note"},
            validate_request=False,
        )
        assert_field_refused(response, "occurred_at")

    @pytest.mark.parametrize("value", [True, 1.0, "1"])
    def test_a_version_is_a_whole_number(
        self,
        api: ApiClient,
        social_worker: Actor,
        police_officer: Actor,
        child: Child,
        value: object,
    ) -> None:
        episode = factories.report(social_worker, child, hours_ago=5)
        before = counts()
        response = api.as_(token_for(police_officer)).post(
            f"{EPISODES}/{episode.reference}/close", {"version": value}, validate_request=False
        )
        assert_field_refused(response, "version")
        assert counts() == before

    @pytest.mark.parametrize("value", [True, "5", 5.0])
    def test_an_id_is_a_whole_number(
        self, api: ApiClient, social_worker: Actor, child: Child, value: object
    ) -> None:
        body = {
            "child_id": value,
            "classification": "M",
            "last_seen_at": when("Z"),
            "last_seen_location": "Library",
            "missing_from": "home",
            "reporter_type": "parent",
            "risk_grade": "low",
            "risk_rationale": "Known to stay with friends",
        }
        before = counts()
        response = api.as_(token_for(social_worker)).post(EPISODES, body, validate_request=False)
        assert_field_refused(response, "child_id")
        assert counts() == before

    @pytest.mark.parametrize("value", [1, "true", "yes"])
    def test_a_yes_or_no_is_true_or_false(
        self,
        api: ApiClient,
        social_worker: Actor,
        police_officer: Actor,
        child: Child,
        value: object,
    ) -> None:
        episode = returned(social_worker, child)
        response = api.as_(token_for(police_officer)).post(
            f"{EPISODES}/{episode.reference}/safe-and-well-check",
            {"done": value, "not_done_reason": "Asleep"},
            validate_request=False,
        )
        assert_field_refused(response, "done")

    @pytest.mark.parametrize("value", [20120101, "2012-01-01T00:00:00", "1325376000"])
    def test_a_date_is_a_date(self, api: ApiClient, social_worker: Actor, value: object) -> None:
        body = {
            "first_name": "Alex",
            "last_name": "Edgecase",
            "date_of_birth": value,
            "sex": "1",
        }
        response = api.as_(token_for(social_worker)).post(
            "/api/v1/children", body, validate_request=False
        )
        assert_field_refused(response, "date_of_birth")

    def test_query_strings_are_still_read_as_text(
        self, api: ApiClient, social_worker: Actor, child: Child
    ) -> None:
        episode = factories.report(social_worker, child, hours_ago=5)
        query = {
            "child_id": str(child.pk),
            "page": "1",
            "page_size": "10",
            "since": when("+01:00", 10),
            "until": when("Z", 0),
        }
        response = api.as_(token_for(social_worker)).get(EPISODES, query=query)
        assert response.status == 200
        assert [item["reference"] for item in response.body["items"]] == [episode.reference]


class TestBodiesTooLargeToRead:
    def test_a_body_over_the_limit_is_413(self, api: ApiClient, social_worker: Actor) -> None:
        size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
        body = b'{"q": "' + b"x" * size + b'"}'
        before = counts()
        response = api.as_(token_for(social_worker)).request(
            "POST", "/api/v1/children/search", raw_body=body, validate_request=False
        )
        assert response.status == 413
        problem = response.problem
        assert problem["type"] == "urn:homeward:problem:too-large"
        assert "larger than 2.5 MB" in problem["detail"]
        assert counts() == before

    def test_a_three_megabyte_report_is_413(
        self, api: ApiClient, social_worker: Actor, child: Child
    ) -> None:
        body = (
            b'{"child_id": %d, "classification": "M", "circumstances": "' % child.pk
            + b"y" * (3 * 1024 * 1024)
            + b'"}'
        )
        response = api.as_(token_for(social_worker)).request(
            "POST", EPISODES, raw_body=body, validate_request=False
        )
        assert response.status == 413
        assert response.problem["status"] == 413

    def test_it_is_413_before_the_token_is_even_checked(self, api: ApiClient) -> None:
        body = b"[" + b"0," * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2) + b"0]"
        response = api.request("POST", EPISODES, raw_body=body, token=None, validate_request=False)
        assert response.status == 413
