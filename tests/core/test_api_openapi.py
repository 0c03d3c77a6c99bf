"""The OpenAPI document and the docs page: a valid document that describes bearer auth,
problem responses, ETags and Idempotency-Key on every operation that has them, and a docs
page that loads entirely from this service (no CDN, no public validator)."""

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

from tests.responses import ClientResponse

EXPECTED_OPERATIONS = {
    ("get", "/api/v1/children/{child_id}/profile"),
    ("put", "/api/v1/children/{child_id}/profile"),
    ("post", "/api/v1/children/{child_id}/profile/photos"),
    ("get", "/api/v1/children/{child_id}/profile/photos/{photo_id}"),
    ("post", "/api/v1/children/search"),
    ("get", "/api/v1/children/{child_id}"),
    ("post", "/api/v1/children"),
    ("post", "/api/v1/children/emergency-access"),
    ("get", "/api/v1/children/emergency-access"),
    ("post", "/api/v1/children/emergency-access/{access_id}/review"),
    ("get", "/api/v1/children/{child_id}/audit-trail"),
    ("post", "/api/v1/episodes"),
    ("get", "/api/v1/episodes"),
    ("get", "/api/v1/episodes/{reference}"),
    ("patch", "/api/v1/episodes/{reference}"),
    ("post", "/api/v1/episodes/{reference}/risk-assessments"),
    ("post", "/api/v1/episodes/{reference}/classification"),
    ("post", "/api/v1/episodes/{reference}/timeline"),
    ("post", "/api/v1/episodes/{reference}/return"),
    ("post", "/api/v1/episodes/{reference}/close"),
    ("post", "/api/v1/episodes/{reference}/links"),
    ("post", "/api/v1/episodes/{reference}/safe-and-well-check"),
    ("get", "/api/v1/return-interviews"),
    ("get", "/api/v1/return-interviews/{interview_id}"),
    ("post", "/api/v1/return-interviews/{interview_id}/provider"),
    ("post", "/api/v1/return-interviews/{interview_id}/offer"),
    ("post", "/api/v1/return-interviews/{interview_id}/outcome"),
    ("post", "/api/v1/return-interviews/{interview_id}/interview"),
    ("get", "/api/v1/me"),
    ("post", "/api/v1/children/matches"),
    ("get", "/api/v1/possible-duplicates"),
    ("get", "/api/v1/possible-duplicates/{candidate_id}"),
    ("post", "/api/v1/possible-duplicates/{candidate_id}/decision"),
    ("post", "/api/v1/links"),
    ("post", "/api/v1/records/{child_id}/unlink"),
    ("get", "/api/v1/children/{child_id}/plan"),
    ("put", "/api/v1/children/{child_id}/plan"),
    ("get", "/api/v1/children/{child_id}/plan/versions"),
    ("get", "/api/v1/children/{child_id}/plan/versions/{number}"),
    ("get", "/api/v1/plan-reviews"),
    ("get", "/api/v1/plan-reviews/{review_id}"),
    ("post", "/api/v1/plan-reviews/{review_id}/complete"),
    ("get", "/api/v1/episodes/{reference}/briefing"),
    ("get", "/api/v1/episodes/{reference}/briefing.pdf"),
    ("post", "/api/v1/episodes/{reference}/appeal"),
    ("post", "/api/v1/episodes/{reference}/appeal/withdraw"),
    ("get", "/api/v1/episodes/{reference}/appeal"),
    # The home's missing protocol, its runs and figures.
    ("get", "/api/v1/protocols/compliance"),
    ("get", "/api/v1/protocols/home"),
    ("put", "/api/v1/protocols/home"),
    ("get", "/api/v1/episodes/{reference}/protocol"),
    ("post", "/api/v1/episodes/{reference}/protocol/steps/{position}"),
    ("post", "/api/v1/episodes/{reference}/protocol/sign-off"),
    ("post", "/api/v1/episodes/{reference}/protocol/notices"),
    # Multi-agency meetings, their decisions and actions.
    ("get", "/api/v1/meetings"),
    ("post", "/api/v1/meetings"),
    ("get", "/api/v1/meetings/{meeting_id}"),
    ("post", "/api/v1/meetings/{meeting_id}/members"),
    ("post", "/api/v1/meetings/{meeting_id}/attendance"),
    ("post", "/api/v1/meetings/{meeting_id}/minutes"),
    ("post", "/api/v1/meetings/{meeting_id}/hold"),
    ("post", "/api/v1/meetings/{meeting_id}/cancel"),
    ("post", "/api/v1/meetings/{meeting_id}/agenda"),
    ("get", "/api/v1/meetings/{meeting_id}/pack.pdf"),
    ("post", "/api/v1/meetings/{meeting_id}/decisions"),
    ("post", "/api/v1/meetings/{meeting_id}/actions"),
    ("get", "/api/v1/meeting-actions"),
    ("post", "/api/v1/meeting-actions/{action_id}/done"),
    # places and hotspots (issue 15)
    ("get", "/api/v1/places"),
    ("post", "/api/v1/places"),
    ("post", "/api/v1/places/search"),
    ("post", "/api/v1/places/search/suggestions"),
    ("get", "/api/v1/places/{place_id}"),
    ("post", "/api/v1/places/{place_id}/links"),
    ("delete", "/api/v1/place-links/{place_link_id}"),
    ("get", "/api/v1/hotspots"),
    # Persons of concern and harbouring notices.
    ("get", "/api/v1/persons"),
    ("post", "/api/v1/persons"),
    ("get", "/api/v1/persons/{person_id}"),
    ("patch", "/api/v1/persons/{person_id}"),
    ("post", "/api/v1/persons/{person_id}/links"),
    ("post", "/api/v1/persons/{person_id}/links/{link_id}/remove"),
    ("get", "/api/v1/notices"),
    ("post", "/api/v1/notices"),
    ("get", "/api/v1/notices/{notice_id}"),
    ("post", "/api/v1/notices/{notice_id}/review"),
    ("post", "/api/v1/notices/{notice_id}/withdraw"),
    ("post", "/api/v1/notices/{notice_id}/breaches"),
    # Who goes missing with whom.
    ("get", "/api/v1/children/{child_id}/peers"),
    ("get", "/api/v1/peer-groups"),
    # The child's own account of a return interview.
    ("get", "/api/v1/return-interviews/{interview_id}/own-account"),
    ("post", "/api/v1/return-interviews/{interview_id}/own-account/link"),
    ("post", "/api/v1/return-interviews/{interview_id}/own-account/link/revoke"),
    ("post", "/api/v1/return-interviews/{interview_id}/own-account/withdrawal"),
    # Themes in what children say, and "You said, we did".
    ("get", "/api/v1/themes"),
    ("get", "/api/v1/themes/{theme_id}"),
    ("post", "/api/v1/themes/{theme_id}/name"),
    ("post", "/api/v1/themes/{theme_id}/merge"),
    ("post", "/api/v1/theme-items/{theme_item_id}/theme"),
    ("post", "/api/v1/theme-runs"),
    ("get", "/api/v1/theme-links"),
    ("post", "/api/v1/theme-links"),
    ("get", "/api/v1/theme-trends"),
    # Case audits.
    ("post", "/api/v1/case-audits"),
    ("get", "/api/v1/case-audits"),
    ("get", "/api/v1/case-audits/{audit_id}"),
    ("get", "/api/v1/case-audits/{audit_id}/cases/{audit_case_id}"),
    ("put", "/api/v1/case-audits/{audit_id}/cases/{audit_case_id}/judgements"),
    ("post", "/api/v1/case-audits/{audit_id}/close"),
    ("get", "/api/v1/case-audits/{audit_id}/report"),
}
INTERVIEW_EDITS = {
    ("post", "/api/v1/return-interviews/{interview_id}/provider"),
    ("post", "/api/v1/return-interviews/{interview_id}/offer"),
    ("post", "/api/v1/return-interviews/{interview_id}/outcome"),
    ("post", "/api/v1/return-interviews/{interview_id}/interview"),
}
VERSIONED = INTERVIEW_EDITS | {
    ("put", "/api/v1/protocols/home"),
    ("patch", "/api/v1/episodes/{reference}"),
    ("post", "/api/v1/episodes/{reference}/risk-assessments"),
    ("post", "/api/v1/episodes/{reference}/classification"),
    ("post", "/api/v1/episodes/{reference}/return"),
    ("post", "/api/v1/episodes/{reference}/close"),
    ("put", "/api/v1/children/{child_id}/plan"),
    ("put", "/api/v1/children/{child_id}/profile"),
    ("put", "/api/v1/case-audits/{audit_id}/cases/{audit_case_id}/judgements"),
    ("post", "/api/v1/case-audits/{audit_id}/close"),
}
# A photograph's upload is multipart, which the stored answers do not fingerprint: sent
# again, it adds the same photograph again as the current one, and changes nothing else.
MULTIPART = {("post", "/api/v1/children/{child_id}/profile/photos")}
# Every POST that creates or changes something; search is a read.
# Searches change nothing, so they take no Idempotency-Key.
SEARCHES = ("search", "/matches")
# A child's own-account link is in its answer only: a stored answer to replay would keep
# the link's token, which Homeward never keeps. Sent again, it makes a new link (ending
# the first), so a retry is safe without a key.
ONE_TIME_ANSWERS = {("post", "/api/v1/return-interviews/{interview_id}/own-account/link")}
IDEMPOTENT = {
    op
    for op in EXPECTED_OPERATIONS
    if op[0] == "post" and not any(word in op[1] for word in SEARCHES) and op not in MULTIPART
} - ONE_TIME_ANSWERS


