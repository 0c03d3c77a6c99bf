"""The sign-in page, and the error summary on an invalid report, are accessible; and the
service works with JavaScript switched off."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.episodes.models import Episode
from homeward.organisations.models import Role
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_journey import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator_and_child(transactional_db: None) -> tuple[Any, Any]:
    force = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=force)
    child = factories.ChildFactory(responsible_council=council)
    factories.place(child, host=council)
    return factories.member(Role.POLICE_MISSING_COORDINATOR, force), child


def test_sign_in_page_and_its_errors_are_accessible(page: Any) -> None:
    page.goto("/sign-in")
    assert page.title() == "Sign in - Homeward"
    # Our stylesheet, with GOV.UK's fonts, came from the live server's static files.
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" in font, f"app.css not applied (h1 font: {font})"
    assert_accessible(page, "the sign-in page")
    # Wait for the answer: a title read straight after the click can be the old page's.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.title() == "Error: Sign in - Homeward"
    summary = page.locator(".govuk-error-summary")
    assert "Enter your username" in summary.inner_text()
    assert_accessible(page, "the sign-in page with errors")


def test_error_summary_on_an_invalid_report_is_accessible(
    page: Any, coordinator_and_child: tuple[Any, Any]
) -> None:
    user, child = coordinator_and_child
    sign_in(page, user)
    page.goto(f"/children/{child.pk}/report-missing")
    page.locator("#id_last_seen_at_day").fill("31")
    page.locator("#id_last_seen_at_month").fill("2")
    page.get_by_role("button", name="Report missing").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "must include a year" in summary.inner_text()
    # GOV.UK Frontend's JavaScript moves focus to the summary.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    summary.get_by_role("link", name="Enter where the child was last seen").click()
    assert page.evaluate("document.activeElement.id") == "id_last_seen_location"
    assert_accessible(page, "the report form with errors")
    assert not Episode.objects.exists()


def test_reporting_works_without_javascript(
    browser: Any, axe_source: str, live_server: Any, coordinator_and_child: tuple[Any, Any]
) -> None:
    user, child = coordinator_and_child
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/sign-in")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(factories.TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"/children/{child.pk}/")
        page.get_by_role("button", name="Report missing").click()
        page.get_by_label("Missing", exact=True).check()
        page.locator("#id_last_seen_at_day").fill("1")
        page.locator("#id_last_seen_at_month").fill("1")
        page.locator("#id_last_seen_at_year").fill("2099")
        page.locator("#id_last_seen_at_hour").fill("10")
        page.locator("#id_last_seen_at_minute").fill("00")
        page.get_by_label("Where was the child last seen?").fill("School gates")
        page.get_by_role("group", name="Where did the child go").get_by_label("School").check()
        page.get_by_label("Parent or family member").check()
        page.get_by_label("Low", exact=True).check()
        page.get_by_label("Why this risk grade?").fill("Known to go to a friend's house")
        page.get_by_role("button", name="Report missing").click()
        # The service's own check comes back as a field error, without any script.
        assert "cannot be in the future" in page.locator(".govuk-error-summary").inner_text()
        page.locator("#id_last_seen_at_year").fill("2025")
        page.get_by_role("button", name="Report missing").click()
        assert "has been created" in page.locator(".govuk-notification-banner").inner_text()
        assert Episode.objects.filter(child=child).count() == 1
    finally:
        context.close()
