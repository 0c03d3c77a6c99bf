"""Find before create on the web: a police call handler adding a child the country already
holds sees the council's likely match without its identity, and reports against it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.test import Client

from homeward.children.models import Child
from homeward.core import clock
from homeward.episodes.models import Episode
from homeward.linkage.models import MatchCandidate
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.children.test_views import child_data, datetime_fields, dob_fields, text
from tests.linkage.helpers import held

BORN = date(2013, 6, 14)


def report_fields() -> dict[str, str]:
    return {
        "step": "report",
        "classification": "M",
        **datetime_fields("last_seen_at", clock.now() - timedelta(hours=1)),
        "last_seen_location": "Bus station",
        "missing_from": "home",
        "reporter_type": "parent",
        "risk_grade": "high",
        "risk_rationale": "Out alone at night, phone off",
    }


def the_matches(client: Client, council: Organisation) -> str:
    response = client.post(
        "/children/add",
        child_data(
            first_name="Tyrin",
            last_name="Holbey",
            aliases="",
            agency_reference="",
            sex="1",
            responsible_council=str(council.pk),
            next="report",
            **dob_fields(BORN),
        ),
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_misspelt_name_finds_the_councils_child_without_its_identity(
    client: Client, police: Organisation
) -> None:
    marlhaven = factories.CouncilFactory(name="Marlhaven Council")
    child = held("Tyrone", "Holby", BORN, sex="1", responsible_council=marlhaven)
    client.force_login(factories.member(Role.POLICE_CALL_HANDLER, police))
    page = the_matches(client, marlhaven)
    body = text_of(page)
    assert "We may already hold a record of this child" in body
    assert "A likely match is held by Marlhaven Council" in body
    assert "Date of birth" in body  # a ground, never the date
    for secret in ("Tyrone", "Holby", "14 June 2013", "14/06/2013", f"/children/{child.pk}/"):
        assert secret not in page
    assert Child.objects.count() == 1  # nothing added yet
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token is not None
    form = client.post("/children/report-against-match", {"token": token.group(1)})
    assert form.status_code == 200
    assert "Tyrone" not in form.content.decode()
    response = client.post(
        "/children/report-against-match", {"token": token.group(1), **report_fields()}
    )
    episode = Episode.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.reference}/"
    assert episode.child == child
    assert episode.police_force == police
    # The force now sees the child as the force it was reported to.
    assert client.get(response["Location"]).status_code == 200
    coordinator = Client()
    coordinator.force_login(factories.member(Role.COUNCIL_MISSING_COORDINATOR, marlhaven))
    assert episode.reference in text(coordinator.get(f"/children/{child.pk}/"))


def test_a_forged_or_anothers_token_writes_nothing(client: Client, police: Organisation) -> None:
    marlhaven = factories.CouncilFactory(name="Marlhaven Council")
    held("Tyrone", "Holby", BORN, sex="1", responsible_council=marlhaven)
    someone = Client()
    someone.force_login(factories.member(Role.POLICE_CALL_HANDLER, police))
    token = re.search(r'name="token" value="([^"]+)"', the_matches(someone, marlhaven))
    assert token is not None
    client.force_login(factories.member(Role.POLICE_CALL_HANDLER, police))
    for bad in (token.group(1), token.group(1)[:-2] + "xx", "forged"):
        response = client.post("/children/report-against-match", {"token": bad, **report_fields()})
        assert response.status_code in {302, 403}
    assert not Episode.objects.exists()


def test_none_of_these_adds_a_new_record_with_the_details_typed(
    client: Client, police: Organisation
) -> None:
    marlhaven = factories.CouncilFactory(name="Marlhaven Council")
    held("Tyrone", "Holby", BORN, sex="1", responsible_council=marlhaven)
    client.force_login(factories.member(Role.POLICE_CALL_HANDLER, police))
    page = the_matches(client, marlhaven)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    fields.pop("token", None)
    response = client.post("/children/add", {**fields, "confirm_new": "1"})
    added = Child.objects.get(first_name="Tyrin")
    assert response.status_code == 302
    assert response["Location"] == f"/children/{added.pk}/report-missing?added=1"
    assert added.last_name == "Holbey"
    assert added.date_of_birth == BORN
    queued = MatchCandidate.objects.get()
    assert {queued.left_id, queued.right_id} == {
        added.pk,
        Child.objects.get(first_name="Tyrone").pk,
    }


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
