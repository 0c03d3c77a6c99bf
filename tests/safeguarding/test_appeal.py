"""The public appeal: agreed by the child's council's leads, carrying only what they
agreed, superseded by a new agreement, withdrawn by the council or when the child is
found (its page then answers 404, saying when and why)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from pypdf import PdfReader

from homeward.audit.models import AuditEvent
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.episodes import services as episodes
from homeward.events.models import DomainEvent
from homeward.notifications.models import Notification
from homeward.organisations.models import Role
from homeward.safeguarding.models.profiles import PublicAppeal
from homeward.safeguarding.services import appeals
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_briefing import (
    ASSOCIATE,
    MEDICAL,
    PLACE,
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


def agree(case: Case, fields: list[str], wording: str = "") -> PublicAppeal:
    return appeals.agree_appeal(
        case.coordinator, case.episode.reference, fields=fields, wording=wording
    )


def found(case: Case) -> None:
    episode = case.episode
    episodes.record_return(
        case.officer,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=episode.last_seen_at + timedelta(hours=1), return_method="found_by_police"
        ),
    )


def checkboxes(html: str) -> list[tuple[str, bool]]:
    """Each "publish" checkbox on the page: its value, and whether it is ticked."""
    found = []
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="checkbox"' in tag and 'name="publish"' in tag:
            value = re.search(r'value="([^"]*)"', tag)
            found.append((value.group(1) if value else "", " checked" in tag))
    return found


def test_select_all_that_apply_keeps_every_ticked_answer() -> None:
    case = missing_child()
    url = f"/episodes/{case.episode.reference}/appeal/agree"
    client = web(case.coordinator)
    page = client.get(url).content.decode()
    boxes = checkboxes(page)
    assert len(boxes) == 6, "one checkbox per detail that may be published"
    chosen = ["first_name", "age", "photograph", "clothing"]
    response = client.post(url, {"publish": chosen, "wording": "Call 999 if you see her"})
    assert response.status_code == 302
    appeal = PublicAppeal.objects.get(episode=case.episode)
    assert appeal.fields == chosen
    # The agreement is drawn again with every ticked answer still ticked.
    again = client.get(url).content.decode()
    ticked = [value for value, checked in checkboxes(again) if checked]
    assert sorted(ticked) == sorted(chosen)


def test_an_agreement_with_nothing_ticked_is_refused_on_the_page() -> None:
    case = missing_child()
    url = f"/episodes/{case.episode.reference}/appeal/agree"
    response = web(case.coordinator).post(url, {"wording": "Call 999"})
    assert response.status_code == 200
    assert "Select what may be published" in response.content.decode()
    assert not PublicAppeal.objects.exists()


def test_the_public_page_carries_only_what_was_agreed() -> None:
    case = missing_child()
    agree(case, ["first_name", "age", "last_seen_area"], "Please call 999 if you see her")
    response = web(case.officer).get(f"/episodes/{case.episode.reference}/appeal")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Marigold" in html
    assert "Marlhaven" in html  # the area, from "14 Acacia Road, Marlhaven, MH1 2AB"
    assert "Please call 999 if you see her" in html
    for never in ("Thistlewood", MEDICAL, ASSOCIATE, PLACE, "Acacia Road", "MH1 2AB"):
        assert never not in html, never
    # Not agreed: clothing, description, photograph.
    for absent in ("Black puffer jacket", "160 cm", "data:image/jpeg"):
        assert absent not in html, absent
    assert str(case.child.date_of_birth.year) not in html


def test_the_public_pdf_carries_only_what_was_agreed() -> None:
    case = missing_child()
    agree(case, ["first_name", "photograph", "clothing"])
    response = web(case.coordinator).get(f"/episodes/{case.episode.reference}/appeal.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert len(reader.pages[0].images) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Marigold" in text
    assert "Black puffer jacket" in text
    for never in ("Thistlewood", MEDICAL, ASSOCIATE, PLACE, "Marlhaven", "160 cm"):
        assert never not in text, never


def test_a_new_agreement_withdraws_the_one_before() -> None:
    case = missing_child()
    first = agree(case, ["first_name"])
    second = agree(case, ["first_name", "age"])
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert first.withdrawn_reason == "Replaced by a new agreement"
    assert appeals.live_appeal(case.episode) == second


def test_the_appeal_is_withdrawn_when_the_child_is_found_and_its_page_answers_404() -> None:
    case = missing_child()
    appeal = agree(case, ["first_name", "age"])
    found(case)
    appeal.refresh_from_db()
    assert appeal.withdrawn_at is not None
    assert appeal.withdrawn_by is None  # Homeward withdrew it
    event = DomainEvent.objects.get(name="safeguarding.appeal_withdrawn")
    assert event.payload["found"] is True
    for suffix in ("appeal", "appeal.pdf"):
        response = web(case.officer).get(f"/episodes/{case.episode.reference}/{suffix}")
        assert response.status_code == 404
        html = response.content.decode()
        assert "This appeal was withdrawn on" in html
        assert "because the child was found" in html
        assert "Marigold" not in html


def test_the_council_withdraws_it_with_a_reason() -> None:
    case = missing_child()
    agree(case, ["first_name"])
    url = f"/episodes/{case.episode.reference}/appeal/withdraw"
    client = web(case.coordinator)
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Risk of harm from publicity"})
    assert response.status_code == 302
    page = client.get(f"/episodes/{case.episode.reference}/appeal")
    assert page.status_code == 404
    assert "Risk of harm from publicity" in page.content.decode()


def test_a_social_worker_cannot_agree_an_appeal() -> None:
    case = missing_child()
    with pytest.raises(AccessDenied):
        appeals.agree_appeal(case.worker, case.episode.reference, fields=["first_name"])
    url = f"/episodes/{case.episode.reference}/appeal/agree"
    assert web(case.worker).get(url).status_code == 403
    assert web(case.worker).post(url, {"publish": ["first_name"]}).status_code == 403
    page = web(case.worker).get(f"/episodes/{case.episode.reference}/").content.decode()
    assert "Agree a public appeal" not in page
    assert not PublicAppeal.objects.exists()


def test_another_councils_lead_and_the_police_cannot_agree() -> None:
    case = missing_child()
    other = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
    with pytest.raises(NotFound):
        appeals.agree_appeal(other, case.episode.reference, fields=["first_name"])
    with pytest.raises(AccessDenied):
        appeals.agree_appeal(case.officer, case.episode.reference, fields=["first_name"])


def test_no_appeal_once_the_child_is_back() -> None:
    case = missing_child()
    found(case)
    with pytest.raises(ValidationFailed):
        agree(case, ["first_name"])


def test_a_force_with_no_relationship_cannot_see_the_appeal() -> None:
    case = missing_child()
    agree(case, ["first_name"])
    stranger = factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())
    assert web(stranger).get(f"/episodes/{case.episode.reference}/appeal").status_code == 404


def test_reading_the_appeal_is_an_audited_read() -> None:
    case = missing_child()
    agree(case, ["first_name"])
    web(case.officer).get(f"/episodes/{case.episode.reference}/appeal")
    assert AuditEvent.objects.filter(
        object_type="public_appeal", action="view", child_id=case.child.pk
    ).exists()


def test_the_episode_page_shows_the_appeal_status_and_links() -> None:
    case = missing_child()
    page_url = f"/episodes/{case.episode.reference}/"
    before = web(case.coordinator).get(page_url).content.decode()
    assert "Agree a public appeal" in before
    assert "No public appeal has been agreed" in before
    agree(case, ["first_name", "age"])
    after = web(case.coordinator).get(page_url).content.decode()
    assert "Withdraw the appeal" in after
    assert "A public appeal is live" in after
    police_page = web(case.officer).get(page_url).content.decode()
    assert "A public appeal is live" in police_page
    assert "Withdraw the appeal" not in police_page


@pytest.mark.parametrize(
    ("location", "area"),
    [
        ("14 Acacia Road, Marlhaven, MH1 2AB", "Marlhaven"),
        ("Flat 2, 14 Acacia Road, Marlhaven", "Marlhaven"),
        ("Marlhaven bus station", "Marlhaven bus station"),
        ("14 Acacia Road", ""),
        ("Outside the shop, MH1 2AB", ""),
    ],
)
def test_the_area_last_seen_is_never_an_address(location: str, area: str) -> None:
    assert appeals.last_seen_area(location) == area


def test_the_council_is_told_the_appeal_was_withdrawn_when_the_child_is_found() -> None:
    from tests.notifications.conftest import drain

    case = missing_child()
    agree(case, ["first_name"])
    found(case)
    drain(fire_due_clocks=False)
    told = Notification.objects.filter(
        recipient=user_of(case.coordinator), event__name="safeguarding.appeal_withdrawn"
    ).get()
    assert told.title == "Public appeal withdrawn: take down any copy published"
    assert told.link == f"/episodes/{case.episode.reference}/"
    assert "Marigold" not in told.title


def test_after_the_return_the_force_and_the_council_see_the_appeal_was_withdrawn() -> None:
    case = missing_child()
    agree(case, ["first_name"])
    found(case)
    for actor in (case.officer, case.coordinator):
        page = web(actor).get(f"/episodes/{case.episode.reference}/").content.decode()
        assert "The public appeal was withdrawn on" in page
        assert "The child was found" in page
        assert "Agree a public appeal" not in page
