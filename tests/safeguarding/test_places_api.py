"""Places and hotspots through the API: the same services as the pages, the same refusals."""

from __future__ import annotations

import pytest

from homeward.organisations.models import Role
from homeward.safeguarding.models import Place, PlaceLink, PlaceRole
from tests import factories
from tests.apiclient import ApiClient, token_for
from tests.safeguarding.factories_places import a_place, days_ago, link
from tests.safeguarding.factories_plan import returned, world

pytestmark = pytest.mark.django_db


def test_record_is_refused_with_the_places_like_it_unless_confirmed(api: ApiClient) -> None:
    w = world()
    existing = a_place("Bus station", w.council, "AB1 3GH")
    officer = api.as_(token_for(w.officer))
    sent = {"name": "Bus stn", "kind": "transport", "postcode": "ab13gh"}
    asked = officer.request("POST", "/api/v1/places", json_body=sent)
    assert asked.status == 409, asked.body
    assert [s["place"]["id"] for s in asked.body["suggestions"]] == [existing.pk]
    assert asked.body["suggestions"][0]["reason"] == "Same postcode"
    made = officer.request("POST", "/api/v1/places", json_body={**sent, "confirm_new": True})
    assert made.status == 201, made.body
    assert (made.body["postcode"], made.body["council_id"]) == ("AB1 3GH", w.council.pk)
    bad = officer.request("POST", "/api/v1/places", json_body={"name": "x", "postcode": "nope"})
    assert bad.status == 422
    assert "postcode" in str(bad.body)
    like = officer.request(
        "POST", "/api/v1/places/search/suggestions", json_body={"name": "Bus station"}
    )
    assert like.status == 200
    assert {s["place"]["id"] for s in like.body["suggestions"]} == {existing.pk, made.body["id"]}
    search = officer.request("POST", "/api/v1/places/search", json_body={"q": "bus"})
    assert search.body["count"] == 2


def test_link_read_and_unlink(api: ApiClient) -> None:
    w = world()
    episode = returned(w.officer, w.child)
    place = a_place("Bus station", w.council, "AB1 3GH")
    officer = api.as_(token_for(w.officer))
    made = officer.request(
        "POST",
        f"/api/v1/places/{place.pk}/links",
        json_body={"episode": episode.reference, "role": "found"},
    )
    assert made.status == 201, made.body
    assert (made.body["role"], made.body["episode"]) == ("found", episode.reference)
    again = officer.request(
        "POST",
        f"/api/v1/places/{place.pk}/links",
        json_body={"episode": episode.reference, "role": "found"},
    )
    assert again.status == 422
    both = officer.request(
        "POST",
        f"/api/v1/places/{place.pk}/links",
        json_body={"episode": episode.reference, "child_id": w.child.pk},
    )
    assert both.status == 422
    read = officer.request("GET", f"/api/v1/places/{place.pk}")
    assert [ln["id"] for ln in read.body["links"]] == [made.body["id"]]
    stranger = api.as_(token_for(world().officer))
    hidden = stranger.request("GET", f"/api/v1/places/{place.pk}")
    assert (hidden.body["links"], hidden.body["hidden_links"]) == ([], 1)
    assert stranger.request("DELETE", f"/api/v1/place-links/{made.body['id']}").status == 404
    gone = officer.request("DELETE", f"/api/v1/place-links/{made.body['id']}")
    assert gone.status == 200
    assert gone.body["removed_at"] is not None
    assert PlaceLink.objects.get().removed_at is not None


def test_hotspots_by_scope(api: ApiClient) -> None:
    w = world()
    place = a_place("Bandstand", w.council, "AB1 2CD", 52.0, -1.0)
    for _ in range(3):
        link(
            place,
            factories.ChildFactory(responsible_council=w.council),
            PlaceRole.FOUND,
            days_ago(4),
        )
    coordinator = api.as_(token_for(factories.actor(Role.COUNCIL_MISSING_COORDINATOR, w.council)))
    found = coordinator.request("GET", "/api/v1/hotspots")
    assert found.status == 200, found.body
    assert found.body["scope"] == "council"
    assert found.body["min_children"] == 3
    [hot] = found.body["hotspots"]
    assert (hot["label"], hot["children"], hot["rising"]) == ("Bandstand", 3, True)
    force = api.as_(token_for(w.officer)).request(
        "GET", "/api/v1/hotspots", query={"scope": "force"}
    )
    assert force.body["organisation_id"] == w.police.pk
    refused = api.as_(token_for(w.officer)).request(
        "GET", "/api/v1/hotspots", query={"scope": "host"}
    )
    assert refused.status == 422
    home = api.as_(token_for(w.care_staff)).request("GET", "/api/v1/hotspots")
    assert home.status == 403
    assert Place.objects.count() == 1
