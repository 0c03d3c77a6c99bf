"""The child's plan in Chromium: the social worker writes it with every field (rows typed
into the blank rows of the page, no JavaScript needed), sees the row errors, saves and
reads it back; the coordinator changes it and reads the history; the care home's staff
read it and meet its "if missing" steps on the report page. axe-core on every page."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.safeguarding.models import PlanVersion
from tests import factories
from tests.browser.test_aftercare import SCREENSHOTS, assert_accessible, sign_in, sign_out
from tests.safeguarding.factories_plan import in_weeks, world

pytestmark = pytest.mark.browser


def fill_date(page: Any, field: str, value: Any) -> None:
    for part in ("day", "month", "year"):
        page.locator(f"#id_{field}_{part}").fill(str(getattr(value, part)))


def test_a_plan_written_changed_and_read_where_it_is_needed(
    page: Any, transactional_db: None
) -> None:
    w = world()
    sign_in(page, w.worker)
    page.goto(f"/children/{w.child.pk}/")
    page.get_by_role("link", name="Write a plan").click()
    assert_accessible(page, "the empty plan")
    page.get_by_label("Risks").fill("Goes to older men's flats near Ashcombe station")
    page.locator("#id_agencies-1-agency").fill("School")
    page.get_by_role("button", name="Save the plan").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Agency 2: enter what they will do" in summary
    assert "Enter what to do if this child goes missing" in summary
    assert_accessible(page, "the plan with errors")
    page.locator("#id_if_missing").fill(
        "Ring her aunt first on 07700 900123\nCheck Ashcombe station"
    )
    page.locator("#id_report_after_minutes").fill("60")
    fill_date(page, "review_date", in_weeks(6))
    page.locator("#id_owner").select_option(str(w.coordinator.pk))
    page.locator("#id_agencies-0-agency").fill("Police")
    page.locator("#id_agencies-0-will_do").fill("Patrol the station at night")
    page.locator("#id_agencies-0-owner").fill("PC Hale")
    page.locator("#id_agencies-1-will_do").fill("Ring the home at 9.30 if she is absent")
    page.locator("#id_agencies-1-owner").fill("Mrs Okafor")
    page.locator("#id_actions-0-action").fill("Refer to the MACE panel")
    page.locator("#id_actions-0-owner").fill("Sam Hill")
    fill_date(page, "actions-0-due", in_weeks(2))
    page.locator("#id_actions-0-done_0").check()
    page.get_by_role("button", name="Save the plan").click()
    main = page.locator("main").inner_text()
    assert "Version 1 of the plan has been saved" in main
    assert "Check Ashcombe station" in main
    assert "Tell the police if" in main
    assert "Mrs Okafor" in main
    assert_accessible(page, "the plan")
    page.screenshot(path=str(SCREENSHOTS / "plan.png"), full_page=True)
    sign_out(page)

    sign_in(page, w.coordinator)
    page.goto(f"/children/{w.child.pk}/plan")
    page.get_by_role("link", name="Change the plan").click()
    page.locator("#id_if_missing").fill("Ring her aunt first on 07700 900123")
    page.get_by_label("What changed and why").fill("The station is covered by the patrols")
    page.get_by_role("button", name="Save the plan").click()
    page.get_by_role("link", name="Versions of the plan (2)").click()
    history = page.locator("main").inner_text()
    assert "Changed: What to do if this child goes missing." in history
    assert_accessible(page, "the versions")
    page.get_by_role("link", name="Version 1").click()
    assert "Check Ashcombe station" in page.locator("main").inner_text()
    assert_accessible(page, "an earlier version")
    sign_out(page)
    assert PlanVersion.objects.count() == 2

    staff = factories.member("care_staff", w.home)
    sign_in(page, staff)
    page.goto(f"/children/{w.child.pk}/report-missing")
    panel = page.locator("#plan-if-missing").inner_text()
    assert "Ring her aunt first on 07700 900123" in panel
    assert "not back after 60 minutes" in panel
    assert_accessible(page, "the report page with the plan")
    page.screenshot(path=str(SCREENSHOTS / "plan-report.png"), full_page=True)
