"""The profile reaches the police force the moment the child is reported missing: a
disclosure recorded for the episode's force, the profile in the API's answer to the
report, and beside the report form. Part 2 (with whom last seen) is taken with the report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.models import Episode
from homeward.events.models import DomainEvent
from homeward.organisations.models import Organisation
from homeward.safeguarding.events import ProfileGivenToPolice
from homeward.safeguarding.models import ProfileDisclosure
from homeward.safeguarding.services import profiles
from tests import factories
from tests.actors import user_of
from tests.apiclient import ApiClient
from tests.episodes.test_api import EPISODES, a_report
from tests.safeguarding.factories_profile import add_photo, photo_store, profile_data, save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("photo_store")]
__all__ = ["photo_store"]


@pytest.fixture
def in_area(child: Child, council: Organisation) -> Child:
    """Placed in its council's own area: the area's force sees the child."""
    factories.looked_after(child)
    factories.place(child, host=council)
    return child


def test_a_report_gives_the_profile_to_the_force(
    in_area: Child, social_worker: Actor, police: Organisation, as_police: ApiClient
) -> None:
    profile = save(social_worker, in_area, hair="Bleached, shoulder length")
    photo = add_photo(social_worker, in_area)
    reported = as_police.post(EPISODES, a_report(in_area, last_seen_with="Two older boys"))
    assert reported.status == 201
    given = reported.body["missing_profile"]
    assert given["hair"] == "Bleached, shoulder length"
    assert given["associates"][0]["name"] == "Corvin Ashdale"
    assert given["version"] == 1
    assert given["photo_url"] == f"/api/v1/children/{in_area.pk}/profile/photos/{photo.pk}"
    assert reported.body["last_seen_with"] == "Two older boys"
    picture = as_police.client.get(
        given["photo_url"], headers={"Authorization": f"Bearer {as_police.token}"}
    )
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/jpeg"

    episode = Episode.objects.get(reference=reported.body["reference"])
    disclosure = ProfileDisclosure.objects.get()
    assert (disclosure.profile, disclosure.episode, disclosure.organisation) == (
        profile,
        episode,
        police,
    )
    assert disclosure.profile_version == 1
    event = DomainEvent.objects.get(name=ProfileGivenToPolice.name)
    assert event.payload == {"episode": episode.reference, "force": police.pk}
    assert AuditEvent.objects.filter(
        action="disclose", object_type="missing_profile", child_id=in_area.pk
    ).exists()


def test_without_a_profile_the_answer_says_none(child: Child, as_social_worker: ApiClient) -> None:
    reported = as_social_worker.post(EPISODES, a_report(child))
    assert reported.status == 201
    assert reported.body["missing_profile"] is None
    assert not ProfileDisclosure.objects.exists()


def test_a_further_report_gives_a_changed_profile_again(child: Child, social_worker: Actor) -> None:
    save(social_worker, child)
    episode = factories.report(social_worker, child)
    factories.report(social_worker, child)  # the same version: nothing new to give
    assert ProfileDisclosure.objects.get().profile_version == 1
    assert DomainEvent.objects.filter(name=ProfileGivenToPolice.name).count() == 1
    profiles.save_profile(social_worker, child.pk, profile_data(eyes="Hazel"), 1)
    factories.report(social_worker, child)
    disclosure = ProfileDisclosure.objects.get()
    assert (disclosure.episode, disclosure.profile_version) == (episode, 2)
    assert DomainEvent.objects.filter(name=ProfileGivenToPolice.name).count() == 2


def test_the_report_page_shows_the_profile_with_its_photograph(
    in_area: Child, social_worker: Actor, police_officer: Actor
) -> None:
    save(social_worker, in_area, hair="Bleached, shoulder length")
    photo = add_photo(social_worker, in_area)
    client = Client()
    client.force_login(user_of(police_officer))
    page = client.get(f"/children/{in_area.pk}/report-missing").content.decode()
    assert "Missing profile" in page
    assert "Bleached, shoulder length" in page
    assert f"/children/{in_area.pk}/profile/photo/{photo.pk}" in page
    assert "Missing profile part 2" in page
    assert "Who they were with when last seen" in page


def test_with_whom_last_seen_is_kept_and_shown(child: Child, social_worker: Actor) -> None:
    client = Client()
    client.force_login(user_of(social_worker))
    seen = clock.now() - timedelta(hours=2)
    response = client.post(
        f"/children/{child.pk}/report-missing",
        {
            "classification": "M",
            "last_seen_at_day": seen.day,
            "last_seen_at_month": seen.month,
            "last_seen_at_year": seen.year,
            "last_seen_at_hour": "00",
            "last_seen_at_minute": "05",
            "last_seen_location": "The bus station",
            "last_seen_with": "A man in a grey van",
            "missing_from": "home",
            "reporter_type": "parent",
            "still_missing": "yes",
            "risk_grade": "medium",
            "risk_rationale": "Phone off since the evening",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    episode = Episode.objects.get(child=child)
    assert episode.last_seen_with == "A man in a grey van"
    detail = client.get(f"/episodes/{episode.reference}/").content.decode()
    assert "A man in a grey van" in detail
