"""The same action through the web and through the API leaves the same trail.

Each write that both channels offer is done once by posting the page's own form (read
from the page as drawn: its hidden version and all) and once through the API with the
same answers, each in a fresh world of its own built the same way. What each request
wrote must match: the audit events (actions in order, with the keys of their details)
and the domain events (names in order, with the keys of their payloads). A web path that
read the record before writing, or checked twice, would leave a "view" the API does not."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import ReturnInterview
from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Classification, Episode
from homeward.events.models import DomainEvent
from homeward.organisations.models import Organisation, Role, User
from tests import factories
from tests.core.htmlforms import post_forms

UK = ZoneInfo("Europe/London")


def moment(hours_ago: float) -> datetime:
    """A whole minute in the past (the web form holds minutes)."""
    return (clock.now() - timedelta(hours=hours_ago)).replace(second=0, microsecond=0)


def parts(name: str, value: datetime) -> dict[str, str]:
    local = value.astimezone(UK)
    return {
        f"{name}_day": str(local.day),
        f"{name}_month": str(local.month),
        f"{name}_year": str(local.year),
        f"{name}_hour": str(local.hour),
        f"{name}_minute": f"{local.minute:02d}",
    }


@dataclass
class World:
    police: Organisation
    council: Organisation
    social_worker: User
    officer: User
    coordinator: User
    child: Child
    episode: Episode | None = None
    other: Episode | None = None

    def actor(self, user: User) -> Actor:
        return Actor.for_user(user)

    @property
    def interview(self) -> ReturnInterview:
        return _episode(self).return_interviews.get()


def world(*, missing: bool = False, returned: bool = False, recorded: bool = False) -> World:
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    child = factories.looked_after(factories.ChildFactory(responsible_council=council))
    w = World(
        police=police,
        council=council,
        social_worker=factories.member(Role.SOCIAL_WORKER, council),
        officer=factories.member(Role.POLICE_OFFICER, police),
        coordinator=factories.member(Role.COUNCIL_MISSING_COORDINATOR, council),
        child=child,
    )
    if missing or returned or recorded:
        episode = factories.report(w.actor(w.social_worker), child, hours_ago=30)
        if returned or recorded:
            episode = episodes.record_return(
                w.actor(w.social_worker),
                episode.reference,
                episode.version,
                episodes.Return(returned_at=moment(20), return_method="returned_self"),
            )
        if recorded:
            factories.record_aftercare(episode)
        episode.refresh_from_db()
        w.episode = episode
    return w


def _episode(w: World) -> Episode:
    assert w.episode is not None
    return w.episode


@dataclass
class Case:
    """One action: the world it needs, who does it, the page and its answers, the API call."""

    name: str
    setup: Callable[[], World]
    who: Callable[[World], User]
    page: Callable[[World], str]
    answers: Callable[[World], dict[str, str]]
    api: Callable[[World], tuple[str, str, dict[str, object]]]


SEEN = moment(6)
RETURNED = moment(3)
CHECKED = moment(2)


def _ref(w: World) -> str:
    return _episode(w).reference


def _version(w: World) -> int:
    return _episode(w).version


def _offered(w: World) -> World:
    aftercare.record_offer(
        w.actor(w.coordinator),
        w.interview.pk,
        None,
        offered_at=moment(10),
        offered_by="Priya Shah",
        offer_method="phone",
    )
    return w


def _accepted(w: World) -> World:
    _offered(w)
    aftercare.record_outcome(w.actor(w.coordinator), w.interview.pk, None, outcome="accepted")
    return w


CASES = [
    Case(
        "add a child",
        world,
        lambda w: w.social_worker,
        lambda w: "/children/add",
        lambda w: {
            "first_name": "Tamsin",
            "last_name": "Okonkwo-Reyes",
            "date_of_birth_day": "3",
            "date_of_birth_month": "4",
            "date_of_birth_year": str(clock.now().year - 12),
            "sex": "2",
            "ethnicity": "WBRI",
            "aliases": "Tam",
        },
        lambda w: (
            "post",
            "/api/v1/children",
            {
                # Another child: the web's Tamsin would be a likely match (answered 409).
                "first_name": "Perpetua",
                "last_name": "Lindqvist-Abara",
                "date_of_birth": f"{clock.now().year - 13}-09-21",
                "sex": "2",
                "ethnicity": "WBRI",
                "aliases": ["Tam"],
            },
        ),
    ),
    Case(
        "report missing",
        world,
        lambda w: w.social_worker,
        lambda w: f"/children/{w.child.pk}/report-missing",
        lambda w: {
            "classification": "M",
            **parts("last_seen_at", SEEN),
            "last_seen_location": "Outside the bus station",
            "missing_from": "home",
            "reporter_type": "parent",
            "risk_grade": "medium",
            "risk_rationale": "Upset at home",
            "still_missing": "yes",
        },
        lambda w: (
            "post",
            "/api/v1/episodes",
            {
                "child_id": w.child.pk,
                "classification": "M",
                "last_seen_at": SEEN.isoformat(),
                "last_seen_location": "Outside the bus station",
                "missing_from": "home",
                "reporter_type": "parent",
                "risk_grade": "medium",
                "risk_rationale": "Upset at home",
            },
        ),
    ),
    Case(
        "report an episode already over",
        world,
        lambda w: w.social_worker,
        lambda w: f"/children/{w.child.pk}/report-missing",
        lambda w: {
            "classification": "M",
            **parts("last_seen_at", SEEN),
            "last_seen_location": "Outside the bus station",
            "missing_from": "home",
            "reporter_type": "parent",
            "risk_grade": "low",
            "risk_rationale": "Came back by themselves",
            "still_missing": "no",
            **parts("returned_at", RETURNED),
            "return_method": "returned_self",
        },
        lambda w: (
            "post",
            "/api/v1/episodes",
            {
                "child_id": w.child.pk,
                "classification": "M",
                "last_seen_at": SEEN.isoformat(),
                "last_seen_location": "Outside the bus station",
                "missing_from": "home",
                "reporter_type": "parent",
                "risk_grade": "low",
                "risk_rationale": "Came back by themselves",
                "return_details": {
                    "returned_at": RETURNED.isoformat(),
                    "return_method": "returned_self",
                },
            },
        ),
    ),
    Case(
        "update the details",
        lambda: world(missing=True),
        lambda w: w.social_worker,
        lambda w: f"/episodes/{_ref(w)}/details",
        lambda w: {
            **parts("last_seen_at", _episode(w).last_seen_at),
            "missing_from": _episode(w).missing_from,
            "last_seen_location": "The park by the river",
        },
        lambda w: (
            "patch",
            f"/api/v1/episodes/{_ref(w)}",
            {"last_seen_location": "The park by the river", "version": _version(w)},
        ),
    ),
    Case(
        "re-grade the risk",
        lambda: world(missing=True),
        lambda w: w.officer,
        lambda w: f"/episodes/{_ref(w)}/risk",
        lambda w: {"grade": "high", "rationale": "Seen with older men"},
        lambda w: (
            "post",
            f"/api/v1/episodes/{_ref(w)}/risk-assessments",
            {"grade": "high", "rationale": "Seen with older men", "version": _version(w)},
        ),
    ),
    Case(
        "change the classification",
        lambda: world(missing=True),
        lambda w: w.social_worker,
        lambda w: f"/episodes/{_ref(w)}/classification",
        lambda w: {"classification": Classification.AWAY, "reason": "Known to be at a friend's"},
        lambda w: (
            "post",
            f"/api/v1/episodes/{_ref(w)}/classification",
            {
                "classification": Classification.AWAY,
                "reason": "Known to be at a friend's",
                "version": _version(w),
            },
        ),
    ),
    Case(
        "add to the timeline",
        lambda: world(missing=True),
        lambda w: w.social_worker,
        lambda w: f"/episodes/{_ref(w)}/timeline",
        lambda w: {"kind": "sighting", **parts("occurred_at", moment(1)), "summary": "Seen"},
        lambda w: (
            "post",
            f"/api/v1/episodes/{_ref(w)}/timeline",
            {"kind": "sighting", "occurred_at": moment(1).isoformat(), "summary": "Seen"},
        ),
    ),
    Case(
        "record the return",
        lambda: world(missing=True),
        lambda w: w.social_worker,
        lambda w: f"/episodes/{_ref(w)}/return",
        lambda w: {**parts("returned_at", RETURNED), "return_method": "found_by_police"},
        lambda w: (
            "post",
            f"/api/v1/episodes/{_ref(w)}/return",
            {
                "returned_at": RETURNED.isoformat(),
                "return_method": "found_by_police",
                "version": _version(w),
            },
        ),
    ),
    Case(
        "record the safe and well check",
        lambda: world(returned=True),
        lambda w: w.officer,
        lambda w: f"/aftercare/episodes/{_ref(w)}/check/record",
        lambda w: {
            "done": "yes",
            **parts("conducted_at", CHECKED),
            "child_account": "I stayed at a friend's",
            "disclosures": "",
        },
        lambda w: (
            "post",
            f"/api/v1/episodes/{_ref(w)}/safe-and-well-check",
            {
                "done": True,
                "conducted_at": CHECKED.isoformat(),
                "child_account": "I stayed at a friend's",
            },
        ),
    ),
    Case(
        "record the interview's offer",
        lambda: world(returned=True),
        lambda w: w.coordinator,
        lambda w: f"/aftercare/interviews/{w.interview.pk}/offer",
        lambda w: {
            **parts("offered_at", CHECKED),
            "offered_by": "Priya Shah",
            "offer_method": "phone",
        },
        lambda w: (
            "post",
            f"/api/v1/return-interviews/{w.interview.pk}/offer",
            {
                "offered_at": CHECKED.isoformat(),
                "offered_by": "Priya Shah",
                "offer_method": "phone",
                "version": w.interview.version,
            },
        ),
    ),
    Case(
        "record that the child declined",
        lambda: _offered(world(returned=True)),
        lambda w: w.coordinator,
        lambda w: f"/aftercare/interviews/{w.interview.pk}/outcome",
        lambda w: {"outcome": "declined", "declined_reason": "Did not want to talk"},
        lambda w: (
            "post",
            f"/api/v1/return-interviews/{w.interview.pk}/outcome",
            {
                "outcome": "declined",
                "reason": "Did not want to talk",
                "version": w.interview.version,
            },
        ),
    ),
    Case(
        "record the return interview",
        lambda: _accepted(world(returned=True)),
        lambda w: w.coordinator,
        lambda w: f"/aftercare/interviews/{w.interview.pk}/interview",
        lambda w: {
            **parts("done_at", moment(1)),
            "interviewer_name": "Sam Clarke",
            "interviewer_kind": "independent",
            "child_account": "Things are hard at home",
            "push_factors": "",
            "pull_factors": "",
            "risks_found": "",
            "quote_consent": "no",
        },
        lambda w: (
            "post",
            f"/api/v1/return-interviews/{w.interview.pk}/interview",
            {
                "done_at": moment(1).isoformat(),
                "interviewer_name": "Sam Clarke",
                "interviewer_kind": "independent",
                "child_account": "Things are hard at home",
                "quote_consent": False,
                "version": w.interview.version,
            },
        ),
    ),
    Case(
        "assign the interview",
        lambda: world(returned=True),
        lambda w: w.coordinator,
        lambda w: f"/aftercare/interviews/{w.interview.pk}/provider",
        lambda w: {"provider": str(w.council.pk)},
        lambda w: (
            "post",
            f"/api/v1/return-interviews/{w.interview.pk}/provider",
            {"provider_id": w.council.pk, "version": w.interview.version},
        ),
    ),
    Case(
        "close the episode",
        lambda: world(recorded=True),
        lambda w: w.social_worker,
        lambda w: f"/episodes/{_ref(w)}/close",
        lambda w: {},
        lambda w: (
            "post",
            f"/api/v1/episodes/{_ref(w)}/close",
            {"version": _version(w)},
        ),
    ),
]


# What one request wrote: (action, object type, detail keys) and (name, aggregate type,
# payload keys), in order.
Trail = dict[str, list[tuple[str, str, list[str]]]]


def _mark() -> tuple[int, int]:
    audit = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    event = DomainEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return audit or 0, event or 0


def _trail(since: tuple[int, int]) -> Trail:
    audit = AuditEvent.objects.filter(sequence__gt=since[0]).order_by("sequence")
    events = DomainEvent.objects.filter(pk__gt=since[1]).order_by("pk")
    return {
        "audit": [(a.action, a.object_type, sorted(a.details)) for a in audit],
        "events": [(e.name, e.aggregate_type, sorted(e.payload)) for e in events],
    }


def through_the_web(case: Case) -> Trail:
    w = case.setup()
    client = Client()
    client.force_login(case.who(w))
    url = case.page(w)
    page = client.get(url)
    assert page.status_code == 200, url
    (form,) = [f for f in post_forms(page.content.decode(), url) if f.action == url]
    answers = {**form.hidden, **{k: v for k, v in case.answers(w).items() if v != ""}}
    since = _mark()
    response = client.post(url, answers)
    assert response.status_code == 302, response.content.decode()[:3000]
    return _trail(since)


def through_the_api(case: Case) -> Trail:
    w = case.setup()
    client = Client(headers={"Authorization": f"Bearer {factories.api_token(case.who(w))}"})
    method, path, body = case.api(w)
    since = _mark()
    response = getattr(client, method)(path, json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 201), response.content
    return _trail(since)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_web_and_the_api_leave_the_same_trail(case: Case) -> None:
    web = through_the_web(case)
    api = through_the_api(case)
    assert web["audit"], "the action wrote no audit event"
    assert web["events"], "the action emitted no domain event"
    assert "view" not in [action for action, *_ in web["audit"]]
    assert web == api
