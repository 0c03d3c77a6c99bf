"""Finding, adding and reading children through the web pages."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from homeward.audit.models import AuditEvent
from homeward.children.codes import LegalStatusKind, PlacementType
from homeward.children.models import Child, LegalStatus, WorkerAllocation
from homeward.core import clock
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.responses import ClientResponse

pytestmark = pytest.mark.django_db


def text(response: ClientResponse) -> str:
    return response.content.decode()


@pytest.fixture
def worker_client(client: Client, council: Organisation) -> Client:
    client.force_login(factories.member(Role.SOCIAL_WORKER, council))
    return client


# --- find a child --------------------------------------------------------------------------


def test_find_page_searches_by_post_only(worker_client: Client, council: Organisation) -> None:
    child = factories.ChildFactory(last_name="Inglethorpe", responsible_council=council)
    body = text(worker_client.get("/children/"))
    assert '<form method="post" action="/children/"' in body
    assert 'name="q"' in body
    # A query string does nothing: names never travel in URLs.
    body = text(worker_client.get("/children/", {"q": child.last_name}))
    assert child.last_name not in body
    assert "found" not in body


def test_search_finds_the_councils_child(worker_client: Client, child: Child) -> None:
    response = worker_client.post("/children/", {"q": child.last_name})
    body = text(response)
    assert response.status_code == 200
    assert "1 child found" in body
    assert f'href="/children/{child.pk}/"' in body
    assert child.full_name in body
    assert AuditEvent.objects.filter(action="search_result", child_id=child.pk).exists()


def test_search_never_shows_other_councils_children(worker_client: Client, child: Child) -> None:
    stranger = factories.ChildFactory(first_name=child.first_name, last_name=child.last_name)
    body = text(worker_client.post("/children/", {"q": child.full_name}))
    assert "1 child found" in body
    assert f"/children/{stranger.pk}/" not in body
    assert stranger.responsible_council.name not in body


def test_search_by_date_of_birth(worker_client: Client, child: Child) -> None:
    body = text(worker_client.post("/children/", {"q": f"{child.date_of_birth:%d/%m/%Y}"}))
    assert child.full_name in body


def test_empty_search_is_an_error(worker_client: Client) -> None:
    body = text(worker_client.post("/children/", {"q": "  "}))
    assert "<title>Error: " in body
    assert '<a href="#id_q">Enter a name, date of birth or identifier to search for</a>' in body


def test_nothing_found_says_so(worker_client: Client) -> None:
    body = text(worker_client.post("/children/", {"q": "Zzyzx"}))
    assert "No children found" in body


# --- add a child ---------------------------------------------------------------------------


def dob_fields(day: date, prefix: str = "date_of_birth") -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def datetime_fields(prefix: str, value: datetime) -> dict[str, str]:
    local = value.astimezone(ZoneInfo("Europe/London"))
    return {
        **dob_fields(local.date(), prefix),
        f"{prefix}_hour": str(local.hour),
        f"{prefix}_minute": f"{local.minute:02d}",
    }


def child_data(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Alex",
        "last_name": "Marsh",
        "aliases": "Lexi\n\nAl Marsh",
        **dob_fields(clock.now().date() - timedelta(days=365 * 13)),
        "sex": "2",
        "ethnicity": "WBRI",
        "upn": "",
        "nhs_number": "",
        "agency_reference": "CASE-4411",
    }
    data.update(overrides)
    return data


def test_council_worker_adds_a_child(worker_client: Client, council: Organisation) -> None:
    body = text(worker_client.get("/children/add"))
    assert f"The child will be recorded as the responsibility of {council.name}" in body
    response = worker_client.post("/children/add", child_data())
    child = Child.objects.get(last_name="Marsh")
    assert response.status_code == 302
    assert response["Location"] == f"/children/{child.pk}/"
    assert child.responsible_council == council
    assert sorted(a.name for a in child.aliases.all()) == ["Al Marsh", "Lexi"]
    page = text(worker_client.get(response["Location"]))
    assert "The child has been added" in page
    assert "CASE-4411" in page


def test_invalid_child_shows_each_error_and_saves_nothing(worker_client: Client) -> None:
    response = worker_client.post(
        "/children/add",
        child_data(first_name="", date_of_birth_month="", sex="", nhs_number="1234567890"),
    )
    body = text(response)
    assert response.status_code == 200
    assert '<a href="#id_first_name">Enter the child&#x27;s first name</a>' in body
    assert '<a href="#id_date_of_birth_month">' in body
    assert "The child&#x27;s date of birth must include a month" in body
    assert '<a href="#id_sex_0">Select the child&#x27;s sex</a>' in body
    # Only the month box is marked as wrong.
    assert 'id="id_date_of_birth_month" name="date_of_birth_month"' in body
    assert body.count("govuk-date-input__input govuk-input--width-2 govuk-input--error") == 1
    assert not Child.objects.exists()


def test_service_rules_come_back_as_field_errors(worker_client: Client) -> None:
    too_old = clock.now().date() - timedelta(days=365 * 19)
    body = text(worker_client.post("/children/add", child_data(**dob_fields(too_old))))
    assert "the child must be under 18" in body
    assert 'href="#id_date_of_birth_day"' in body
    body = text(worker_client.post("/children/add", child_data(nhs_number="1234567890")))
    assert '<a href="#id_nhs_number">NHS number must be 10 digits' in body
    assert not Child.objects.exists()


def test_a_reference_the_organisation_already_gave_another_child_is_a_field_error(
    worker_client: Client,
) -> None:
    assert worker_client.post("/children/add", child_data()).status_code == 302
    response = worker_client.post(  # past the likely match (find before create)
        "/children/add", child_data(first_name="Robin", last_name="Tarrant", confirm_new="1")
    )
    body = text(response)
    assert response.status_code == 200
    assert '<a href="#id_agency_reference">Your organisation already uses this reference' in body
    assert 'value="Tarrant"' in body  # what was typed is kept
    assert not Child.objects.filter(last_name="Tarrant").exists()
    other = child_data(
        first_name="Robin", last_name="Tarrant", agency_reference="CASE-4412", confirm_new="1"
    )
    assert worker_client.post("/children/add", other).status_code == 302


def test_impossible_date_is_not_a_real_date(worker_client: Client) -> None:
    body = text(
        worker_client.post(
            "/children/add",
            child_data(date_of_birth_day="31", date_of_birth_month="2", date_of_birth_year="2015"),
        )
    )
    assert "The child&#x27;s date of birth must be a real date" in body
    assert not Child.objects.exists()


def test_police_choose_the_responsible_council(
    client: Client, police: Organisation, council: Organisation
) -> None:
    client.force_login(factories.member(Role.POLICE_OFFICER, police))
    body = text(client.get("/children/add"))
    assert f'<option value="{council.pk}">{council.name}</option>' in body
    response = client.post("/children/add", child_data(responsible_council=""))
    assert "Select the council responsible for the child" in text(response)
    response = client.post("/children/add", child_data(responsible_council=str(council.pk)))
    assert Child.objects.get().responsible_council == council
    assert response.status_code in (200, 302)


def test_add_a_child_offers_every_council_and_not_known(
    client: Client, police: Organisation
) -> None:
    councils = [factories.CouncilFactory() for _ in range(5)]  # most in other forces' areas
    client.force_login(factories.member(Role.POLICE_CALL_HANDLER, police))
    body = text(client.get("/children/add"))
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', body)
    council_options = dict(options)
    assert council_options["not-known"] == "Not known"
    for council in councils:
        assert council_options[str(council.pk)] == council.name
    # The police usually add a child in order to report them: that comes first.
    assert "Add the child and report them missing</button>" in body
    assert "Add the child only</button>" in body


def test_a_call_handler_adds_a_child_and_reports_them_in_one_go(
    client: Client, police: Organisation, council: Organisation
) -> None:
    """The journey the new record used to end ("once an episode is reported"): the force
    goes straight from adding the child to reporting them, and the council sees it."""
    client.force_login(factories.member(Role.POLICE_CALL_HANDLER, police))
    response = client.post(
        "/children/add",
        child_data(responsible_council=str(council.pk), next="report"),
    )
    child = Child.objects.get(last_name="Marsh")
    assert response.status_code == 302
    assert response["Location"] == f"/children/{child.pk}/report-missing?added=1"
    form = text(client.get(response["Location"]))
    assert "Alex Marsh has been added to Homeward. Now report them missing." in form
    assert "until" in form  # how long the force sees the record without a report
    response = client.post(
        f"/children/{child.pk}/report-missing",
        {
            "classification": "M",
            **datetime_fields("last_seen_at", clock.now() - timedelta(hours=1)),
            "last_seen_location": "Bus station",
            "missing_from": "home",
            "reporter_type": "parent",
            "risk_grade": "high",
            "risk_rationale": "Thirteen, out alone at night, phone off",
        },
    )
    episode = child.episodes.get()
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.reference}/"
    assert episode.police_force == police
    assert episode.reporting_organisation == police
    assert client.get(response["Location"]).status_code == 200
    # The council responsible sees the child missing on its home page.
    council_user = Client()
    council_user.force_login(factories.member(Role.SOCIAL_WORKER, council))
    home = text(council_user.get("/"))
    assert "Alex Marsh" in home
    assert episode.reference in home


def test_add_the_child_only_opens_their_record(
    client: Client, police: Organisation, council: Organisation
) -> None:
    client.force_login(factories.member(Role.POLICE_OFFICER, police))
    response = client.post(
        "/children/add", child_data(responsible_council=str(council.pk), next="record")
    )
    child = Child.objects.get()
    assert response["Location"] == f"/children/{child.pk}/"
    page = text(client.get(response["Location"]))
    assert "The child has been added" in page
    assert "Your organisation added this record" in page
    assert f'href="/children/{child.pk}/report-missing"' in page


def test_not_known_goes_to_the_area_council_to_confirm(
    client: Client, police: Organisation, council: Organisation
) -> None:
    client.force_login(factories.member(Role.POLICE_CALL_HANDLER, police))
    body = text(client.get("/children/add"))
    assert f"If the responsible council is not known, {council.name} holds the record" in body
    assert 'name="area_council"' not in body  # the force covers one council: nothing to ask
    client.post("/children/add", child_data(responsible_council="not-known", next="record"))
    child = Child.objects.get()
    assert child.responsible_council == council
    assert child.responsible_council_provisional

    coordinator = Client()
    coordinator.force_login(factories.member(Role.COUNCIL_MISSING_COORDINATOR, council))
    home = text(coordinator.get("/"))
    assert "added with the responsible council not known" in home
    assert f'href="/children/{child.pk}/#responsible-council"' in home
    page = text(coordinator.get(f"/children/{child.pk}/"))
    assert "(provisional: not yet confirmed)" in page
    assert f'action="/children/{child.pk}/responsible-council"' in page
    elsewhere = factories.CouncilFactory(name="Farshire County Council")
    response = coordinator.post(
        f"/children/{child.pk}/responsible-council", {"responsible_council": str(elsewhere.pk)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    child.refresh_from_db()
    assert child.responsible_council == elsewhere
    assert not child.responsible_council_provisional
    assert "has passed to Farshire County Council" in text(coordinator.get("/"))


def test_a_force_of_several_councils_says_which_area(
    client: Client, police: Organisation, council: Organisation
) -> None:
    second = factories.CouncilFactory(police_force=police)
    client.force_login(factories.member(Role.POLICE_CALL_HANDLER, police))
    body = text(client.get("/children/add"))
    assert 'name="area_council"' in body
    response = client.post("/children/add", child_data(responsible_council="not-known"))
    body = text(response)
    assert '<a href="#id_area_council">Select the council whose area the child is in now' in body
    assert not Child.objects.exists()
    client.post(
        "/children/add",
        child_data(responsible_council="not-known", area_council=str(second.pk)),
    )
    assert Child.objects.get().responsible_council == second


def test_care_staff_cannot_add_children(client: Client, council: Organisation) -> None:
    home = factories.CareProviderFactory(area_council=council)
    client.force_login(factories.member(Role.CARE_STAFF, home))
    assert client.get("/children/add").status_code == 403
    assert client.post("/children/add", child_data()).status_code == 403
    assert not Child.objects.exists()
    assert "Add a child" not in text(client.get("/"))


# --- the child's page ----------------------------------------------------------------------


def test_child_page_shows_the_whole_record(
    worker_client: Client, council: Organisation, child: Child
) -> None:
    host = factories.CouncilFactory(name="Faraway Borough Council")
    home = factories.CareProviderFactory(name="Larch Lodge", area_council=host)
    factories.looked_after(child, since=clock.now().date() - timedelta(days=400))
    LegalStatus.objects.create(
        child=child,
        status=LegalStatusKind.CHILD_IN_NEED,
        start_date=child.date_of_birth + timedelta(days=30),
        end_date=clock.now().date() - timedelta(days=400),
    )
    factories.place(
        child,
        host=council,
        start=clock.now().date() - timedelta(days=300),
        placement_type=PlacementType.U4,
    )
    factories.place(child, provider=home, host=host, start=clock.now().date() - timedelta(days=20))
    worker = factories.member(Role.SOCIAL_WORKER, council, first_name="Dana", last_name="Reeve")
    WorkerAllocation.objects.create(
        child=child,
        worker=worker,
        organisation=council,
        start_date=clock.now().date() - timedelta(days=100),
    )
    child.aliases.create(name="Jaz")
    episode = factories.report(factories.actor(Role.SOCIAL_WORKER, council), child)

    response = worker_client.get(f"/children/{child.pk}/")
    body = text(response)
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{child.full_name}</h1>' in body
    assert "Jaz" in body
    assert "Looked after" in body
    assert "Child in need" in body
    assert "Larch Lodge" in body
    assert "Faraway Borough Council" in body
    assert "Foster placement with other foster carer, long term fostering" in body
    assert '<td class="govuk-table__cell">Yes</td>' in body  # out of area
    assert "Dana Reeve" in body
    assert f'href="/episodes/{episode.reference}/"' in body
    assert "Reported missing by parent or family member" in body  # timeline summary
    assert "is missing now" in body
    # Already missing: the page offers adding to the open episode, not a second report.
    assert f'href="/children/{child.pk}/report-missing"' not in body
    assert f'href="/episodes/{episode.reference}/timeline"' in body
    assert AuditEvent.objects.filter(action="view", object_type="child", child_id=child.pk).exists()


def test_another_councils_child_is_not_found(worker_client: Client) -> None:
    stranger = factories.ChildFactory(first_name="Quillon", last_name="Vantreece")
    for path in (f"/children/{stranger.pk}/", f"/children/{stranger.pk}/report-missing"):
        response = worker_client.get(path)
        body = text(response)
        assert response.status_code == 404
        assert "Page not found" in body
        assert "Quillon" not in body
        assert "Vantreece" not in body
        assert stranger.responsible_council.name not in body


def test_non_numeric_child_id_is_not_found(worker_client: Client) -> None:
    assert worker_client.get("/children/abc/").status_code == 404


def test_police_in_the_childs_area_can_open_the_record(
    client: Client, council: Organisation, child: Child
) -> None:
    assert council.police_force is not None
    client.force_login(factories.member(Role.POLICE_OFFICER, council.police_force))
    factories.place(child, host=council)
    assert "Report missing" in text(client.get(f"/children/{child.pk}/"))
