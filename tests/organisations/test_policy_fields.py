"""What each relationship sees of a child and their episodes, field by field (the table in
docs/access.md), on every surface that shows them: the child's page, each episode's page,
the API's child record, episode list and episode reads.

The expectations are written out by hand from docs/access.md, not computed from the policy
module. Each field carries a marker that occurs nowhere else, so "not seen" means the
marker is in no response the user gets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from homeward.aftercare import services as aftercare
from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child, ChildIdentifier, LegalStatus, WorkerAllocation
from homeward.core import clock
from homeward.episodes import services as episodes
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories
from tests.children.test_api import valid_upn

pytestmark = pytest.mark.django_db

# Who looks: one practitioner for each relationship with the child.
VIEWERS = {
    "C": ("responsible council", Role.SOCIAL_WORKER),
    "HC": ("host council", Role.SOCIAL_WORKER),
    "P": ("police of the area", Role.POLICE_OFFICER),
    "H": ("current children's home", Role.CARE_STAFF),
    "R": ("assigned return-interview provider", Role.RHI_WORKER),
}
ALL = set(VIEWERS)
FULL = {"C", "HC", "P"}  # councils and police see the whole record
UPN = valid_upn()

# Field: (its marker, who sees it). From docs/access.md.
CHILD_FIELDS: dict[str, tuple[str, set[str]]] = {
    "last name": ("Quillfeather", ALL),
    "other name": ("Ziggyalias", ALL),
    "NHS number": ("9434765919", FULL | {"H"}),
    "unique pupil number": (UPN, FULL | {"H"}),
    "the council's reference": ("CREF-7781", FULL),
    "the police's reference": ("PREF-7782", FULL),
    "the home's own reference": ("HREF-7783", FULL | {"H"}),
    "past legal status": ("Child in need", FULL),
    "current legal status": ("Looked after", ALL),
    "former placement's home": ("Oakfield Former House", FULL),
    "current placement's home": ("Beech Current House", ALL),
    "past allocated worker": ("Pastley", FULL),
    "current allocated worker": ("Nowellcurrent", ALL),
}
# E0: missing from the family home, before care; E1: from the former home; E2: from the
# current home, the episode the interview covers.
EPISODE_FIELDS: dict[str, tuple[str, set[str]]] = {
    "E0 where last seen (the family's address)": ("7 Familymarker Street", FULL),
    "E0 circumstances": ("Row at the Familymarker flat", FULL),
    "E0 where found": ("Familyfound Park", FULL),
    "E1 where last seen (the former home's street)": ("Formerhome Lane", FULL),
    "E1 who they were with": ("Formerwith Adults", FULL),
    "E2 where last seen": ("Currenthome Gate", ALL),
    "E2 clothing": ("Currentclothes Coat", ALL),
    "E2 where found": ("Currentfound Station", ALL),
}
# Episodes each viewer may open in full; the others they know only in outline, or not.
OPENS = {"C": {0, 1, 2}, "HC": {0, 1, 2}, "P": {0, 1, 2}, "H": {2}, "R": {2}}
OUTLINES = {"C": 0, "HC": 0, "P": 0, "H": 2, "R": 2}


@dataclass
class World:
    child: Child
    refs: list[str]
    orgs: dict[str, Organisation]


def days_ago(days: float) -> datetime:
    return clock.now() - timedelta(days=days)


def build() -> World:
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    host = factories.CouncilFactory(police_force=police)
    former = factories.CareProviderFactory(name="Oakfield Former House", area_council=host)
    home = factories.CareProviderFactory(name="Beech Current House", area_council=host)
    rhi = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Lantern Interviews", code="RHI-9"
    )
    child = factories.ChildFactory(
        responsible_council=council,
        first_name="Zephyrine",
        last_name="Quillfeather",
        nhs_number="9434765919",
        upn=UPN,
    )
    child.aliases.create(name="Ziggyalias")
    today = timezone.localdate()
    LegalStatus.objects.create(
        child=child,
        status=LegalStatusKind.CHILD_IN_NEED,
        start_date=today - timedelta(days=900),
        end_date=today - timedelta(days=350),
    )
    factories.looked_after(child, since=today - timedelta(days=350))
    for org, value in ((council, "CREF-7781"), (police, "PREF-7782"), (home, "HREF-7783")):
        ChildIdentifier.objects.create(child=child, organisation=org, value=value)
    for name, start, end in (
        ("Pastley", 340, 120),
        ("Nowellcurrent", 120, None),
    ):
        WorkerAllocation.objects.create(
            child=child,
            worker=factories.member(Role.SOCIAL_WORKER, council, last_name=name),
            organisation=council,
            start_date=today - timedelta(days=start),
            end_date=today - timedelta(days=end) if end else None,
        )
    worker = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)

    def late(days: int, **fields: Any) -> Episode:
        """An episode from ``days`` ago, back the next day, reported and returned in turn
        (oldest first, each while the placement of its time is the current one)."""
        found = fields.pop("found_location", "")
        with_ = fields.pop("found_with", "")
        episode = episodes.report_missing(
            worker,
            child.pk,
            episodes.Report(
                classification="M",
                last_seen_at=days_ago(days),
                reporter_type="parent",
                risk_grade="medium",
                risk_rationale="Went missing before",
                **fields,
            ),
        ).episode
        return episodes.record_return(
            worker,
            episode.reference,
            None,
            episodes.Return(
                returned_at=days_ago(days - 1),
                return_method="found_by_police",
                found_location=found,
                found_with=with_,
            ),
        )

    # Before care: from the family home, at the family's address.
    e0 = late(
        400,
        last_seen_location="7 Familymarker Street",
        missing_from="home",
        circumstances="Row at the Familymarker flat",
        found_location="Familyfound Park",
    )
    factories.place(child, provider=former, host=host, start=today - timedelta(days=300))
    e1 = late(
        200,
        last_seen_location="Formerhome Lane",
        missing_from="placement",
        found_with="Formerwith Adults",
    )
    factories.place(child, provider=home, host=host, start=today - timedelta(days=100))
    for done in (e0, e1):
        factories.record_aftercare(done)
    e2 = late(
        3,
        last_seen_location="Currenthome Gate",
        missing_from="placement",
        clothing="Currentclothes Coat",
        found_location="Currentfound Station",
    )
    aftercare.assign_provider(worker, e2.return_interviews.get().pk, rhi.pk)
    assert e1.placement is not None
    assert e2.placement is not None
    assert (e0.placement, e1.placement.provider, e2.placement.provider) == (None, former, home)
    orgs: dict[str, Organisation] = {"C": council, "HC": host, "P": police, "H": home, "R": rhi}
    return World(child, [e0.reference, e1.reference, e2.reference], orgs)


def surfaces(world: World, key: str) -> dict[str, tuple[int, str]]:
    """Every response this viewer gets about the child: (status, body) by surface."""
    user = factories.member(VIEWERS[key][1], world.orgs[key])
    web = Client()
    web.force_login(user)
    api = {"Authorization": f"Bearer {factories.api_token(user)}"}
    got = {"child page": web.get(f"/children/{world.child.pk}/")}
    got["API child"] = web.get(f"/api/v1/children/{world.child.pk}", headers=api)
    got["API episode list"] = web.get(f"/api/v1/episodes?child_id={world.child.pk}", headers=api)
    for n, ref in enumerate(world.refs):
        got[f"E{n} page"] = web.get(f"/episodes/{ref}/")
        got[f"API E{n}"] = web.get(f"/api/v1/episodes/{ref}", headers=api)
    return {name: (r.status_code, r.content.decode()) for name, r in got.items()}


# Which surface shows which field, when the viewer may see it.
def shown_on(field: str) -> set[str]:
    if field in EPISODE_FIELDS:
        n = field[1]
        # The child's page lists each episode's last-seen place and its timeline (which
        # says where the child was found); the rest is on the episode's own page.
        listed = "where last seen" in field or "where found" in field
        return {f"E{n} page", f"API E{n}"} | ({"child page"} if listed else set())
    history = {"past legal status", "former placement's home", "past allocated worker"}
    current_only_on_page = {"current legal status", "current allocated worker"}
    if field in history or field in current_only_on_page:
        return {"child page"}
    return {"child page", "API child"}


# Every viewer's (status, body) by surface, and the episodes' references.
Observed = tuple[dict[str, dict[str, tuple[int, str]]], list[str]]


@pytest.fixture(scope="module")
def observed(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Observed:
    """Built once: every viewer's responses (the world is read, never changed)."""
    from django.db import transaction

    # Rolled back at the end, as a test case's own transaction is (so audited reads, which
    # commit on their own, may run inside it the way they do inside a test).
    outer = transaction.atomic()
    # Django's own (private) mark of a test case's transaction.
    outer._from_testcase = True  # type: ignore[attr-defined]  # private, not in the stubs
    with django_db_blocker.unblock(), outer:
        world = build()
        seen = {key: surfaces(world, key) for key in VIEWERS}
        refs = list(world.refs)
        transaction.set_rollback(True)
    return seen, refs


