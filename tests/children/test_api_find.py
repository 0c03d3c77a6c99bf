"""Find before create in the API: POST /api/v1/children answers 409 with the likely
matches (a record the caller may not see without its identity) unless confirm_new."""

from __future__ import annotations

from datetime import date

from homeward.children.models import Child
from homeward.linkage.models import MatchCandidate
from homeward.organisations.models import Organisation
from tests import factories
from tests.apiclient import ApiClient
from tests.children.test_api import CHILDREN, a_child
from tests.linkage.helpers import held

BORN = date(2013, 6, 14)


def test_a_likely_match_is_a_409_without_its_identity(
    as_police: ApiClient, council: Organisation
) -> None:
    marlhaven = factories.CouncilFactory(name="Marlhaven Council")
    record = held("Tyrone", "Holby", BORN, sex="1", responsible_council=marlhaven)
    body = a_child(
        first_name="Tyrin",
        last_name="Holbey",
        date_of_birth=BORN.isoformat(),
        sex="1",
        responsible_council_id=council.pk,
    )
    response = as_police.post(CHILDREN, body)
    assert response.status == 409
    raw = response.text if hasattr(response, "text") else str(response.body)
    for secret in ("Tyrone", "Holby", BORN.isoformat()):
        assert secret not in raw
    match = response.body["items"][0]
    assert match["visible"] is False
    assert match["child"] is None
    assert match["held_by"]["name"] == "Marlhaven Council"
    assert match["token"]
    assert Child.objects.count() == 1
    created = as_police.post(CHILDREN, {**body, "confirm_new": True})
    assert created.status == 201
    assert Child.objects.count() == 2
    queued = MatchCandidate.objects.get()
    assert record.pk in {queued.left_id, queued.right_id}
