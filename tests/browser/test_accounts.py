"""Accounts in a real browser: signing in with a password, setting up an authenticator app
from the secret the page shows, signing out and back in with password and code; and the
lockout after repeated failures. axe-core finds nothing on any page visited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from homeward.audit.models import AuditEvent
from homeward.organisations.models import Role, User
from tests import factories
from tests.browser.axe import assert_accessible
from tests.organisations.totp import code_from_secret

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def worker(transactional_db: None) -> User:
    council = factories.CouncilFactory(name="Eastmoor Borough Council")
    return factories.member(
        Role.SOCIAL_WORKER, council, username="jamie.social", first_name="Jamie", last_name="Reed"
    )


@pytest.fixture
def mfa_required(settings: Any) -> None:
    # The live server runs in this process, so it sees the override.
    settings.HOMEWARD_MFA_REQUIRED = True


def password_step(page: Any, username: str, password: str = factories.TEST_PASSWORD) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_set_up_an_app_then_sign_in_with_password_and_code(
    page: Any, worker: User, mfa_required: None
) -> None:
    page.goto("/")
    assert "/sign-in" in page.url
    assert_accessible(page, "the sign-in page")
    password_step(page, worker.username)

    # No app yet: two-factor is required, so the set-up page comes next.
    page.wait_for_url("**/account/two-factor/set-up**")
    assert page.title() == "Set up two-factor authentication - Homeward"
    qr = page.get_by_role("img", name="QR code that adds Homeward to an authenticator app")
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    loaded = "() => { const i = document.querySelector('main img'); return i.naturalWidth > 0; }"
    assert page.evaluate(loaded), "the QR code image did not load"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "two-factor-set-up.png"), full_page=True)
    secret = page.locator("#totp-secret").inner_text().strip()
    assert all(len(group) == 4 for group in secret.split(" "))
    assert_accessible(page, "the two-factor set-up page")

    # A wrong code first: the error summary is accessible too.
    wrong = "000000" if code_from_secret(secret) != "000000" else "111111"
    page.get_by_label("Code from your authenticator app").fill(wrong)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and continue").click()
    assert page.title().startswith("Error: ")
    assert "The code is not right" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "the set-up page with an error")
    # django-otp makes the next try wait a moment after a wrong code.
    page.wait_for_timeout(1100)

    page.get_by_label("Code from your authenticator app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Confirm and continue").click()
    page.wait_for_url(lambda url: "/account/" not in url and "/sign-in" not in url)
    assert "Two-factor authentication is set up" in page.locator("main").inner_text()
    assert "Jamie Reed" in page.locator(".app-user-bar").inner_text()
    assert_accessible(page, "the home page after setting up two-factor")

    # Sign out, then back in: password, then a code from the same app.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    assert "You have signed out" in page.locator("main").inner_text()
    page.goto("/")
    password_step(page, worker.username)
    page.wait_for_url("**/sign-in/code**")
    assert page.title() == "Enter the code from your authenticator app - Homeward"
    assert_accessible(page, "the code page")
    # A code not yet used: the next 30-second step (the server allows one step either side).
    page.get_by_label("Enter the code from your authenticator app").fill(
        code_from_secret(secret, steps_ahead=1)
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
    assert "Jamie Reed" in page.locator(".app-user-bar").inner_text()
    assert_accessible(page, "the home page after signing in with a code")

    # The account page, from the link by the user's name, says two-factor is set up.
    page.locator(".app-user-bar").get_by_role("link", name="Your account").click()
    page.wait_for_url("**/account/")
    assert page.title() == "Your account - Homeward"
    assert "Set up" in page.locator(".govuk-summary-list").inner_text()
    assert_accessible(page, "the account page")
    assert AuditEvent.objects.filter(action="sign_in", user=worker).count() == 2
    assert AuditEvent.objects.filter(action="mfa_set_up", user=worker).exists()


def test_repeated_failures_lock_the_account(page: Any, worker: User) -> None:
    page.goto("/sign-in")
    for attempt in range(1, 5):
        password_step(page, worker.username, f"wrong-password-{attempt}")
        assert page.title() == "Error: Sign in - Homeward"
        assert (
            "Enter a correct username and password"
            in page.locator(".govuk-error-summary").inner_text()
        )
    assert_accessible(page, "the sign-in page after a wrong password")

    password_step(page, worker.username, "wrong-password-5")
    assert page.title() == "Your account is locked - Homeward"
    main = page.locator("main").inner_text()
    assert "15 minutes" in main
    assert worker.username not in main
    assert_accessible(page, "the lockout page")

    # The right password is refused too, while the lock lasts.
    with page.expect_navigation():
        page.get_by_role("link", name="sign in again").click()
    password_step(page, worker.username)
    assert page.title() == "Your account is locked - Homeward"
    assert "/sign-in" in page.url
    # The lockout page is a 429 by design; Chromium logs that status as a console error.
    page.problems.errors = [e for e in page.problems.errors if "status of 429" not in e]
