"""The access matrix for persons of concern and harbouring notices: every organisation
kind x role x relationship of the main matrix (test_access_matrix's world and users),
against every API path and page of theirs. Expectations are written out by hand from
docs/access.md ("Persons of concern and harbouring notices"), not computed from the
policy: a person is seen through a child the viewer sees (A or B here) or by the force
holding them; police-only parts only by the police; a notice by its force and whoever
sees a child it names; notices issued by police officers and coordinators, breaches
recorded by any police role of a force that sees the notice."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
from django.test import Client

from homeward.core import clock
from homeward.organisations.models import Role
from homeward.safeguarding.models import PersonLink
from homeward.safeguarding.services import notices, persons
from tests import factories
from tests.organisations.test_access_matrix import (
    DENIED,
    KIND,
    READERS,
    RELATIONSHIP,
    SEES_A,
    SEES_B,
    USERS,
    World,
    build_world,
)
from tests.responses import ClientResponse

PERSON_KINDS = {"council", "police", "care_provider"}
KEEPERS = {
    Role.POLICE_OFFICER,
    Role.POLICE_MISSING_COORDINATOR,
    Role.COUNCIL_MISSING_COORDINATOR,
    Role.COUNCIL_MANAGER,
}
ISSUERS = {Role.POLICE_OFFICER, Role.POLICE_MISSING_COORDINATOR}
BREACHERS = ISSUERS | {Role.POLICE_CALL_HANDLER}
POLICE_SECRET = "Intelligence graded B2 only"
GRADING = {"nature": "Seen together", "source": "Staff", "source_evaluation": "2",
           "information_assessment": "B"}  # fmt: skip


def build(world: World) -> tuple[int, int]:
    """A person held by force P, linked to A (and police-only to A) by P, and to B by Y;
    a live notice from P naming A."""
    officer = factories.actor(Role.POLICE_OFFICER, world.orgs["P"])
    person = persons.record_person(
        officer,
        {"name": "Thaddeus Wrenfield", "police_notes": POLICE_SECRET},
        {"child_id": world.a.pk, **GRADING},
    )
    persons.link_person(
        officer,
        person.pk,
        {"child_id": world.a.pk, **GRADING, "nature": POLICE_SECRET, "police_only": True},
    )
    # Force Y's information linking the person to B (made directly: Y cannot see them yet).
    PersonLink.objects.create(
        person_id=person.pk, child=world.b, recorded_at=clock.now(), **GRADING
    )
    notice = notices.issue_notice(
        officer,
        {
            "person_id": person.pk,
            "child_ids": [world.a.pk],
            "issued_on": clock.now().astimezone(clock.UK).date(),
        },
    )
    return person.pk, notice.pk


def _sees_person(org: str, role: str) -> bool:
    return KIND[org] in PERSON_KINDS and role in READERS and org in (SEES_A | SEES_B)


def _sees_notice(org: str, role: str) -> bool:
    # The force that issued it (P) and whoever sees A (the interview provider sees no persons).
    return KIND[org] in PERSON_KINDS and role in READERS and org in SEES_A


def expected(case: str, org: str, role: str) -> set[int]:
    kind_reads = KIND[org] in PERSON_KINDS and role in READERS
    if case in {"read person", "person page"}:
        return {200} if _sees_person(org, role) else DENIED
    if case in {"list persons", "persons page", "list notices", "notices page"}:
        return {200} if kind_reads else DENIED
    if case == "link person to A":
        return (
            {201}
            if org in SEES_A and KIND[org] in {"council", "police"} and role in KEEPERS
            else DENIED
        )
    if case in {"read notice", "notice page"}:
        return {200} if _sees_notice(org, role) else DENIED
    if case == "issue notice about A":
        if KIND[org] != "police" or role not in ISSUERS:
            return DENIED
        # Force Y sees the person (through B) but not A: the child is not found (422).
        return {201} if org in SEES_A else {422}
    if case == "issue notice page":
        return (
            {200}
            if KIND[org] == "police" and role in ISSUERS and _sees_person(org, role)
            else DENIED
        )
    if case in {"record breach", "breach page"}:
        ok = KIND[org] == "police" and role in BREACHERS and _sees_notice(org, role)
        return ({201} if case == "record breach" else {200}) if ok else DENIED
    if case == "withdraw notice":
        return {200} if org == "P" and role in ISSUERS else DENIED
    raise AssertionError(case)


def check(org: str, role: str, results: Mapping[str, ClientResponse]) -> list[str]:
    problems = []
    for case, response in results.items():
        allowed = expected(case, org, role)
        body = response.content.decode(errors="replace")
        if response.status_code not in allowed:
            problems.append(f"{case}: got {response.status_code}, expected {sorted(allowed)}")
        if KIND[org] != "police" and POLICE_SECRET in body:
            problems.append(f"{case}: a police-only part in the response")
        if response.status_code in DENIED and "Wrenfield" in body:
            problems.append(f"{case}: the person's name in a refusal")
        if org not in SEES_A and "Quillfeather" in body:
            problems.append(f"{case}: child A's identity in the response")
    return problems


def run_api(
    client: Client, api: dict[str, str], world: World, person: int, notice: int
) -> dict[str, ClientResponse]:
    j = "application/json"
    now = clock.now()

    def post(path: str, body: dict[str, object]) -> ClientResponse:
        return client.post(path, json.dumps(body), content_type=j, headers=api)

    return {
        "list persons": client.get("/api/v1/persons", headers=api),
        "read person": client.get(f"/api/v1/persons/{person}", headers=api),
        "link person to A": post(
            f"/api/v1/persons/{person}/links", {"child_id": world.a.pk, **GRADING}
        ),
        "list notices": client.get("/api/v1/notices", headers=api),
        "read notice": client.get(f"/api/v1/notices/{notice}", headers=api),
        "issue notice about A": post(
            "/api/v1/notices",
            {"person_id": person, "child_ids": [world.a.pk], "issued_on": now.date().isoformat()},
        ),
        "record breach": post(
            f"/api/v1/notices/{notice}/breaches",
            {"child_id": world.a.pk, "occurred_at": now.isoformat(), "location": "The station"},
        ),
        # Last: a withdrawn notice takes no breach.
        "withdraw notice": post(f"/api/v1/notices/{notice}/withdraw", {"reason": "Moved away"}),
    }


@pytest.mark.parametrize(("org", "role"), USERS, ids=[f"{o}-{r}" for o, r in USERS])
def test_api_access_matrix_of_persons(db: None, org: str, role: str) -> None:
    world = build_world()
    person, notice = build(world)
    user = factories.member(role, world.orgs[org])
    api = {"Authorization": f"Bearer {factories.api_token(user)}"}
    problems = check(org, role, run_api(Client(), api, world, person, notice))
    assert not problems, f"{RELATIONSHIP[org]} / {role}:\n" + "\n".join(problems)


@pytest.mark.parametrize(("org", "role"), USERS, ids=[f"{o}-{r}" for o, r in USERS])
def test_page_access_matrix_of_persons(db: None, org: str, role: str) -> None:
    world = build_world()
    person, notice = build(world)
    pages = Client()
    pages.force_login(factories.member(role, world.orgs[org]))
    results = {
        "persons page": pages.get("/persons/"),
        "person page": pages.get(f"/persons/{person}"),
        "notices page": pages.get("/notices/"),
        "notice page": pages.get(f"/notices/{notice}"),
        "issue notice page": pages.get(f"/persons/{person}/notices/new"),
        "breach page": pages.get(f"/notices/{notice}/breach"),
    }
    problems = check(org, role, results)
    assert not problems, f"{RELATIONSHIP[org]} / {role}:\n" + "\n".join(problems)
