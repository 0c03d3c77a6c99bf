"""A request that changes nothing in the session does not write it (homeward.core.sessions),
while activity still restarts the inactivity clock once it is over a minute old."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from homeward.core import clock
from homeward.organisations.models import Organisation, Role
from tests import factories

pytestmark = pytest.mark.django_db


def session_writes(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_a_page_view_does_not_write_the_session_until_its_clock_is_a_minute_old(
    council: Organisation,
) -> None:
    client = Client()
    client.force_login(factories.member(Role.SOCIAL_WORKER, council))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get("/")
    assert session_writes(client, "/children/") == []
    # As if the clock last restarted two minutes ago: this request restarts it.
    two_minutes_ago = clock.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 120)
    Session.objects.filter(pk=key).update(expire_date=two_minutes_ago)
    assert len(session_writes(client, "/children/")) == 1
    restarted = Session.objects.get(pk=key).expire_date
    assert restarted > clock.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 10)
    assert session_writes(client, "/") == []


def test_a_session_signed_in_through_djangos_own_backend_stays_signed_in(
    council: Organisation,
) -> None:
    """Sessions from before homeward.organisations.backends took over still sign their user
    in, and the user is read with their membership in one query."""
    user = factories.member(Role.SOCIAL_WORKER, council)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == user.pk
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/children/").status_code == 200
    reads_of_members = [
        q["sql"] for q in queries.captured_queries if "organisations_membership" in q["sql"]
    ]
    assert len(reads_of_members) == 1
    assert "organisations_user" in reads_of_members[0]
