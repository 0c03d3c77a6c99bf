"""The places pages: record a place from an episode with "did you mean", choose the one
already recorded or say it is new, read the place (links through visible children only),
take a link away, and the hotspots page's table and map."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from homeward.organisations.models import Role, User
from homeward.safeguarding.models import Place, PlaceLink, PlaceRole
from tests import factories
from tests.safeguarding.factories_places import a_place, days_ago, link
from tests.safeguarding.factories_plan import interview_provider, returned, world

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Response) -> str:
    return html.unescape(response.content.decode())


def test_record_from_an_episode_offers_the_place_already_recorded_and_links_it() -> None:
    w = world()
    episode = returned(w.officer, w.child)
    existing = a_place("Bus station", w.council, "AB1 3GH")
    assert w.officer.user is not None
    client = signed_in(w.officer.user)
    page = text(client.get(f"/places/new?episode={episode.reference}"))
    assert "How is this place part of the episode?" in page
    typed = {
        "episode": episode.reference,
        "role": "found",
        "name": "Bus stn",
        "kind": "transport",
        "postcode": "ab13gh",
        "council": "",
    }
    asked = client.post("/places/new", typed)
    assert asked.status_code == 200
    body = text(asked)
    assert "Did you mean one of these places?" in body
    assert "Bus station, AB1 3GH" in body
    assert "(same postcode)" in body
    done = client.post("/places/new", {**typed, "choice": str(existing.pk)})
    assert done.status_code == 302
    assert done["Location"] == f"/episodes/{episode.reference}/#places"
    assert Place.objects.count() == 1
    found = PlaceLink.objects.get()
    assert (found.place, found.role, found.episode) == (existing, "found", episode)
    page = text(client.get(f"/episodes/{episode.reference}/"))
    assert "Bus station" in page
    assert "Add a place to this episode" in page


def test_saying_it_is_new_records_a_second_place() -> None:
    w = world()
    a_place("Bus station", w.council, "AB1 3GH")
    client = signed_in(w.worker)
    typed = {"name": "Bus shelter", "kind": "transport", "postcode": "AB1 3GH", "council": ""}
    assert "Did you mean" in text(client.post("/places/new", typed))
    done = client.post("/places/new", {**typed, "choice": "new"})
    assert done.status_code == 302
    assert Place.objects.count() == 2


def test_errors_name_the_field() -> None:
    w = world()
    body = text(
        signed_in(w.worker).post("/places/new", {"name": "", "postcode": "nope", "latitude": "91"})
    )
    assert "Enter the place's name or a description of it" in body
    assert "Select what kind of place it is" in body


def test_a_place_page_shows_only_visible_children_and_a_link_is_removed() -> None:
    w = world()
    other = world()
    place = a_place("Bandstand", w.council, "AB1 2CD")
    mine = link(place, w.child, PlaceRole.FOUND, days_ago(3))
    link(place, other.child, PlaceRole.FOUND, days_ago(2))
    client = signed_in(w.worker)
    body = text(client.get(f"/places/{place.pk}"))
    assert w.child.full_name in body
    assert other.child.full_name not in body
    assert "1 other link to children you may not see is not shown" in body
    assert "Are you sure" not in text(client.get(f"/place-links/{mine.pk}/remove"))
    gone = client.post(f"/place-links/{mine.pk}/remove")
    assert gone.status_code == 302
    mine.refresh_from_db()
    assert mine.removed_at is not None
    assert signed_in(other.worker).get(f"/place-links/{mine.pk}/remove").status_code == 404


def test_the_hotspots_page_has_a_table_and_a_map() -> None:
    w = world()
    place = a_place("Bandstand", w.council, "AB1 2CD", 52.01, -1.01)
    bare = a_place("Flat, Mill Road", w.council, "CD4 5JK")
    for _ in range(3):
        child = factories.ChildFactory(responsible_council=w.council)
        link(place, child, PlaceRole.FOUND, days_ago(5))
        link(bare, child, PlaceRole.STAYED, days_ago(6))
    coordinator = factories.member(Role.COUNCIL_MISSING_COORDINATOR, w.council)
    body = text(signed_in(coordinator).get("/hotspots"))
    table = re.search(r'<table class="govuk-table".*?</table>', body, re.S)
    assert table is not None
    assert "Bandstand" in table[0]
    assert "Flat, Mill Road" in table[0]
    assert "Not on the map: no coordinates" in table[0]
    assert "<svg" in body
    assert 'role="img"' in body
    assert "<title>1. Bandstand: 3 children, 3 episodes</title>" in body
    assert "1 without coordinates is in the table only" in body
    assert signed_in(factories.member(Role.CARE_STAFF, w.home)).get("/hotspots").status_code == 403
    force = text(signed_in(w.officer.user).get("/hotspots?scope=host&days=30"))  # type: ignore[arg-type]
    assert "The force's area" in force


def test_where_the_child_stayed_is_recorded_from_the_interview() -> None:
    w = world()
    episode = returned(w.officer, w.child)
    interview = episode.return_interviews.get()
    client = signed_in(w.coordinator)
    page = text(client.get(f"/places/new?interview={interview.pk}"))
    assert "where they stayed" in page
    sent = {
        "interview": str(interview.pk),
        "name": "Short-let flat, Mill Road",
        "kind": "short_let",
    }
    done = client.post("/places/new", sent)
    assert done.status_code == 302
    assert done["Location"] == f"/aftercare/interviews/{interview.pk}/"
    stayed = PlaceLink.objects.get()
    assert (stayed.role, stayed.interview, stayed.episode) == ("stayed", interview, episode)
    # A social worker holds no interviews: the form is not theirs to open.
    assert signed_in(w.worker).get(f"/places/new?interview={interview.pk}").status_code == 404


def test_the_hotspots_link_is_offered_only_to_those_who_may_open_it() -> None:
    """A return-interview worker may read places but not hotspots: their places pages do
    not offer a link that would answer "you cannot do this"."""
    w = world()
    place = a_place("Bus station", w.council, "AB1 3GH")
    rhi = interview_provider(w, returned(w.officer, w.child))
    assert rhi.user is not None
    client = signed_in(rhi.user)
    for url in ("/places", f"/places/{place.pk}"):
        response = client.get(url)
        assert response.status_code == 200
        assert 'href="/hotspots"' not in text(response)
    assert client.get("/hotspots").status_code == 403
    coordinator = signed_in(w.coordinator)
    for url in ("/places", f"/places/{place.pk}"):
        assert 'href="/hotspots"' in text(coordinator.get(url))
    assert coordinator.get("/hotspots").status_code == 200
