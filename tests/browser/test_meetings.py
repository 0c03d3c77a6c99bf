"""The issue's journey in Chromium, over the demo area: the council's missing coordinator
opens the next panel (its members prefilled from last month's), sees the agenda built
from the demo's records, records a decision and an action owned by the social worker,
and the social worker sees it in their work list. axe-core on every page; the same
journey again with JavaScript switched off."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from homeward.core import clock
from homeward.organisations.models import User
from homeward.safeguarding.models import Meeting, MeetingAction, MeetingStatus
from homeward.seed import demo
from tests.browser.test_aftercare import SCREENSHOTS, assert_accessible

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-h4")
DEMO_PASSWORD = "homeward-demo-2026"


def _sign_in(page: Any, username: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def journey(page: Any, label: str, *, axe: bool = True) -> None:
    worker = User.objects.get(username="social.worker")
    _sign_in(page, "council.coordinator")
    page.get_by_role("link", name="Meetings", exact=True).first.click()
    assert "Missing children panel" in page.locator("main").inner_text()  # last month's
    if axe:
        assert_accessible(page, "the meetings")
    page.get_by_role("button", name="Open the next panel").click()
    # Prefilled from last month's panel: its members and its room.
    assert page.locator("#id_members-1-name").input_value() == worker.get_full_name()
    assert page.locator("#id_location").input_value() == "Committee Room 2, County Hall"
    if axe:
        assert_accessible(page, "opening the next panel")
    _shot(page, f"open-{label}")
    page.get_by_role("button", name="Open the meeting").click()
    main = page.locator("main").inner_text()
    assert "Meeting opened: its agenda is built from the records" in main
    meeting = Meeting.objects.filter(status=MeetingStatus.PLANNED).order_by("-pk").first()
    assert meeting is not None
    assert meeting.agenda, "the demo's records give the agenda items"
    assert "Children over the repeat-missing threshold" in main
    if axe:
        assert_accessible(page, "the new panel and its agenda")
    _shot(page, f"agenda-{label}")

    page.locator("#id_decision-text").fill(f"Refer to the exploitation meeting ({label})")
    page.locator("#id_decision-agenda_item").select_option(index=1)
    page.get_by_role("button", name="Record the decision").click()
    assert "Decision recorded" in page.locator("main").inner_text()
    text = f"Visit the child with the youth worker ({label})"
    page.locator("#id_action-text").fill(text)
    owner = f"{worker.get_full_name()}, {meeting.council.name}"
    page.locator("#id_action-owner").select_option(label=owner)
    due = (clock.now() + timedelta(days=14)).astimezone(clock.UK).date()
    for part in ("day", "month", "year"):
        page.locator(f"#id_action-due_on_{part}").fill(str(getattr(due, part)))
    page.locator("#id_action-agenda_item").select_option(index=1)
    page.get_by_role("button", name="Record the action").click()
    main = page.locator("main").inner_text()
    assert "Action recorded" in main
    assert text in main
    if axe:
        assert_accessible(page, "the panel with a decision and an action")
    _shot(page, f"meeting-{label}")
    assert MeetingAction.objects.filter(text=text, owner=worker).count() == 1
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, "social.worker")
    page.get_by_role("link", name="Your actions from meetings").click()
    listed = page.locator("main").inner_text()
    assert text in listed
    assert "Review the child's plan with the home and the police" in listed  # last month's
    assert "Overdue" in listed
    if axe:
        assert_accessible(page, "the social worker's actions")
    _shot(page, f"work-list-{label}")
    # The worker reads the meeting (a practitioner of the council; no forms to change it).
    page.get_by_role("link", name="Missing children panel").first.click()
    assert page.get_by_role("button", name="Record the decision").count() == 0
    if axe:
        assert_accessible(page, "the meeting as the social worker reads it")
    _shot(page, f"meeting-as-worker-{label}")
    page.get_by_role("button", name="Sign out").click()
    # The force's coordinator, a member of last month's panel, reads it and its pack.
    _sign_in(page, "police.coordinator")
    last = Meeting.objects.filter(status=MeetingStatus.HELD).order_by("pk").first()
    assert last is not None
    page.goto(f"/meetings/{last.pk}/")
    assert "Decisions (1)" in page.locator("main").inner_text()
    if axe:
        assert_accessible(page, "last month's panel as the police read it")
    _shot(page, f"meeting-as-police-{label}")
    page.get_by_role("button", name="Sign out").click()


@pytest.fixture
def demo_area(transactional_db: None) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo.load(seed=7, children=40, episodes=200)


def test_the_coordinator_opens_the_next_panel_and_the_worker_sees_the_action(
    page: Any, demo_area: None
) -> None:
    journey(page, "javascript")
    page.goto("/meetings/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


def test_the_same_journey_works_without_javascript(
    browser: Any, live_server: Any, demo_area: None
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    journey(page, "no-javascript", axe=False)
    context.close()
