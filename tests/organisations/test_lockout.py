"""Locking an account after repeated failed sign-ins (django-axes), by username, and
auditing every sign-in, failed or not, without a password."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from pytest_django import Settings

from homeward.audit.models import AuditEvent
from homeward.core import clock
from homeward.organisations.models import Organisation, Role, SignInAddress, User
from tests import factories
from tests.organisations.totp import code_for, give_app
from tests.responses import ClientResponse

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"
LOCKED_TITLE = "<title>Your account is locked - Homeward</title>"


def text(response: ClientResponse) -> str:
    return response.content.decode()


def attempt(client: Client, username: str, password: str = WRONG, **extra: Any) -> ClientResponse:
    return client.post("/sign-in", {"username": username, "password": password}, **extra)


def without_tokens(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


@pytest.fixture
def officer(police: Organisation) -> User:
    return factories.member(Role.POLICE_OFFICER, police, username="pat.officer")


def test_five_failures_lock_the_account(client: Client, officer: User) -> None:
    for _ in range(4):
        response = attempt(client, officer.username)
        assert response.status_code == 200
        assert "Enter a correct username and password" in text(response)
    fifth = attempt(client, officer.username)
    assert fifth.status_code == 429
    assert LOCKED_TITLE in text(fifth)
    # Now even the right password is refused, and nobody is signed in.
    right = attempt(client, officer.username, factories.TEST_PASSWORD)
    assert right.status_code == 429
    assert LOCKED_TITLE in text(right)
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_the_lockout_page_says_what_to_do_and_not_who(client: Client, officer: User) -> None:
    for _ in range(5):
        response = attempt(client, officer.username)
    assert int(response["Retry-After"]) == 15 * 60
    body = text(response)
    assert "15 minutes" in body
    assert "administrator" in body
    assert officer.username not in body
    assert 'class="govuk-header' in body
    assert 'id="main-content"' in body


def test_an_unknown_username_locks_the_same_way(client: Client, officer: User) -> None:
    for _ in range(5):
        known = attempt(Client(), officer.username)
    for _ in range(5):
        unknown = attempt(client, "nobody.at.all")
    assert unknown.status_code == known.status_code == 429
    assert without_tokens(text(unknown)) == without_tokens(text(known))


def test_the_same_message_for_a_wrong_username_or_password(client: Client, officer: User) -> None:
    wrong_password = text(attempt(Client(), officer.username))
    wrong_username = text(attempt(Client(), "no.such.person"))
    message = '<a href="#id_username">Enter a correct username and password</a>'
    assert message in wrong_password
    assert message in wrong_username


def test_the_lock_is_by_username_so_colleagues_behind_one_address_can_sign_in(
    police: Organisation, officer: User
) -> None:
    colleague = factories.member(Role.POLICE_OFFICER, police, username="lee.colleague")
    shared = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(5):
        attempt(Client(), officer.username, **shared)
    client = Client()
    response = attempt(client, colleague.username, factories.TEST_PASSWORD, **shared)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_changing_browser_does_not_escape_the_lock(officer: User) -> None:
    for n in range(5):
        last = attempt(Client(), officer.username, HTTP_USER_AGENT=f"agent {n}")
    assert last.status_code == 429
    response = attempt(Client(), officer.username, factories.TEST_PASSWORD)
    assert response.status_code == 429


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(officer: User) -> None:
    """Guessing a known username from one address locks that username there only."""
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    statuses = [attempt(attacker, officer.username).status_code for _ in range(10)]
    assert statuses == [200] * 4 + [429] * 6
    assert attempt(attacker, officer.username, factories.TEST_PASSWORD).status_code == 429
    # The owner, at an address they have never used before, signs in.
    owner = Client(REMOTE_ADDR="203.0.113.7")
    response = attempt(owner, officer.username, factories.TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_one_address_trying_username_after_username_is_stopped(
    police: Organisation, officer: User, settings: Settings
) -> None:
    settings.HOMEWARD_LOCKOUT_ADDRESS_FAILURES = 30
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    statuses = [attempt(attacker, f"guess.{n // 3}").status_code for n in range(30)]
    assert statuses == [200] * 29 + [429]
    refused = attempt(attacker, "guess.99")
    assert refused.status_code == 429
    assert "<title>Too many attempts to sign in from your network - Homeward</title>" in text(
        refused
    )
    assert int(refused["Retry-After"]) == 15 * 60
    assert "guess.99" not in text(refused)
    # Even the right password, from there: but not from anywhere else.
    assert attempt(attacker, officer.username, factories.TEST_PASSWORD).status_code == 429
    elsewhere = attempt(
        Client(REMOTE_ADDR="203.0.113.7"), officer.username, factories.TEST_PASSWORD
    )
    assert elsewhere.status_code == 302


def test_guesses_spread_over_many_addresses_lock_the_username_but_not_at_the_owners_office(
    officer: User, settings: Settings
) -> None:
    settings.HOMEWARD_LOCKOUT_ACCOUNT_FAILURES = 20
    office: dict[str, Any] = {"REMOTE_ADDR": "203.0.113.7"}  # WSGI environ for each request
    owner = Client(**office)
    assert attempt(owner, officer.username, factories.TEST_PASSWORD).status_code == 302
    owner.post("/sign-out")
    # Four guesses from each of five addresses: none reaches the limit at one address.
    for n in range(20):
        response = attempt(Client(REMOTE_ADDR=f"198.51.100.{n // 4}"), officer.username)
    assert response.status_code == 429
    # A sixth address is refused even with the right password...
    stranger = attempt(Client(REMOTE_ADDR="192.0.2.44"), officer.username, factories.TEST_PASSWORD)
    assert stranger.status_code == 429
    assert LOCKED_TITLE in text(stranger)
    # ...but the owner, from the office they sign in from, is not.
    response = attempt(owner, officer.username, factories.TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_ipv6_client_is_counted_by_its_network(officer: User) -> None:
    for n in range(5):
        last = attempt(Client(REMOTE_ADDR=f"2001:db8:7:1::{n + 1:x}"), officer.username)
    assert last.status_code == 429
    elsewhere = attempt(
        Client(REMOTE_ADDR="2001:db8:7:2::1"), officer.username, factories.TEST_PASSWORD
    )
    assert elsewhere.status_code == 302


def test_behind_a_trusted_proxy_the_address_it_saw_is_counted(
    officer: User, settings: Settings
) -> None:
    settings.HOMEWARD_TRUSTED_PROXIES = 1
    proxy: dict[str, Any] = {"REMOTE_ADDR": "10.0.0.2"}  # WSGI environ for each request
    for n in range(5):
        # The client forges the start of X-Forwarded-For; the proxy appends what it saw.
        last = attempt(
            Client(HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.9", **proxy), officer.username
        )
    assert last.status_code == 429
    colleague = Client(HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert attempt(colleague, officer.username, factories.TEST_PASSWORD).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}


def test_the_lock_lifts_after_the_cool_off(client: Client, officer: User) -> None:
    for _ in range(5):
        attempt(client, officer.username)
    # Trying while locked does not restart the clock.
    attempt(client, officer.username)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time)
    assert AccessAttempt.objects.get().failures_since_start == 5
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = attempt(client, officer.username, factories.TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_limit_comes_from_settings(client: Client, officer: User, settings: Settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    attempt(client, officer.username)
    attempt(client, officer.username)
    assert attempt(client, officer.username).status_code == 429


def test_a_whole_sign_in_forgets_earlier_failures(client: Client, officer: User) -> None:
    for _ in range(4):
        attempt(client, officer.username)
    assert attempt(client, officer.username, factories.TEST_PASSWORD).status_code == 302
    client.post("/sign-out")
    for _ in range(4):
        assert attempt(client, officer.username).status_code == 200


def test_the_right_password_does_not_forget_failures_until_the_code_is_given(
    client: Client, officer: User
) -> None:
    device = give_app(officer)
    for _ in range(4):
        attempt(client, officer.username)
    signed = attempt(client, officer.username, factories.TEST_PASSWORD)
    assert signed["Location"] == "/sign-in/code"
    # A fifth failure (a wrong code) still locks: knowing the password is not enough.
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post("/sign-in/code", {"code": wrong})
    assert response.status_code == 429
    assert LOCKED_TITLE in text(response)
    assert "_auth_user_id" not in client.session


def test_wrong_codes_lock_the_account(client: Client, officer: User) -> None:
    device = give_app(officer)
    attempt(client, officer.username, factories.TEST_PASSWORD)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    statuses = []
    for _ in range(5):
        # Skip django-otp's growing wait between wrong codes, as a patient attacker would.
        device.throttle_reset()
        statuses.append(client.post("/sign-in/code", {"code": wrong}).status_code)
    assert statuses == [200, 200, 200, 200, 429]
    assert attempt(Client(), officer.username, factories.TEST_PASSWORD).status_code == 429


def test_failed_sign_ins_are_audited_without_the_password(client: Client, officer: User) -> None:
    attempt(client, officer.username, "my-secret-guess-123")
    attempt(client, "someone.unknown", "another-secret-guess")
    events = list(AuditEvent.objects.filter(action="sign_in_failed").order_by("sequence"))
    assert len(events) == 2
    known, unknown = events
    assert known.user == officer
    assert known.object_id == str(officer.pk)
    assert known.details == {"reason": "wrong_password", "locked": False, "known_user": True}
    assert unknown.user is None
    assert unknown.details["known_user"] is False
    stored = str([(e.details, e.object_id) for e in events])
    assert "secret-guess" not in stored
    assert "someone.unknown" not in stored
    assert "secret-guess" not in str(AccessAttempt.objects.values_list("post_data", flat=True))


def test_the_locking_failure_and_those_after_are_audited(client: Client, officer: User) -> None:
    for _ in range(6):
        attempt(client, officer.username)
    reasons = [
        (e.details["reason"], e.details["locked"])
        for e in AuditEvent.objects.filter(action="sign_in_failed").order_by("sequence")
    ]
    assert reasons == [("wrong_password", False)] * 4 + [
        ("wrong_password", True),
        ("locked_out", True),
    ]


def test_a_successful_sign_in_is_audited_as_the_user(client: Client, officer: User) -> None:
    attempt(client, officer.username, factories.TEST_PASSWORD)
    event = AuditEvent.objects.get(action="sign_in")
    assert event.user == officer
    assert event.role == Role.POLICE_OFFICER
    membership = officer.active_membership()
    assert membership is not None
    assert event.organisation == membership.organisation


def test_an_over_long_username_is_refused_like_any_wrong_one(client: Client) -> None:
    response = attempt(client, "x" * 5000)
    assert response.status_code == 200
    assert "Enter a correct username and password" in text(response)
    assert AccessAttempt.objects.get().username == "x" * 150


def test_addresses_not_used_for_90_days_are_forgotten(officer: User) -> None:
    old = Client(REMOTE_ADDR="192.0.2.10")
    assert attempt(old, officer.username, factories.TEST_PASSWORD).status_code == 302
    SignInAddress.objects.update(last_signed_in_at=clock.now() - timedelta(days=91))
    new = Client(REMOTE_ADDR="203.0.113.7")
    assert attempt(new, officer.username, factories.TEST_PASSWORD).status_code == 302
    assert list(SignInAddress.objects.values_list("address", flat=True)) == ["203.0.113.7"]
