"""The API of the briefing sheet and the appeal: the same services and checks as the pages."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from pypdf import PdfReader

from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.organisations.models import Role
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_briefing import (
    ASSOCIATE,
    MEDICAL,
    PLACE,
    files_dir,
    missing_child,
)

pytestmark = pytest.mark.django_db
__all__ = ["files_dir"]


def headers(actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user_of(actor))}"}


def test_the_force_reads_the_sheet_as_json_and_pdf() -> None:
    case = missing_child()
    base = f"/api/v1/episodes/{case.episode.reference}"
    response = Client().get(f"{base}/briefing", headers=headers(case.officer))
    assert response.status_code == 200
    body = response.json()
    assert body["child"]["name"] == "Marigold Thistlewood"
    assert body["medical_needs"] == MEDICAL
    assert body["places"][0]["place"] == PLACE
    assert body["associates"][0]["name"] == ASSOCIATE
    assert body["risk_grade"] == "high"
    assert body["has_photo"] is True
    assert response["ETag"] == f'"{case.episode.version}"'
    pdf = Client().get(f"{base}/briefing.pdf", headers=headers(case.officer))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1


def test_no_sheet_for_a_stranger_force_or_a_social_worker() -> None:
    case = missing_child()
    stranger = factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())
    url = f"/api/v1/episodes/{case.episode.reference}/briefing"
    assert Client().get(url, headers=headers(stranger)).status_code == 404
    assert Client().get(url, headers=headers(case.worker)).status_code == 403


def test_agree_read_and_withdraw_an_appeal() -> None:
    case = missing_child()
    base = f"/api/v1/episodes/{case.episode.reference}/appeal"
    made = Client().post(
        base,
        json.dumps({"fields": ["first_name", "age"], "wording": "Call 999"}),
        content_type="application/json",
        headers=headers(case.coordinator),
    )
    assert made.status_code == 201, made.content
    assert made.json()["fields"] == ["first_name", "age"]
    read = Client().get(base, headers=headers(case.officer))
    assert read.status_code == 200
    public = read.json()["public"]
    assert public["first_name"] == "Marigold"
    assert public["clothing"] is None
    assert "Thistlewood" not in read.content.decode()
    assert MEDICAL not in read.content.decode()
    gone = Client().post(
        f"{base}/withdraw",
        json.dumps({"reason": "Publicity would put her at risk"}),
        content_type="application/json",
        headers=headers(case.coordinator),
    )
    assert gone.status_code == 200
    assert gone.json()["status"] == "withdrawn"
    after = Client().get(base, headers=headers(case.officer))
    assert after.status_code == 404
    assert "This appeal was withdrawn on" in after.json()["detail"]


def test_a_social_worker_cannot_agree_through_the_api() -> None:
    case = missing_child()
    response = Client().post(
        f"/api/v1/episodes/{case.episode.reference}/appeal",
        json.dumps({"fields": ["first_name"]}),
        content_type="application/json",
        headers=headers(case.worker),
    )
    assert response.status_code == 403


def test_after_the_return_the_api_says_the_child_was_found() -> None:
    case = missing_child()
    base = f"/api/v1/episodes/{case.episode.reference}/appeal"
    Client().post(
        base,
        json.dumps({"fields": ["first_name"]}),
        content_type="application/json",
        headers=headers(case.coordinator),
    )
    episode = case.episode
    episodes.record_return(
        case.officer,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=episode.last_seen_at + timedelta(hours=1), return_method="found_by_police"
        ),
    )
    after = Client().get(base, headers=headers(case.coordinator))
    assert after.status_code == 404
    assert "because the child was found" in after.json()["detail"]
