"""A children's home follows its missing protocol in Chromium: care staff report a child
missing from the home, follow the home's steps with the child's plan beside them, and
record each one; the care manager signs off. axe-core finds nothing on any page, and the
same pages work with JavaScript turned off."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from homeward.core import clock
from homeward.core.clock import UK
from homeward.episodes.models import Episode
from homeward.safeguarding.models.protocols import HomeProtocol, ProtocolRun
from tests.browser.test_aftercare import (
    SCREENSHOTS,
    assert_accessible,
    fill_datetime,
    sign_in,
    sign_out,
)
from tests.safeguarding.factories_protocol import Home, a_home, a_plan, a_profile

pytestmark = pytest.mark.browser

PLAN_STEP = "Check the skate park on Mill Lane first"


@pytest.fixture
def home(transactional_db: None) -> Home:
    world = a_home()
    world.child.first_name, world.child.last_name = "Rowan", "Ashdown"
    world.child.save()
    a_plan(world.child, minutes=30, if_missing=[PLAN_STEP, "Then ring his aunt"])
    a_profile(world.child)
    return world


def report_from_the_home(page: Any, home: Home, *, axe: bool = True) -> Episode:
    page.get_by_role("link", name="Report Rowan Ashdown missing").click()
    if axe:  # axe runs in the page: not without JavaScript
        assert_accessible(page, "the report form")
    page.get_by_label("Missing", exact=True).check()
    fill_datetime(page, "last_seen_at", clock.now().astimezone(UK) - timedelta(hours=2))
    page.get_by_label("Where was the child last seen?").fill("The lounge at tea time")
    page.get_by_label("Home", exact=True).check()
    page.get_by_label("Children's home staff").check()
    page.get_by_label("Yes", exact=True).check()  # still missing
    page.get_by_label("Medium", exact=True).check()
    page.get_by_label("Why this risk grade?").fill("Fourteen, has gone before, came back safe")
    page.get_by_role("button", name="Report missing").click()
    episode = Episode.objects.get(child=home.child)
    # The home's report began its protocol: staff land on it, the plan beside it.
    page.wait_for_url(f"**/episodes/{episode.reference}/protocol")
    return episode


def record_done(page: Any, position: int, minutes_ago: int) -> None:
    section = page.locator(f"#step-{position}")
    section.get_by_label("Done", exact=True).check()
    fill_datetime(page, f"step-{position}-done_at", clock.now() - timedelta(minutes=minutes_ago))
    section.get_by_role("button", name=f"Save step {position}").click()


def test_care_staff_follow_the_protocol_and_the_manager_signs_off(page: Any, home: Home) -> None:
    sign_in(page, home.staff.user)
    episode = report_from_the_home(page, home)
    assert page.get_by_text(PLAN_STEP).is_visible()
    assert page.get_by_text("Aunt Rosalind").is_visible()
    assert page.get_by_text("Tell the police within 30 minutes.").is_visible()
    assert_accessible(page, "the protocol, with the plan beside it")
    page.screenshot(path=str(SCREENSHOTS / "protocol-run.png"), full_page=True)

    # A time in the future is refused, naming the step.
    record_done(page, 1, -120)
    assert page.get_by_text(
        "The time of step 1 (search the home and grounds) cannot be in the future"
    ).first.is_visible()
    assert_accessible(page, "the protocol with an error")
    record_done(page, 1, 100)
    assert page.get_by_text("Step 1 has been recorded").is_visible()
    section = page.locator("#step-2")
    section.get_by_label("Not done", exact=True).check()
    section.get_by_label("If it was not done, why not?").fill("His phone was on his bed")
    section.get_by_role("button", name="Save step 2").click()
    record_done(page, 3, 80)
    assert_accessible(page, "the protocol, every step recorded")
    run = ProtocolRun.objects.get(episode=episode)
    assert run.police_told_at is not None
    assert run.police_due_minutes == 30
    assert "Sign off" not in page.locator("main").inner_text()
    sign_out(page)

    sign_in(page, home.manager.user)
    page.goto(f"/episodes/{episode.reference}/protocol")
    page.get_by_label("Sign-off note").fill("Steps followed; police told within the plan's time")
    page.get_by_role("button", name="Sign off").click()
    assert page.get_by_text("The protocol has been signed off").is_visible()
    assert_accessible(page, "the signed-off protocol")
    page.screenshot(path=str(SCREENSHOTS / "protocol-signed-off.png"), full_page=True)
    run.refresh_from_db()
    assert run.signed_off_at is not None
    page.goto("/protocols/compliance")
    assert page.get_by_text("1 on time, 0 late, 0 awaiting").is_visible()
    assert_accessible(page, "the compliance figures")


def test_the_same_pages_work_without_javascript(browser: Any, live_server: Any, home: Home) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, home.staff.user)
        episode = report_from_the_home(page, home, axe=False)
        assert page.get_by_text(PLAN_STEP).is_visible()
        record_done(page, 1, 90)
        assert page.get_by_text("Step 1 has been recorded").is_visible()
        page.goto("/protocols/home")
        assert page.get_by_text("Ring 101").is_visible()
        assert not page.get_by_role("button", name="Save the protocol").count()
        sign_out(page)

        sign_in(page, home.manager.user)
        page.goto("/protocols/home")
        page.locator("#id_steps-3-kind").select_option("tell_council")
        page.locator("#id_steps-3-text").fill("Ring the placing council's duty team")
        page.get_by_role("button", name="Save the protocol").click()
        assert page.get_by_text("The home's missing protocol has been saved").is_visible()
        page.goto(f"/episodes/{episode.reference}/protocol")
        assert page.get_by_text("Step 1 has been recorded").count() == 0
    finally:
        context.close()
    protocol = HomeProtocol.objects.get(home=home.home)
    assert protocol.version == 2
    assert protocol.steps.count() == 4
    # The run keeps the three steps it copied.
    assert ProtocolRun.objects.get(episode=episode).steps.count() == 3