def operations(
    document: dict[str, Any],
) -> Iterator[tuple[tuple[str, str], dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield (method, path), operation


def test_the_document_is_served_without_a_token_and_is_valid_openapi(
    openapi_document: dict[str, Any],
) -> None:
    validate(openapi_document)
    assert openapi_document["openapi"].startswith("3.")
    assert {op for op, _ in operations(openapi_document)} == EXPECTED_OPERATIONS


def test_every_operation_needs_a_bearer_token(openapi_document: dict[str, Any]) -> None:
    scheme = openapi_document["components"]["securitySchemes"]["BearerToken"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    for op, operation in operations(openapi_document):
        assert operation["security"] == [{"BearerToken": []}], op


def test_every_operation_describes_its_problems(openapi_document: dict[str, Any]) -> None:
    problem_schema = openapi_document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem_schema["properties"])
    for op, operation in operations(openapi_document):
        responses = operation["responses"]
        wanted = {"401", "403", "404", "422"}
        if op in VERSIONED:
            wanted |= {"409", "412", "428"}
        if "requestBody" in operation:
            wanted.add("400")
        for status in wanted:
            content = responses[status]["content"]
            assert list(content) == ["application/problem+json"], (op, status)


def test_if_match_and_idempotency_key_are_documented_where_they_apply(
    openapi_document: dict[str, Any],
) -> None:
    for op, operation in operations(openapi_document):
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("If-Match" in headers) == (op in VERSIONED), op
        assert ("Idempotency-Key" in headers) == (op in IDEMPOTENT), op


def test_single_episode_responses_document_their_etag(openapi_document: dict[str, Any]) -> None:
    # A safe and well check is recorded once and never edited: it has no version.
    unversioned = {("post", "/api/v1/episodes/{reference}/safe-and-well-check")}
    for op, operation in operations(openapi_document):
        # The child's own account has a version of its own (in the body), not the
        # interview's ETag.
        if op in unversioned or "/own-account" in op[1]:
            continue
        if (
            "/episodes/{reference}" in op[1]
            or "/return-interviews/{interview_id}" in op[1]
            or op == ("post", "/api/v1/episodes")
        ):
            for status, response in operation["responses"].items():
                if status.startswith("2"):
                    assert response["headers"]["ETag"]["required"] is True, (op, status)


def test_the_episode_schema_covers_the_whole_episode(openapi_document: dict[str, Any]) -> None:
    properties = openapi_document["components"]["schemas"]["EpisodeOut"]["properties"]
    for name in (
        "reference",
        "version",
        "status",
        "classification",
        "risk_grade",
        "risk_history",
        "classification_history",
        "timeline",
        "return_details",
        "linked_episodes",
        "police_force",
    ):
        assert name in properties, name


def test_personal_data_never_goes_in_a_url(openapi_document: dict[str, Any]) -> None:
    for op, operation in operations(openapi_document):
        query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert not query & {"q", "name", "first_name", "last_name", "date_of_birth"}, op


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href", "action"} and value:
                self.urls.append(value)


@pytest.fixture(scope="module")
def docs() -> ClientResponse:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    return response


def test_the_docs_page_loads_only_from_this_service(docs: ClientResponse) -> None:
    html = docs.content.decode()
    assert "http://" not in html
    assert "https://" not in html
    parser = _Links()
    parser.feed(html)
    assert parser.urls, "the docs page should load its scripts and styles"
    for url in parser.urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url


def test_the_docs_assets_are_bundled_static_files(docs: ClientResponse) -> None:
    parser = _Links()
    parser.feed(docs.content.decode())
    for url in parser.urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file"
    init_script = finders.find("ninja/swagger-ui-init.js")
    assert init_script
    with open(init_script) as handle:
        assert "http" not in handle.read()


def test_swagger_ui_reads_our_document_and_not_the_public_validator(docs: ClientResponse) -> None:
    html = docs.content.decode()
    start = html.index('id="swagger-settings">') + len('id="swagger-settings">')
    settings = json.loads(html[start : html.index("</script>", start)])
    assert settings["url"] == "/api/openapi.json"
    assert settings["validatorUrl"] is None


def test_the_docs_page_is_bound_by_the_content_security_policy(docs: ClientResponse) -> None:
    policy = docs.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "http" not in policy
