"""The statistics pages in a real browser: each is accessible (axe-core finds nothing),
every chart has its summary and table, and they work with JavaScript switched off."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_journey import sign_in
from tests.insights.conftest import area  # noqa: F401  (the hand-worked area)

pytestmark = pytest.mark.browser


def test_council_dashboard_is_accessible(page: Any, area: Any) -> None:  # noqa: F811
    sign_in(page, factories.member(Role.COUNCIL_MISSING_COORDINATOR, area.council_a))
    page.goto("/insights/dashboard/?year=2024")
    assert page.title().startswith("Missing children figures: Council A, 2024-25")
    assert page.get_by_text("Age at the start: the largest group is").is_visible()
    assert page.locator("table.govuk-table").count() >= 10
    assert_accessible(page, "the council dashboard")
    page.get_by_label("Quarter").select_option("4")
    page.get_by_role("button", name="Show figures").click()
    assert "quarter=4" in page.url
    assert page.get_by_role("heading", level=1).inner_text().endswith("2024-25 Q4")
    assert_accessible(page, "the council dashboard for a quarter")


def test_national_dashboard_is_accessible(page: Any, area: Any) -> None:  # noqa: F811
    national = Organisation.objects.create(
        kind=OrganisationKind.NATIONAL, name="National Unit", code="NAT-T"
    )
    sign_in(page, factories.member(Role.NATIONAL_ANALYST, national))
    page.goto("/insights/dashboard/?year=2024")
    assert page.get_by_text("shown as “c”").is_visible()
    assert_accessible(page, "the national dashboard")


def test_board_report_page_is_accessible(page: Any, area: Any) -> None:  # noqa: F811
    sign_in(page, factories.member(Role.BOARD_MEMBER, area.council_a))
    page.goto("/insights/board/")
    assert_accessible(page, "the list of board reports")
    page.goto("/insights/board/2024/q1/")
    assert page.get_by_text("nobody listened at home").is_visible()
    assert "Tamsin" not in page.content()
    assert_accessible(page, "a board report")


def test_dashboard_works_without_javascript(browser: Any, live_server: Any, area: Any) -> None:  # noqa: F811
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    user = factories.member(Role.COUNCIL_MANAGER, area.council_a)
    page.goto("/sign-in")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/insights/dashboard/?year=2024")
    page.get_by_label("Quarter").select_option("2")
    page.get_by_role("button", name="Show figures").click()
    assert "2024-25 Q2" in page.get_by_role("heading", level=1).inner_text()
    context.close()
