"""Harbouring notices in Chromium: a police officer issues a notice to a person of concern
about the child, and records a breach; the council's missing coordinator is told, opens
the notification and reads the notice and its breach; the person's page keeps the
police-only parts from the council. axe-core finds nothing on any page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from homeward.core import clock
from homeward.notifications import heartbeat
from homeward.safeguarding.models import HarbouringNotice, NoticeBreach
from homeward.safeguarding.services import persons
from tests.actors import user_of
from tests.browser.test_aftercare import SCREENSHOTS, assert_accessible, fill_datetime, sign_in
from tests.notifications.conftest import drain
from tests.safeguarding.factories_persons import World, link, world

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db: None) -> World:
    found = world()
    persons.update_person(
        found.officer,
        found.person.pk,
        {"name": "Darvell Oxenholme", "police_notes": "Known for supply offences"},
    )
    link(found.officer, found.person, found.child_a, nature="Gives her drugs", police_only=True)
    return found


def test_the_police_issue_and_record_a_breach_and_the_council_is_told(
    page: Any, scene: World
) -> None:
    child = scene.child_a
    sign_in(page, user_of(scene.officer))
    page.goto("/")
    page.get_by_role("link", name="Persons of concern").first.click()
    page.get_by_role("link", name="Darvell Oxenholme").click()
    assert page.get_by_text("Known for supply offences").is_visible()
    assert_accessible(page, "the person's page, for the police")
    page.screenshot(path=str(SCREENSHOTS / "person-police.png"), full_page=True)
    page.get_by_role("link", name="Issue a harbouring notice").click()
    page.get_by_label(child.full_name).check()
    today = clock.now().astimezone(clock.UK).date()
    for part, number in (("day", today.day), ("month", today.month), ("year", today.year)):
        page.locator(f"input[name=issued_on_{part}]").fill(str(number))
    page.get_by_label("Served by (optional)").fill("PC 4471 Amberley")
    assert_accessible(page, "the form to issue a notice")
    page.get_by_role("button", name="Record the notice").click()
    notice = HarbouringNotice.objects.get()
    assert page.get_by_role("heading", name=f"Notice {notice.reference}").is_visible()
    assert_accessible(page, "the notice, for the police")

    page.get_by_role("link", name="Record a breach").click()
    page.get_by_label(child.full_name).check()
    fill_datetime(page, "occurred_at", clock.now() - timedelta(hours=2))
    page.get_by_label("Where (optional if you choose a place)").fill("Car park behind the shops")
    page.get_by_label("What happened (optional)").fill("Found together in his car at 02:10")
    assert_accessible(page, "the breach form")
    page.get_by_role("button", name="Save the breach").click()
    assert NoticeBreach.objects.get().location == "Car park behind the shops"
    assert page.get_by_text("The breach has been recorded and the council told").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "notice-breached-police.png"), full_page=True)
    page.context.clear_cookies()

    heartbeat.start("browser-test-worker")
    drain(fire_due_clocks=False)
    sign_in(page, user_of(scene.coordinator_a))
    page.goto("/notifications/")
    row = page.locator("tr", has_text="Harbouring notice breached")
    assert row.count() == 1
    assert page.locator("tr", has_text="Harbouring notice issued about your child").count() == 1
    assert_accessible(page, "the coordinator's inbox")
    page.screenshot(path=str(SCREENSHOTS / "notice-inbox-council.png"), full_page=True)
    row.get_by_role("button", name="Open").click()
    page.wait_for_url(f"**/notices/{notice.pk}")
    body = page.content()
    assert "Car park behind the shops" in body
    assert child.full_name in body
    assert page.get_by_role("link", name="Record a breach").count() == 0
    assert_accessible(page, "the notice, for the council")
    page.screenshot(path=str(SCREENSHOTS / "notice-council.png"), full_page=True)
    page.get_by_role("link", name="Darvell Oxenholme").click()
    person = page.content()
    assert "Known for supply offences" not in person
    assert "Gives her drugs" not in person
    assert scene.child_b.full_name not in person
    assert_accessible(page, "the person's page, for the council")
    page.screenshot(path=str(SCREENSHOTS / "person-council.png"), full_page=True)


def test_the_council_records_a_person_from_the_childs_page(page: Any, scene: World) -> None:
    child = scene.child_a
    sign_in(page, user_of(scene.coordinator_a))
    page.goto(f"/children/{child.pk}/")
    assert page.get_by_role("heading", name="Persons of concern").is_visible()
    assert "Gives her drugs" not in page.content()
    assert_accessible(page, "the child's page with its persons of concern")
    page.get_by_role("link", name="Record a person of concern linked to this child").click()
    page.get_by_label("Name", exact=True).fill("Orrin Castlemaine")
    page.get_by_label("Other names (optional)").fill("Oz\nOrry")
    page.get_by_label("Approximate age (optional)").fill("31")
    page.get_by_label("Description (optional)").fill("Drives a blue van")
    assert page.get_by_label("Police notes (optional)").count() == 0
    page.get_by_label("What links them").fill("Waits outside her school")
    page.get_by_label("Where the information came from").fill("Head of year")
    page.get_by_label("1: reliable").check()
    page.get_by_label("A: known directly to the source").check()
    assert_accessible(page, "the form to record a person")
    page.screenshot(path=str(SCREENSHOTS / "person-record-council.png"), full_page=True)
    page.get_by_role("button", name="Save the person").click()
    assert page.get_by_role("heading", name="Orrin Castlemaine").is_visible()
    assert page.get_by_role("heading", name="Waits outside her school").is_visible()
    assert page.get_by_text("Oz, Orry").is_visible()
    assert_accessible(page, "the new person's page")
