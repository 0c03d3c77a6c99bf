"""The pages a limit shows, in a real browser: too many failed sign-ins from one network,
a form too large to read, and a session ended 12 hours after signing in. axe-core finds
nothing on any of them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.middleware import SIGNED_IN_AT_SESSION_KEY
from homeward.organisations.models import Role, User
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_accounts import password_step

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def worker(transactional_db: None) -> User:
    council = factories.CouncilFactory(name="Westmere District Council")
    return factories.member(
        Role.SOCIAL_WORKER, council, username="robin.social", first_name="Robin", last_name="Hale"
    )


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def ignore_status(page: Any, status: int) -> None:
    # The page is an error status by design; Chromium logs that as a console error.
    page.problems.errors = [e for e in page.problems.errors if f"status of {status}" not in e]


def test_too_many_failed_sign_ins_from_one_network(page: Any, worker: User, settings: Any) -> None:
    settings.HOMEWARD_LOCKOUT_ADDRESS_FAILURES = 3
    page.goto("/sign-in")
    for n in range(1, 3):
        password_step(page, f"someone.{n}", "not-their-password")
        assert page.title() == "Error: Sign in - Homeward"
    password_step(page, "someone.3", "not-their-password")
    assert page.title() == "Too many attempts to sign in from your network - Homeward"
    main = page.locator("main").inner_text()
    assert "15 minutes" in main
    assert "someone.3" not in main
    assert_accessible(page, "the too-many-sign-ins page")
    screenshot(page, "too-many-sign-ins")

    # The right password of a real account is refused from this network too, for now.
    with page.expect_navigation():
        page.get_by_role("link", name="sign in again").click()
    password_step(page, worker.username)
    assert page.title() == "Too many attempts to sign in from your network - Homeward"
    ignore_status(page, 429)


def test_a_form_too_large_to_read(page: Any, worker: User, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024
    page.goto("/sign-in")
    password_step(page, worker.username)
    page.goto("/children/add")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Large")
    # Far more than anyone types, but a paste can do it.
    page.locator("textarea[name=aliases]").fill("x" * 30_000)
    before = Child.objects.count()
    with page.expect_navigation():
        page.get_by_role("button", name="Add the child only").click()
    assert page.title() == "What you sent is too large - Homeward"
    main = page.locator("main").inner_text()
    assert "reads at most 20 KB at once" in main
    assert "Nothing was saved" in main
    assert_accessible(page, "the too-large page")
    screenshot(page, "too-large")
    assert Child.objects.count() == before
    ignore_status(page, 413)
    # Still signed in.
    page.goto("/")
    assert "/sign-in" not in page.url


def test_a_session_ends_12_hours_after_signing_in(page: Any, worker: User) -> None:
    page.goto("/sign-in")
    password_step(page, worker.username)
    assert "/sign-in" not in page.url
    [cookie] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(session_key=cookie["value"])
    session[SIGNED_IN_AT_SESSION_KEY] = (clock.now() - timedelta(hours=12, minutes=1)).timestamp()
    session.save()

    page.goto("/children/")
    assert "/sign-in" in page.url
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "You have been signed out because you signed in more than 12 hours ago" in banner
    assert_accessible(page, "the sign-in page after the session ended")
    screenshot(page, "session-ended")
    password_step(page, worker.username)
    assert page.url.endswith("/children/")
