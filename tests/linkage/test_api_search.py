"""Find before create through the API: a match the caller may see gives the child's
record; any other only who holds it, how strong, on what grounds, and a token."""

from __future__ import annotations

from datetime import date

import pytest

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.linkage import tokens
from homeward.organisations.models import Organisation
from tests import factories
from tests.apiclient import ApiClient
from tests.linkage.helpers import held

MATCHES = "/api/v1/children/matches"
DOB = date(2011, 4, 7)


@pytest.fixture
def elsewhere() -> Child:
    """A child held by a council far from the police force searching."""
    far = factories.CouncilFactory(police_force=factories.PoliceForceFactory())
    return held("Tyrone", "Holby", DOB, responsible_council=far)


def test_a_match_the_caller_may_not_see_carries_no_name_date_or_id(
    as_police: ApiClient, police_officer: Actor, elsewhere: Child
) -> None:
    response = as_police.post(
        MATCHES, {"first_name": "Tyrin", "last_name": "Holbey", "date_of_birth": "2011-04-07"}
    )
    assert response.status == 200
    [match] = response.body["items"]
    assert match["visible"] is False
    assert match["child"] is None
    assert match["held_by"] == {
        "id": elsewhere.responsible_council_id,
        "name": elsewhere.responsible_council.name,
    }
    assert match["strength"] in {"Very likely", "Likely"}
    assert "Date of birth matches" in match["grounds"]
    text = response.raw.decode()
    assert set(match) == {
        "visible",
        "child",
        "held_by",
        "strength",
        "probability",
        "grounds",
        "token",
    }
    for secret in ("Tyrone", "Holby", "2011", "04-07"):
        assert secret not in text
    assert tokens.redeem(police_officer, match["token"]) == elsewhere.pk


def test_a_match_the_caller_may_see_gives_the_childs_record(
    as_social_worker: ApiClient, council: Organisation
) -> None:
    child = held("Thomas", "Whitcombe", DOB, responsible_council=council)
    response = as_social_worker.post(
        MATCHES, {"first_name": "Tom", "last_name": "Whitcombe", "date_of_birth": "2011-04-07"}
    )
    assert response.status == 200
    [match] = response.body["items"]
    assert match["visible"] is True
    assert match["token"] is None
    assert match["child"]["id"] == child.pk
    assert match["child"]["first_name"] == "Thomas"
    assert match["child"]["date_of_birth"] == "2011-04-07"
    assert "First name is a known short form" in match["grounds"]


def test_nothing_to_look_for_is_a_422(as_police: ApiClient) -> None:
    response = as_police.post(MATCHES, {"first_name": ""})
    assert response.status == 422


def test_an_unknown_field_is_refused(as_police: ApiClient) -> None:
    response = as_police.post(
        MATCHES, {"last_name": "Holby", "surname": "Holby"}, validate_request=False
    )
    assert response.status == 422


def test_no_match_is_an_empty_list(as_police: ApiClient) -> None:
    response = as_police.post(MATCHES, {"first_name": "Nobody", "last_name": "Atall"})
    assert response.status == 200
    assert response.body == {"count": 0, "items": []}
