"""Sessions end after 30 minutes without a request; each request restarts the clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from homeward.organisations.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def signed_in(council) -> Client:
    client = Client()
    response = client.post(
        "/sign-in",
        {
            "username": factories.member(Role.SOCIAL_WORKER, council).username,
            "password": factories.TEST_PASSWORD,
        },
    )
    assert response.status_code == 302
    return client


def stored(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_settings_end_an_idle_session_after_30_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_an_idle_session_has_expired_and_the_next_request_goes_to_sign_in(council):
    client = signed_in(council)
    assert client.get("/").status_code == 200
    Session.objects.filter(pk=stored(client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=/children/"


def test_activity_extends_the_session(council):
    client = signed_in(council)
    session = stored(client)
    # As if 25 of the 30 minutes have gone by without a request.
    nearly = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(pk=session.pk).update(expire_date=nearly)
    assert client.get("/").status_code == 200
    extended = stored(client).expire_date
    assert extended > nearly + timedelta(minutes=20)
    assert extended <= timezone.now() + timedelta(minutes=30, seconds=5)
    assert client.get("/children/").status_code == 200
