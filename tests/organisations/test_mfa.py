"""Two-factor sign-in: the code after the password, setting up an app, and the middleware
that keeps every page from a session that still owes its code."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.organisations import services
from homeward.organisations.models import ApiToken, Organisation, Role, User
from tests import factories
from tests.organisations.totp import code_for, code_from_secret, give_app
from tests.responses import ClientResponse

pytestmark = pytest.mark.django_db

CODE_PAGE = "/sign-in/code"
SET_UP_PAGE = "/account/two-factor/set-up"


def text(response: ClientResponse) -> str:
    return response.content.decode()


def sign_in(client: Client, user: User, next_url: str = "") -> ClientResponse:
    data = {"username": user.username, "password": factories.TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/sign-in", data)


@pytest.fixture
def worker(council: Organisation) -> User:
    return factories.member(Role.SOCIAL_WORKER, council, username="sam.worker")


@pytest.fixture
def enforced(settings: Settings) -> Settings:
    settings.HOMEWARD_MFA_REQUIRED = True
    return settings


# --- not enforced (the default outside production) ----------------------------------------


def test_without_an_app_the_password_alone_signs_in_when_not_enforced(
    client: Client, worker: User
) -> None:
    response = sign_in(client, worker)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action="sign_in")
    assert event.user == worker
    assert event.details == {"two_factor": False}


def test_with_an_app_the_code_is_asked_for_even_when_not_enforced(
    client: Client, worker: User
) -> None:
    device = give_app(worker)
    response = sign_in(client, worker, next_url="/children/")
    assert response.status_code == 302
    assert response["Location"] == f"{CODE_PAGE}?next=/children/"
    # Nothing else is reachable until the code is given.
    blocked = client.get("/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(CODE_PAGE)
    assert not AuditEvent.objects.filter(action="sign_in").exists()

    page = client.get(response["Location"])
    body = text(page)
    assert page.status_code == 200
    assert "Enter the code from your authenticator app" in body
    assert 'autocomplete="one-time-code"' in body
    assert 'inputmode="numeric"' in body

    done = client.post(CODE_PAGE, {"code": code_for(device), "next": "/children/"})
    assert done.status_code == 302
    assert done["Location"] == "/children/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action="sign_in")
    assert event.user == worker
    assert event.details == {"two_factor": True}


def test_a_wrong_code_is_an_error_and_is_audited(client: Client, worker: User) -> None:
    device = give_app(worker)
    sign_in(client, worker)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(CODE_PAGE, {"code": wrong})
    body = text(response)
    assert response.status_code == 200
    assert "<title>Error: Enter the code from your authenticator app - Homeward</title>" in body
    assert '<a href="#id_code">The code is not right' in body
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(action="sign_in_failed")
    assert event.user == worker
    assert event.details["reason"] == "wrong_code"
    assert wrong not in str(event.details)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "The code must be 6 digits"),
        ("abcdef", "The code must be 6 digits"),
        ("1" * 30, "The code must be 6 digits"),
    ],
)
def test_the_code_must_be_6_digits(client: Client, worker: User, typed: str, message: str) -> None:
    give_app(worker)
    sign_in(client, worker)
    body = text(client.post(CODE_PAGE, {"code": typed}))
    assert f'<a href="#id_code">{message}</a>' in body


def test_spaces_in_the_code_are_forgiven(client: Client, worker: User) -> None:
    device = give_app(worker)
    sign_in(client, worker)
    code = code_for(device)
    response = client.post(CODE_PAGE, {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_code_is_accepted_once_only(client: Client, worker: User) -> None:
    device = give_app(worker)
    sign_in(client, worker)
    code = code_for(device)
    assert client.post(CODE_PAGE, {"code": code}).status_code == 302
    client.post("/sign-out")
    other = Client()
    sign_in(other, worker)
    response = other.post(CODE_PAGE, {"code": code})
    assert response.status_code == 200  # replayed: refused
    assert other.get("/").status_code == 302


def test_next_cannot_send_anyone_to_another_site(client: Client, worker: User) -> None:
    device = give_app(worker)
    sign_in(client, worker)
    response = client.post(CODE_PAGE, {"code": code_for(device), "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_code_page_needs_the_password_first(client: Client) -> None:
    response = client.get(CODE_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in?next=")


def test_users_may_set_up_an_app_when_not_enforced(client: Client, worker: User) -> None:
    client.force_login(worker)
    account = text(client.get("/account/"))
    assert "Not set up" in account
    assert f'href="{SET_UP_PAGE}"' in account
    page = client.get(SET_UP_PAGE)
    found = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', text(page))
    assert found is not None
    secret = found.group(1)
    response = client.post(SET_UP_PAGE, {"code": code_from_secret(secret)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=worker).confirmed
    assert AuditEvent.objects.filter(action="mfa_set_up", user=worker).exists()
    # From now on the code is asked for at every sign-in.
    client.post("/sign-out")
    assert sign_in(client, worker)["Location"] == CODE_PAGE


# --- setting up an authenticator app ------------------------------------------------------


def test_set_up_shows_the_secret_in_groups_of_4_and_a_qr_code(
    client: Client, worker: User, enforced: Settings
) -> None:
    response = sign_in(client, worker, next_url="/children/")
    assert response["Location"] == f"{SET_UP_PAGE}?next=/children/"
    page = client.get(response["Location"])
    body = text(page)
    assert page.status_code == 200
    assert "<title>Set up two-factor authentication - Homeward</title>" in body
    found = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body)
    assert found is not None
    secret = found.group(1)
    groups = secret.split(" ")
    assert len(groups) == 8
    assert all(len(g) == 4 for g in groups)
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="[^"]+"', body)
    assert " style=" not in body
    assert "<style" not in body
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body) == []
    # The same secret on every visit until it is confirmed.
    assert secret in text(client.get(SET_UP_PAGE))
    assert TOTPDevice.objects.filter(user=worker, confirmed=False).count() == 1


def test_set_up_is_confirmed_with_a_code_and_finishes_signing_in(
    client: Client, worker: User, enforced: Settings
) -> None:
    sign_in(client, worker, next_url="/children/")
    body = text(client.get(f"{SET_UP_PAGE}?next=/children/"))
    found = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body)
    assert found is not None
    secret = found.group(1)

    wrong = client.post(SET_UP_PAGE, {"code": "000000", "next": "/children/"})
    if code_from_secret(secret) != "000000":
        assert wrong.status_code == 200
        assert "The code is not right" in text(wrong)
        assert not TOTPDevice.objects.filter(user=worker, confirmed=True).exists()
        # A wrong code makes the next wait a moment (django-otp's throttling).
        too_soon = client.post(SET_UP_PAGE, {"code": code_from_secret(secret)})
        assert "wait 30 seconds" in text(too_soon)
        TOTPDevice.objects.filter(user=worker).update(throttling_failure_count=0)

    done = client.post(
        SET_UP_PAGE, {"code": code_from_secret(secret, steps_ahead=1), "next": "/children/"}
    )
    assert done.status_code == 302
    assert done["Location"] == "/children/"
    assert TOTPDevice.objects.filter(user=worker, confirmed=True).count() == 1
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="sign_in", details={"two_factor": True}).exists()

    # Signing in again asks for a code from the app just set up.
    client.post("/sign-out")
    assert sign_in(client, worker)["Location"] == CODE_PAGE
    device = TOTPDevice.objects.get(user=worker)
    assert client.post(CODE_PAGE, {"code": code_for(device, steps_ahead=2)}).status_code == 302
    assert client.get("/").status_code == 200


def test_set_up_cannot_replace_a_confirmed_app_to_get_round_the_code(
    client: Client, worker: User, enforced: Settings
) -> None:
    give_app(worker)
    sign_in(client, worker)
    response = client.get(SET_UP_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(CODE_PAGE)
    posted = client.post(SET_UP_PAGE, {"code": "123456"})
    assert posted.status_code == 302
    assert posted["Location"].startswith(CODE_PAGE)
    assert TOTPDevice.objects.filter(user=worker).count() == 1


# --- the middleware, with two-factor enforced ---------------------------------------------


@pytest.mark.parametrize("path", ["/", "/children/", "/account/", "/account/password"])
def test_enforced_every_page_needs_a_verified_session(
    client: Client, worker: User, enforced: Settings, path: str
) -> None:
    client.force_login(worker)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{SET_UP_PAGE}?next={path}"


def test_enforced_a_user_with_an_app_is_sent_to_the_code_page(
    client: Client, worker: User, enforced: Settings
) -> None:
    give_app(worker)
    client.force_login(worker)
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == f"{CODE_PAGE}?next=/children/"


def test_enforced_a_post_is_refused_before_the_view_runs(
    client: Client, worker: User, child: Child, enforced: Settings
) -> None:
    client.force_login(worker)
    response = client.post("/children/", {"q": child.last_name})
    assert response.status_code == 302
    assert response["Location"] == SET_UP_PAGE
    assert child.last_name not in text(response)


def test_enforced_the_exempt_pages_still_answer(
    client: Client, worker: User, enforced: Settings
) -> None:
    client.force_login(worker)
    assert client.get("/healthz").status_code == 200
    assert client.get(SET_UP_PAGE).status_code == 200
    assert client.get(CODE_PAGE).status_code == 302  # no app yet: on to set one up
    # The API uses bearer tokens, not the session: a 401 problem, not a redirect.
    api = client.get("/api/v1/children/1")
    assert api.status_code == 401
    assert client.post("/sign-out").status_code == 302


def test_enforced_the_api_works_with_a_token_alone(
    client: Client, worker: User, child: Child, enforced: Settings
) -> None:
    # No code with each request: the token's user has an app (tests/core/test_api_auth.py).
    give_app(worker)
    token = factories.api_token(worker)
    response = client.get(
        f"/api/v1/children/{child.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=worker).count() == 1


def test_enforced_signed_out_visitors_still_go_to_sign_in(
    client: Client, enforced: Settings, db: None
) -> None:
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in?next=")


def test_resetting_an_app_ends_its_verified_sessions(
    client: Client, council: Organisation, worker: User, enforced: Settings
) -> None:
    device = give_app(worker)
    sign_in(client, worker)
    client.post(CODE_PAGE, {"code": code_for(device)})
    assert client.get("/").status_code == 200

    admin = factories.actor(Role.ORG_ADMIN, council)
    services.reset_mfa(admin, worker.pk)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(SET_UP_PAGE)
