"""Schemathesis over the whole OpenAPI document, against the live WSGI application.

Every operation the API serves gets generated requests, valid by the document and not,
sent with the bearer tokens of six roles (police officer, council missing-children
coordinator, social worker, return interview worker, a children's home's staff and
manager) and none. Half the requests name records that exist (a child, an open and a
returned episode, an interview, an emergency access, a step of the home's protocol), so
they reach the services, not only the 404. Every response must be documented:
its status, content type, headers and body. A 5xx fails the test.

Bounded and deterministic: ``MAX_EXAMPLES`` cases per operation, drawn by Hypothesis from
the suite's seed (tests/conftest.py: derandomized). The case count is printed at the end
of the run."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import homeward
from homeward.aftercare import services as aftercare
from homeward.api import api as homeward_api
from homeward.case_audits.services import audits as case_audits
from homeward.children import emergency
from homeward.core import clock
from homeward.episodes import services as episodes
from homeward.linkage import services as linkage
from homeward.organisations.models import Organisation, OrganisationKind, Role
from homeward.safeguarding.models import Place, PlanReview, ReviewTrigger
from homeward.safeguarding.services import place_links, plans, protocols, reviews
from homeward.safeguarding.services import runs as protocol_runs
from homeward.themes.models import Theme, ThemeItem
from tests import factories
from tests.apiclient import token_for
from tests.safeguarding import factories_peers
from tests.safeguarding import factories_persons as persons_factories
from tests.safeguarding.factories_profile import add_photo
from tests.safeguarding.factories_profile import save as save_profile

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ROLES = [
    "police_officer",
    "coordinator",
    "social_worker",
    "rhi_worker",
    "care_staff",
    "care_manager",
    "no_token",
]

# (method, path) of every operation, read from the document at collection time.
OPERATIONS = sorted(
    (method.upper(), path)
    for path, methods in homeward_api.get_openapi_schema()["paths"].items()
    for method in methods
)


@pytest.fixture(scope="module")
def schema(openapi_document: dict[str, Any]) -> Iterator[Any]:
    """The served document, sent to the real WSGI application (middleware and all). As
    Django's own test client does, requests do not close the database connection: it
    holds the test's transaction."""
    # Hypothesis also draws constants found in the project's own modules: with all of them
    # imported, that pool is the same whichever tests this process happened to run first.
    for module in pkgutil.walk_packages(homeward.__path__, "homeward."):
        importlib.import_module(module.name)
    loaded = schemathesis.openapi.from_dict(openapi_document)
    loaded.app = WSGIHandler()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield loaded
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _meeting_world(coordinator: Any, owner: Any) -> tuple[int, int]:
    from homeward.safeguarding.services import meeting_actions, meetings

    meeting = meetings.open_meeting(
        coordinator,
        meetings.MeetingInput(kind="panel", scheduled_for=clock.now() - timedelta(hours=1)),
    )
    action = meeting_actions.record_action(
        coordinator,
        meeting.pk,
        meeting_actions.ActionInput("Ring the school", owner.user.pk, clock.now().date()),
    )
    return meeting.pk, action.pk


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> dict[str, Any]:
    """Records for the generated requests to find, and a token for each role."""
    settings.HOMEWARD_FILES_DIR = tmp_path / "files"  # the profile's photographs
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    provider = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Fuzz Return Ltd", code="RHI7"
    )
    social_worker = factories.actor(Role.SOCIAL_WORKER, council)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    officer = factories.actor(Role.POLICE_OFFICER, police)
    rhi_worker = factories.actor(Role.RHI_WORKER, provider)

    child = factories.looked_after(factories.ChildFactory(responsible_council=council))
    # The child lives in a home that keeps a missing protocol, started for the episode.
    home = factories.CareProviderFactory(area_council=council)
    factories.place(child, provider=home, host=council)
    care_staff = factories.actor(Role.CARE_STAFF, home)
    care_manager = factories.actor(Role.CARE_MANAGER, home)
    protocols.save_home_protocol(care_manager, protocols.default_steps(), sign_off_hours=24)
    open_episode = factories.report(social_worker, child, hours_ago=3)
    protocol_runs.start_run(care_staff, open_episode.reference)
    other = factories.ChildFactory(responsible_council=council, upn="")
    back = factories.report(social_worker, other, hours_ago=30)
    back = episodes.record_return(
        social_worker,
        back.reference,
        back.version,
        episodes.Return(
            returned_at=back.last_seen_at + timedelta(hours=6), return_method="returned_self"
        ),
    )
    interview = back.return_interviews.get()
    aftercare.assign_provider(coordinator, interview.pk, provider.pk, interview.version)

    stranger_force = factories.PoliceForceFactory()
    stranger = factories.actor(Role.POLICE_OFFICER, stranger_force)
    access = emergency.open_emergency_access(
        stranger, open_episode.reference, "Found in our area overnight, checking who she is"
    )
    # A pair of records in the coordinator's review queue.
    candidate = linkage.queue_match(
        child.pk, other.pk, probability=0.9, match_weight=6.0, evidence=[], source="run"
    )
    assert candidate is not None
    # The child's risk management plan, version 1.
    plans.save_plan(
        social_worker,
        child.pk,
        plans.PlanInput(
            risks="Exploitation",
            if_missing=["Ring her aunt first"],
            review_date=clock.now().date() + timedelta(days=30),
            owner_id=social_worker.user.pk if social_worker.user else None,
        ),
        None,
    )
    # A review of it, to do.
    reviews.open_review(child, ReviewTrigger.HIGH_RISK, f"high_risk:schemathesis-{child.pk}")
    review = PlanReview.objects.get(child=child)
    # The child's missing profile, with a photograph.
    save_profile(social_worker, child)
    photo = add_photo(social_worker, child)
    # A panel of the council's, with an action owned by the social worker.
    meeting, action_id = _meeting_world(coordinator, social_worker)
    # A place where the other child was found, linked to their returned episode.
    place = Place.objects.create(name="Bus station", council=council, created_at=clock.now())
    place_link = place_links.link_to_episode(social_worker, place.pk, back.reference, "found")
    # A person of concern linked to the child, and a notice naming them.
    person = persons_factories.record(officer, child)
    notice = persons_factories.issue(officer, person, child)
    link_id = person.links.get().pk
    # A child of the same council who went missing with her (the peer view).
    peer = factories.ChildFactory(responsible_council=child.responsible_council)
    factories_peers.together(back, factories_peers.episode(peer, "2026-06-01"))
    # A theme of the council's holding the interview's words.
    now = clock.now()
    theme = Theme.objects.create(council=council, created_at=now, updated_at=now)
    theme_item = ThemeItem.objects.create(
        council=council,
        interview=interview,
        source="child_account",
        theme=theme,
        text_hash="",
        assigned_at=now,
    )
    # A case audit of the council's episodes, drawn by its coordinator.
    audit = case_audits.open_audit(
        coordinator,
        case_audits.AuditInput(
            council_id=council.pk,
            title="Fuzz",
            unit="episodes",
            period_start=clock.now().date() - timedelta(days=30),
            period_end=clock.now().date(),
            size=2,
        ),
    )
    audit_case = audit.cases.order_by("position").first()
    assert audit_case is not None
    return {
        "tokens": {
            "police_officer": token_for(officer),
            "coordinator": token_for(coordinator),
            "social_worker": token_for(social_worker),
            "rhi_worker": token_for(rhi_worker),
            "care_staff": token_for(care_staff),
            "care_manager": token_for(care_manager),
        },
        "path": {
            "child_id": child.pk,
            "reference": open_episode.reference,
            "interview_id": interview.pk,
            "access_id": access.pk,
            "candidate_id": candidate.pk,
            "number": 1,
            "review_id": review.pk,
            "photo_id": photo.pk,
            "position": 1,
            "meeting_id": meeting,
            "action_id": action_id,
            "place_id": place.pk,
            "place_link_id": place_link.pk,
            "person_id": person.pk,
            "link_id": link_id,
            "notice_id": notice.pk,
            "theme_id": theme.pk,
            "theme_item_id": theme_item.pk,
            "audit_id": audit.pk,
            "audit_case_id": audit_case.pk,
        },
        "returned_reference": back.reference,
    }


