"""Recording places, "did you mean", linking them into a child's story and reading them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homeward.audit.models import AuditEvent
from homeward.core import clock
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.events.models import DomainEvent
from homeward.organisations.models import Role
from homeward.safeguarding.models import PlaceLink, PlaceRole
from homeward.safeguarding.services import place_links, places
from homeward.safeguarding.services.place_suggest import metres_between, plain
from homeward.safeguarding.services.postcodes import normalise, sector
from tests import factories
from tests.safeguarding.factories_places import a_place
from tests.safeguarding.factories_plan import returned, world

pytestmark = pytest.mark.django_db


def test_postcodes_are_written_one_way() -> None:
    assert normalise(" ab1  2cd ") == "AB1 2CD"
    assert normalise("sw1a1aa") == "SW1A 1AA"
    assert normalise("") == ""
    assert normalise("not a postcode") is None
    assert sector("AB1 2CD") == "AB1 2"
    assert plain("The Bandstand, Riverside Rd.") == "bandstand riverside road"


def test_two_hundred_metres_is_about_point_zero_zero_one_eight_of_latitude() -> None:
    # 0.0018 degrees of latitude x 111.2 km per degree = 200 metres.
    assert metres_between(52.0, -1.0, 52.0018, -1.0) == pytest.approx(200, abs=1)


def test_a_place_is_recorded_with_its_postcode_written_one_way_and_evented() -> None:
    w = world()
    place = places.record_place(
        w.social_worker,
        places.PlaceInput(
            name="Bandstand, Riverside Park",
            kind="park",
            postcode="ab12cd",
            latitude=52.01,
            longitude=-1.01,
        ),
    )
    assert (place.postcode, place.council, place.created_by) == ("AB1 2CD", w.council, w.worker)
    assert DomainEvent.objects.filter(name="safeguarding.place_recorded").count() == 1
    assert AuditEvent.objects.filter(action="record_place", object_id=str(place.pk)).exists()


def test_what_a_place_must_say() -> None:
    w = world()
    factories.CouncilFactory(police_force=w.police)
    with pytest.raises(ValidationFailed) as problem:
        places.record_place(
            w.officer,  # a force covers several councils: it must say which
            places.PlaceInput(name=" ", kind="castle", postcode="XYZ", latitude=60.0),
        )
    assert problem.value.errors == {
        "name": ["Enter the place's name or a description of it"],
        "kind": ["Select what kind of place it is"],
        "postcode": ["Enter a real postcode, like AB1 2CD, or leave it blank"],
        "longitude": ["Enter both the latitude and the longitude, or neither"],
        "council": ["Select the council whose area the place is in"],
    }
    with pytest.raises(ValidationFailed) as problem:
        places.record_place(
            w.social_worker, places.PlaceInput(name="x", latitude=60.0, longitude=3.0)
        )
    assert set(problem.value.errors) == {"latitude", "longitude"}


def test_did_you_mean_offers_same_postcode_sector_nearby_and_similar_names() -> None:
    w = world()
    same = a_place("Chip shop", w.council, "AB1 2CD")
    area = a_place("Library", w.council, "AB1 2XY")
    near = a_place("Corner of Mill Lane", w.council, "", 52.0010, -1.0)  # ~111 m north
    far = a_place("Bus shelter", w.council, "", 52.0100, -1.0)  # ~1.1 km
    named = a_place("The Bandstand, Riverside Park", w.council, "ZZ9 9ZZ")
    found = places.suggest(w.social_worker, "Bandstand Riverside Pk", "ab1 2cd", 52.0, -1.0)
    assert [(s.place, s.reason) for s in found] == [
        (same, "Same postcode"),
        (near, "About 110 metres away"),
        (named, "A similar name"),
        (area, "Same postcode sector (AB1 2)"),
    ]
    assert far not in [s.place for s in found]
    with pytest.raises(places.PlaceMayExist) as problem:
        places.record_place(w.social_worker, places.PlaceInput(name="Chippy", postcode="AB1 2CD"))
    assert [s.place for s in problem.value.suggestions] == [same, area]
    new = places.record_place(
        w.social_worker, places.PlaceInput(name="Chippy", postcode="AB1 2CD"), confirmed_new=True
    )
    assert new.pk


def test_an_episode_s_places_are_linked_and_unlinked() -> None:
    w = world()
    episode = returned(w.officer, w.child)
    place = a_place("Bus station", w.council, "AB1 3GH")
    found = place_links.link_to_episode(w.officer, place.pk, episode.reference, PlaceRole.FOUND)
    assert found.occurred_at == episode.returned_at
    seen = place_links.link_to_episode(w.officer, place.pk, episode.reference, "last_seen")
    assert seen.occurred_at == episode.last_seen_at
    with pytest.raises(ValidationFailed) as problem:
        place_links.link_to_episode(w.officer, place.pk, episode.reference, PlaceRole.FOUND)
    assert problem.value.errors == {
        "role": ["This place is already linked to this episode as found"]
    }
    with pytest.raises(ValidationFailed):
        place_links.link_to_episode(
            w.officer,
            place.pk,
            episode.reference,
            PlaceRole.STAYED,
            occurred_at=clock.now() + timedelta(days=1),
        )
    assert place_links.links_of_episode(episode) == [seen, found]
    place_links.unlink(w.social_worker, found.pk)
    assert place_links.links_of_episode(episode) == [seen]
    # Once taken away it can be linked again.
    place_links.link_to_episode(w.officer, place.pk, episode.reference, PlaceRole.FOUND)
    names = list(
        DomainEvent.objects.filter(name__startswith="safeguarding.place_").values_list(
            "name", flat=True
        )
    )
    assert sorted(names) == ["safeguarding.place_linked"] * 3 + ["safeguarding.place_unlinked"]


def test_an_interview_and_a_profile_link_a_place() -> None:
    w = world()
    episode = returned(w.officer, w.child)
    interview = episode.return_interviews.get()
    place = a_place("Flat, Mill Road", w.council, "CD4 5JK")
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, w.council)
    stayed = place_links.link_to_interview(coordinator, place.pk, interview.pk)
    assert (stayed.role, stayed.interview, stayed.episode) == ("stayed", interview, episode)
    goes = place_links.link_to_child(w.care_staff, place.pk, w.child.pk, notes="Goes most Fridays")
    assert goes.role == PlaceRole.FREQUENTED
    assert place_links.links_of_child(w.child) == [goes, stayed]
    # A social worker does not hold interviews: they cannot link one.
    with pytest.raises(NotFound):
        place_links.link_to_interview(w.social_worker, place.pk, interview.pk)


def test_links_are_shown_only_through_children_the_viewer_sees() -> None:
    w = world()
    place = a_place("Bandstand", w.council, "AB1 2CD")
    mine = returned(w.officer, w.child)
    other = world()  # another council's child, another force
    theirs = returned(other.officer, other.child)
    place_links.link_to_episode(w.officer, place.pk, mine.reference, PlaceRole.FOUND)
    place_links.link_to_episode(other.officer, place.pk, theirs.reference, PlaceRole.FOUND)
    read = places.read_place(w.social_worker, place.pk)
    assert [link.child for link in read.links] == [w.child]
    assert read.hidden_links == 1
    assert AuditEvent.objects.filter(action="view", object_type="place").count() == 1
    assert AuditEvent.objects.filter(action="list_result", child_id=w.child.pk).exists()
    assert not AuditEvent.objects.filter(child_id=other.child.pk, user=w.worker).exists()
    # The other council's social worker cannot take away a link it cannot see.
    with pytest.raises(NotFound):
        place_links.unlink(other.social_worker, read.links[0].pk)


def test_who_may_record_and_see_places() -> None:
    w = world()
    board = factories.actor(Role.BOARD_MEMBER, w.council)
    with pytest.raises(AccessDenied):
        places.record_place(board, places.PlaceInput(name="Somewhere"))
    with pytest.raises(NotFound):
        places.read_place(board, a_place("Somewhere", w.council).pk)
    with pytest.raises(NotFound):
        places.read_place(w.social_worker, "not-a-number")
    assert not PlaceLink.objects.exists()
