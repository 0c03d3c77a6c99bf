"""Staff who report a child missing from their home land on the home's protocol, which the
report began; a home with no protocol written lands on the episode, as before."""

from __future__ import annotations

import pytest
from django.test import Client

from homeward.episodes.models import Episode
from tests.actors import user_of
from tests.episodes.test_views import report_data
from tests.safeguarding.factories_protocol import a_home

pytestmark = pytest.mark.django_db


def staff_report(protocol: bool) -> tuple[str, Episode]:
    world = a_home(protocol=protocol)
    client = Client()
    client.force_login(user_of(world.staff))
    response = client.post(
        f"/children/{world.child.pk}/report-missing",
        report_data(missing_from="placement", reporter_type="home_staff"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"], Episode.objects.get(child=world.child)


def test_staff_land_on_the_protocol_the_report_began() -> None:
    location, episode = staff_report(protocol=True)
    assert location == f"/episodes/{episode.reference}/protocol"


def test_without_a_protocol_staff_land_on_the_episode() -> None:
    location, episode = staff_report(protocol=False)
    assert location == f"/episodes/{episode.reference}/"
