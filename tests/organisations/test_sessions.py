"""Sessions end after 30 minutes without a request; each request restarts the clock. And
however active, 12 hours after signing in (HOMEWARD_SESSION_MAX_AGE)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from pytest_django import Settings

from homeward.core import clock
from homeward.core.middleware import SIGNED_IN_AT_SESSION_KEY
from homeward.organisations.models import Organisation, Role
from tests import factories

pytestmark = pytest.mark.django_db


def signed_in(council: Organisation) -> Client:
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


def test_settings_end_an_idle_session_after_30_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_an_idle_session_has_expired_and_the_next_request_goes_to_sign_in(
    council: Organisation,
) -> None:
    client = signed_in(council)
    assert client.get("/").status_code == 200
    Session.objects.filter(pk=stored(client).pk).update(
        expire_date=clock.now() - timedelta(seconds=1)
    )
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=/children/"


def test_activity_extends_the_session(council: Organisation) -> None:
    client = signed_in(council)
    session = stored(client)
    # As if 25 of the 30 minutes have gone by without a request.
    nearly = clock.now() + timedelta(minutes=5)
    Session.objects.filter(pk=session.pk).update(expire_date=nearly)
    assert client.get("/").status_code == 200
    extended = stored(client).expire_date
    assert extended > nearly + timedelta(minutes=20)
    assert extended <= clock.now() + timedelta(minutes=30, seconds=5)
    assert client.get("/children/").status_code == 200


# --- the absolute lifetime: HOMEWARD_SESSION_MAX_AGE -------------------------------------


def sign_in_time(client: Client, moment: datetime) -> None:
    session = client.session
    session[SIGNED_IN_AT_SESSION_KEY] = moment.timestamp()
    session.save()


def test_a_session_ends_12_hours_after_sign_in_however_active(council: Organisation) -> None:
    assert settings.HOMEWARD_SESSION_MAX_AGE == 12 * 60 * 60
    client = signed_in(council)
    sign_in_time(client, clock.now() - timedelta(hours=12, seconds=1))
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=/children/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You have been signed out because you signed in more than 12 hours ago" in page


def test_activity_keeps_a_session_to_just_under_12_hours(council: Organisation) -> None:
    client = signed_in(council)
    sign_in_time(client, clock.now() - timedelta(hours=11, minutes=59))
    assert client.get("/children/").status_code == 200


def test_the_lifetime_runs_from_the_password_not_from_each_request(council: Organisation) -> None:
    client = signed_in(council)
    started = client.session[SIGNED_IN_AT_SESSION_KEY]
    assert abs(started - clock.now().timestamp()) < 60
    client.get("/")
    assert client.session[SIGNED_IN_AT_SESSION_KEY] == started


def test_a_session_with_no_sign_in_time_is_ended(council: Organisation) -> None:
    client = signed_in(council)
    session = client.session
    del session[SIGNED_IN_AT_SESSION_KEY]
    session.save()
    assert client.get("/children/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_lifetime_comes_from_settings(council: Organisation, settings: Settings) -> None:
    settings.HOMEWARD_SESSION_MAX_AGE = 60 * 60
    client = signed_in(council)
    sign_in_time(client, clock.now() - timedelta(minutes=61))
    response = client.get("/", follow=True)
    assert "signed in more than 1 hour ago" in response.content.decode()


@pytest.mark.parametrize("value", ["12h", "3.5", "-60", "0", "59", "4e4", "٣٦٠٠"])
def test_the_setting_is_a_whole_number_of_seconds_or_the_service_does_not_start(value: str) -> None:
    env = {**os.environ, "HOMEWARD_SESSION_MAX_AGE": value}
    result = subprocess.run(
        [sys.executable, "-c", "import homeward.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "HOMEWARD_SESSION_MAX_AGE must be a whole number, at least 60" in result.stderr


def test_the_setting_reads_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    from homeward.settings import env_int

    monkeypatch.setenv("HOMEWARD_SESSION_MAX_AGE", " 28800 ")
    assert env_int("HOMEWARD_SESSION_MAX_AGE", 43200, minimum=60) == 28800
    monkeypatch.delenv("HOMEWARD_SESSION_MAX_AGE")
    assert env_int("HOMEWARD_SESSION_MAX_AGE", 43200, minimum=60) == 43200
