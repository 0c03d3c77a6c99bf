"""The demo's places: about thirty, inside the invented box, and links from its episodes
that make at least three hotspots for the main council, one of them rising, and one in
its host area."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from homeward.organisations.models import Organisation
from homeward.safeguarding.models import Place, PlaceLink
from homeward.safeguarding.services import hotspots
from homeward.seed import demo
from homeward.seed.places import BOX

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=MD5),
        transaction.atomic(),
    ):
        demo.load(now=NOW)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def period() -> dict[str, datetime]:
    return {"since": NOW - hotspots.DEFAULT_PERIOD, "until": NOW}


def test_the_places_lie_in_the_box(db: None, loaded: None) -> None:
    found = list(Place.objects.all())
    assert 25 <= len(found) <= 35
    (south, west), (north, east) = BOX
    for place in found:
        assert place.latitude is not None
        assert place.longitude is not None
        assert south <= place.latitude <= north
        assert west <= place.longitude <= east
        assert place.postcode.startswith("Q")
    # Every link is of a returned episode and its child, at the episode's own times.
    for link in PlaceLink.objects.select_related("episode")[:200]:
        assert link.episode is not None
        assert link.child_id == link.episode.child_id
        assert link.episode.last_seen_at <= link.occurred_at


def test_the_main_council_has_hotspots_one_rising_and_one_in_its_host_area(
    db: None, loaded: None, period: dict[str, datetime]
) -> None:
    council = Organisation.objects.get(name="Marlhaven City Council")
    mine = hotspots.for_council(council, **period)
    assert len(mine) >= 3, [(h.label, h.children) for h in mine]
    assert hotspots.rising(council, **period), [
        (h.label, h.children, h.previous_children) for h in mine
    ]
    host = hotspots.for_host_area(council, **period)
    assert any(h.label == "Brindle bus station" for h in host), [
        (h.label, h.children) for h in host
    ]
    assert council.police_force is not None
    assert len(hotspots.for_force(council.police_force, **period)) >= 4
