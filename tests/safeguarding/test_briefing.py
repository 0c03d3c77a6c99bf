"""The police briefing sheet: who may print it, what it says on one A4 page (read back
from the PDF), and that every view and download is an audited read of the child."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from pypdf import PdfReader

from homeward.audit.models import AuditEvent
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.organisations.models import Role
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_briefing import (
    ASSOCIATE,
    MEDICAL,
    PLACE,
    STEP,
    WORKED,
    Case,
    files_dir,
    missing_child,
)

pytestmark = pytest.mark.django_db
__all__ = ["files_dir"]


def web(actor: Actor) -> Client:
    client = Client()
    client.force_login(user_of(actor))
    return client


def pdf_of(case: Case, actor: Actor | None = None) -> PdfReader:
    response = web(actor or case.officer).get(f"/episodes/{case.episode.reference}/briefing.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_pdf_is_one_page_with_the_photograph_and_what_the_force_needs() -> None:
    case = missing_child()
    reader = pdf_of(case)
    assert len(reader.pages) == 1
    assert len(reader.pages[0].images) == 1, "the photograph is on the page"
    text = text_of(reader)
    for wanted in (
        "Marigold Thistlewood",
        "160 cm",
        "Scar above her left eyebrow",
        "High",
        "Diabetic, no insulin with her",
        MEDICAL,
        PLACE,
        ASSOCIATE,
        WORKED,
        STEP,
        "Black puffer jacket",
        "MH-2026-0419",
        case.episode.reference,
        case.council.name,
    ):
        assert wanted in text, wanted


def test_long_answers_are_cut_short_and_the_sheet_stays_on_one_page() -> None:
    long = "She has many needs that are written out at length by her carers. " * 60
    places = [{"place": f"Place number {n}", "notes": long} for n in range(12)]
    case = missing_child(medical_needs=long, what_worked_before=long, places=places)
    reader = pdf_of(case)
    assert len(reader.pages) == 1
    text = text_of(reader)
    assert "\u2026" in text
    assert "see Homeward for more" in text
    assert "Place number 0" in text


def test_without_a_profile_or_photograph_the_sheet_says_so() -> None:
    case = missing_child(photo=False)
    case.profile.delete()
    reader = pdf_of(case)
    assert len(reader.pages) == 1
    assert not reader.pages[0].images
    assert "No photograph on the profile" in text_of(reader)


def test_the_page_shows_the_sheet_with_the_photograph_inline() -> None:
    case = missing_child()
    response = web(case.officer).get(f"/episodes/{case.episode.reference}/briefing")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/jpeg;base64,' in html
    for wanted in (MEDICAL, PLACE, ASSOCIATE, WORKED, STEP, "160 cm", "Tobias Wrenfield"):
        assert wanted in html, wanted


def test_each_view_and_download_is_an_audited_read_of_the_child() -> None:
    case = missing_child()
    reference = case.episode.reference
    web(case.officer).get(f"/episodes/{reference}/briefing")
    web(case.officer).get(f"/episodes/{reference}/briefing.pdf")
    events = AuditEvent.objects.filter(
        object_type="briefing_sheet", child_id=case.child.pk, user=user_of(case.officer)
    )
    assert sorted(events.values_list("action", flat=True)) == ["download", "view"]


def test_a_force_with_no_relationship_gets_not_found() -> None:
    case = missing_child()
    stranger = factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())
    for suffix in ("briefing", "briefing.pdf"):
        response = web(stranger).get(f"/episodes/{case.episode.reference}/{suffix}")
        assert response.status_code == 404


def test_the_force_where_the_child_was_found_may_print_it() -> None:
    case = missing_child()
    other = factories.PoliceForceFactory()
    type(case.episode).objects.filter(pk=case.episode.pk).update(found_police_force=other)
    officer = factories.actor(Role.POLICE_OFFICER, other)
    assert web(officer).get(f"/episodes/{case.episode.reference}/briefing").status_code == 200


def test_a_care_provider_and_a_social_worker_cannot_print_the_sheet() -> None:
    case = missing_child()
    home = factories.CareProviderFactory(area_council=case.council)
    factories.place(case.child, provider=home, host=case.council)
    staff = factories.actor(Role.CARE_STAFF, home)
    for actor in (staff, case.worker):
        response = web(actor).get(f"/episodes/{case.episode.reference}/briefing")
        assert response.status_code in (403, 404)
        page = web(actor).get(f"/episodes/{case.episode.reference}/")
        assert "Print the briefing sheet" not in page.content.decode()


def test_the_episode_page_links_the_sheet_for_the_force() -> None:
    case = missing_child()
    page = web(case.officer).get(f"/episodes/{case.episode.reference}/").content.decode()
    assert "Print the briefing sheet" in page


def test_once_the_child_is_back_there_is_no_sheet() -> None:
    case = missing_child()
    episode = case.episode
    episodes.record_return(
        case.officer,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=episode.last_seen_at + timedelta(hours=1),
            return_method="found_by_police",
        ),
    )
    response = web(case.officer).get(f"/episodes/{episode.reference}/briefing")
    assert response.status_code == 404
    page = web(case.officer).get(f"/episodes/{episode.reference}/").content.decode()
    assert "Print the briefing sheet" not in page
