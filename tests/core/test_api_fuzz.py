"""Never a 500 for bad input: generated bodies, built from each operation's own field names
with hostile values (huge numbers, NUL, far-off dates, wrong types), give a documented
2xx or 4xx answer that matches the OpenAPI document."""

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from tests import factories
from tests.apiclient import ApiClient, ApiResponse, token_for

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "\x00",
            "x" * 20_000,
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59-12:00",
            "2026-02-30",
            "2020-01-01T00:00:00+01:00",
            "M",
            "A",
            "high",
            "absent",
            "home",
            "HW-AAAAAAAA",
        ]
    ),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def bodies(openapi_document: dict[str, Any], schema_name: str) -> st.SearchStrategy[dict[str, Any]]:
    fields = list(openapi_document["components"]["schemas"][schema_name]["properties"])
    return st.dictionaries(st.sampled_from([*fields, "unexpected"]), HOSTILE, max_size=8)


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(response: ApiResponse) -> None:
    # ApiClient has already validated the response against the document and refused 500.
    assert 200 <= response.status < 500


def test_reports(
    api: ApiClient, openapi_document: dict[str, Any], social_worker: Actor, child: Child
) -> None:
    client = api.as_(token_for(social_worker))

    @FUZZ
    @given(body=bodies(openapi_document, "ReportIn"), use_child=st.booleans())
    def run(body: dict[str, Any], use_child: bool) -> None:
        if use_child:
            body["child_id"] = child.pk
        check(client.post("/api/v1/episodes", body, validate_request=False))

    run()


def test_episode_edits(
    api: ApiClient,
    openapi_document: dict[str, Any],
    social_worker: Actor,
    police_officer: Actor,
    child: Child,
) -> None:
    episode = factories.report(social_worker, child, hours_ago=2)
    client = api.as_(token_for(police_officer))
    actions = {
        "": "EpisodeUpdateIn",
        "/risk-assessments": "RegradeIn",
        "/classification": "ClassificationIn",
        "/timeline": "TimelineEntryIn",
        "/return": "ReturnIn",
        "/close": "CloseIn",
        "/links": "LinkIn",
    }

    @FUZZ
    @given(
        action=st.sampled_from(sorted(actions)),
        data=st.data(),
        if_match=st.sampled_from([None, '"1"', "*", 'W/"2"', "garbage", '"99999999999"']),
    )
    def run(action: str, data: st.DataObject, if_match: str | None) -> None:
        body = data.draw(bodies(openapi_document, actions[action]))
        headers = {"If-Match": if_match} if if_match else {}
        method = "PATCH" if action == "" else "POST"
        url = f"/api/v1/episodes/{episode.reference}{action}"
        check(client.request(method, url, json_body=body, headers=headers, validate_request=False))

    run()


def test_children(api: ApiClient, openapi_document: dict[str, Any], social_worker: Actor) -> None:
    client = api.as_(token_for(social_worker))

    @FUZZ
    @given(body=bodies(openapi_document, "ChildIn"), search=st.booleans())
    def run(body: dict[str, Any], search: bool) -> None:
        if search:
            body = {"q": body.get("first_name", "")}
        url = "/api/v1/children/search" if search else "/api/v1/children"
        check(client.post(url, body, validate_request=False))

    run()


def test_list_filters(api: ApiClient, social_worker: Actor) -> None:
    client = api.as_(token_for(social_worker))
    text = st.one_of(st.text(max_size=12), st.integers(-(2**70), 2**70).map(str))

    @FUZZ
    @given(
        query=st.dictionaries(
            st.sampled_from(
                ["status", "child_id", "risk_grade", "since", "until", "page", "page_size"]
            ),
            text,
            max_size=4,
        )
    )
    def run(query: dict[str, str]) -> None:
        check(client.get("/api/v1/episodes", query=query, validate_request=False))

    run()


def test_a_valid_report_still_works_after_the_noise(
    api: ApiClient, social_worker: Actor, child: Child
) -> None:
    client = api.as_(token_for(social_worker))
    body = {
        "child_id": child.pk,
        "classification": "M",
        "last_seen_at": (clock.now() - timedelta(hours=1)).isoformat(),
        "last_seen_location": "Library",
        "missing_from": "home",
        "reporter_type": "parent",
        "risk_grade": "low",
        "risk_rationale": "Known to stay with friends",
    }
    assert client.post("/api/v1/episodes", body).status == 201