def fuzz(operation: Any, world: dict[str, Any], run_seed: int, tally: Counter[str]) -> None:
    """``MAX_EXAMPLES`` generated requests to ``operation``; raises on the first response
    that breaks a check (after Hypothesis has shrunk it to the simplest such request)."""
    names = [p.name for p in operation.path_parameters]

    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @seed(run_seed)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        role = data.draw(st.sampled_from(ROLES), label="role")
        mode = data.draw(
            st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE]), label="mode"
        )
        known: dict[str, Any] = {}
        if bool(names) and data.draw(st.booleans(), label="existing record"):
            known = {name: world["path"][name] for name in names}
            if "reference" in known and data.draw(st.booleans(), label="returned episode"):
                known["reference"] = world["returned_reference"]
        headers = {}
        if role != "no_token":
            headers["Authorization"] = f"Bearer {world['tokens'][role]}"
        case = data.draw(
            operation.as_strategy(
                generation_mode=mode, path_parameters=known or None, headers=headers
            ),
            label="case",
        )
        checks = CHECKS + ([negative_data_rejection] if mode == GenerationMode.NEGATIVE else [])
        response = case.call()
        tally["cases"] += 1
        tally[f"status_{response.status_code}"] += 1
        case.validate_response(response, checks=checks)

    run()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation(
    request: pytest.FixtureRequest,
    schema: Any,
    world: dict[str, Any],
    seeded_random: int,
    method: str,
    path: str,
) -> None:
    tally: Counter[str] = Counter()
    try:
        fuzz(schema[path][method], world, seeded_random, tally)
    finally:
        tally["operations"] = 1
        for key, value in tally.items():
            request.node.user_properties.append((f"schemathesis_{key}", value))


def test_a_server_error_fails_the_run(
    schema: Any, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The harness itself: a 500 from a service is caught, not counted and passed over."""

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("homeward.episodes.services.read_episode", broken)
    tally: Counter[str] = Counter()
    with pytest.raises(FailureGroup) as caught:
        fuzz(schema["/api/v1/episodes/{reference}"]["GET"], world, 1, tally)
    assert any(isinstance(failure, ServerError) for failure in caught.value.exceptions)
    assert tally["status_500"] >= 1
