"""The profile's pages and API: writing it with associates and places in rows (errors
name the row), reading it, and changing it from the version last seen."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.organisations.models import Role
from homeward.safeguarding.models import MissingProfile
from tests import factories
from tests.actors import user_of
from tests.apiclient import ApiClient
from tests.safeguarding.factories_profile import in_months, save

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 30,
    }


def filled(**overrides: Any) -> dict[str, Any]:
    review = in_months()
    data: dict[str, Any] = {
        "review_date_day": review.day,
        "review_date_month": review.month,
        "review_date_year": review.year,
        "height": "160 cm",
        "hair": "Black, braided",
        "version": "",
        **management("associates", 3),
        **management("places", 3),
        "associates-0-name": "Corvin Ashdale",
        "associates-0-relationship": "Friend",
        "places-0-place": "McDonald's on the high street",
    }
    data.update(overrides)
    return data


@pytest.fixture
def client(social_worker: Actor) -> Client:
    client = Client()
    client.force_login(user_of(social_worker))
    return client


def test_the_form_offers_a_review_date_and_blank_rows(client: Client, child: Child) -> None:
    page = client.get(f"/children/{child.pk}/profile/edit").content.decode()
    review = in_months()
    assert f'value="{review.year}"' in page
    assert "Associate 3" in page
    assert "Place 3" in page
    assert 'name="associates-TOTAL_FORMS"' in page


def test_errors_name_the_row_and_nothing_is_saved(client: Client, child: Child) -> None:
    response = client.post(
        f"/children/{child.pk}/profile/edit",
        filled(**{"associates-1-phone": "07700900321"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Associate 2: enter a name" in page
    assert 'href="#id_associates-1-name"' in page
    assert "Error:" in page
    assert not MissingProfile.objects.exists()


def test_the_past_review_date_is_refused(client: Client, child: Child) -> None:
    response = client.post(
        f"/children/{child.pk}/profile/edit",
        filled(review_date_day=1, review_date_month=1, review_date_year=2020),
    )
    assert "The review date must be today or in the future" in response.content.decode()


def test_saved_then_shown_then_changed(client: Client, child: Child) -> None:
    response = client.post(f"/children/{child.pk}/profile/edit", filled())
    assert response.status_code == 302
    page = client.get(f"/children/{child.pk}/profile").content.decode()
    assert "Corvin Ashdale" in page
    assert "Black, braided" in page
    form = client.get(f"/children/{child.pk}/profile/edit").content.decode()
    assert 'name="version" value="1"' in form
    assert 'value="Corvin Ashdale"' in form
    changed = client.post(f"/children/{child.pk}/profile/edit", filled(version="1", hair="Shaved"))
    assert changed.status_code == 302
    stale = client.post(f"/children/{child.pk}/profile/edit", filled(version="1", hair="Red"))
    assert stale.status_code == 200
    assert "Someone else changed this profile" in stale.content.decode()
    assert MissingProfile.objects.get().hair == "Shaved"


def test_the_police_see_but_cannot_change(
    child: Child, social_worker: Actor, police_officer: Actor
) -> None:
    factories.report(social_worker, child)
    save(social_worker, child)
    police = Client()
    police.force_login(user_of(police_officer))
    page = police.get(f"/children/{child.pk}/profile").content.decode()
    assert "Corvin Ashdale" in page
    assert "Change the profile" not in page
    assert police.get(f"/children/{child.pk}/profile/edit").status_code == 403
    assert police.get(f"/children/{child.pk}/profile/photos").status_code == 403


def test_the_api_writes_reads_and_checks_the_version(
    as_social_worker: ApiClient, child: Child
) -> None:
    path = f"/api/v1/children/{child.pk}/profile"
    assert as_social_worker.get(path).status == 404
    body = {
        "review_date": in_months().isoformat(),
        "hair": "Brown",
        "associates": [{"name": "Corvin Ashdale", "phone": "07700900123"}],
    }
    written = as_social_worker.request("PUT", path, json_body=body)
    assert written.status == 200, written.body
    assert written.headers["ETag"] == '"1"'
    assert written.body["flags"] == ["no_photograph"]
    assert written.body["owner"]["id"] == child.responsible_council_id
    read = as_social_worker.get(path)
    assert read.body["associates"][0]["name"] == "Corvin Ashdale"
    changed = as_social_worker.request(
        "PUT", path, json_body={**body, "hair": "Red"}, headers={"If-Match": '"1"'}
    )
    assert changed.status == 200
    assert changed.body["version"] == 2
    stale = as_social_worker.request("PUT", path, json_body={**body, "version": 1})
    assert stale.status == 409
    missing_row = as_social_worker.request(
        "PUT", path, json_body={**body, "version": 2, "associates": [{"phone": "0770"}]}
    )
    assert missing_row.status == 422
    assert missing_row.body["errors"]["associates"] == ["Associate 1: enter a name"]


def test_an_rhi_worker_and_a_stranger_get_404(
    api: ApiClient, child: Child, social_worker: Actor
) -> None:
    save(social_worker, child)
    stranger = factories.member(Role.SOCIAL_WORKER, factories.CouncilFactory())
    got = api.as_(factories.api_token(stranger)).get(f"/api/v1/children/{child.pk}/profile")
    assert got.status == 404