@pytest.mark.parametrize("key", list(VIEWERS))
@pytest.mark.parametrize("field", list(CHILD_FIELDS) + list(EPISODE_FIELDS))
def test_each_field_is_seen_by_exactly_those_who_need_it(
    observed: Observed, key: str, field: str
) -> None:
    seen, _ = observed
    marker, who = {**CHILD_FIELDS, **EPISODE_FIELDS}[field]
    responses = seen[key]
    where = sorted(name for name, (_, body) in responses.items() if marker in body)
    if key in who:
        expected = {name for name in shown_on(field) if responses[name][0] == 200}
        assert expected, f"{VIEWERS[key][0]} should see {field} somewhere"
        assert expected <= set(where), (
            f"{VIEWERS[key][0]} should see {field} on {sorted(shown_on(field))}; seen on {where}"
        )
    else:
        assert not where, f"{VIEWERS[key][0]} must not see {field}, but it is on {where}"


@pytest.mark.parametrize("key", list(VIEWERS))
def test_each_viewer_opens_only_the_episodes_they_need(observed: Observed, key: str) -> None:
    seen, refs = observed
    responses = seen[key]
    for n in range(len(refs)):
        status = 200 if n in OPENS[key] else 404
        assert responses[f"E{n} page"][0] == status, (key, n)
        assert responses[f"API E{n}"][0] == status, (key, n)
    listed = {item["reference"] for item in json.loads(responses["API episode list"][1])["items"]}
    assert listed == {refs[n] for n in OPENS[key]}


@pytest.mark.parametrize("key", list(VIEWERS))
def test_a_home_and_an_interviewer_know_the_rest_only_in_outline(
    observed: Observed, key: str
) -> None:
    seen, _ = observed
    status, body = seen[key]["API child"]
    assert status == 200
    record = json.loads(body)
    outlines = record["earlier_episodes"]
    assert len(outlines) == OUTLINES[key]
    for outline in outlines:
        assert set(outline) == {"last_seen_at", "returned_at", "risk_grade", "classification"}
    page = seen[key]["child page"][1]
    assert ('id="earlier-episodes"' in page) == bool(OUTLINES[key])
    if key == "R":
        assert record["nhs_number"] is None
        assert record["upn"] is None
    if key in {"H", "R"}:
        assert record["current_placement"]["provider"]["name"] == "Beech Current House"
