"""Places in Chromium: a police officer records where a child was found from the episode's
page, is asked "did you mean" the place already recorded, chooses it and sees it linked;
the council's missing coordinator sees the hotspots as a table and a map. axe-core finds
nothing on any page, and the same journey works with JavaScript turned off."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.organisations.models import Role
from homeward.safeguarding.models import Place, PlaceLink, PlaceRole
from tests import factories
from tests.browser.test_aftercare import SCREENSHOTS, assert_accessible, sign_in, sign_out
from tests.safeguarding.factories_places import a_place, days_ago, link
from tests.safeguarding.factories_plan import PlanWorld, returned, world

pytestmark = pytest.mark.browser


@pytest.fixture
def w(transactional_db: None) -> PlanWorld:
    return world()


def record_the_found_place(page: Any, reference: str, *, axe: bool = True) -> None:
    page.goto(f"/episodes/{reference}/")
    page.get_by_role("link", name="Add a place to this episode").click()
    if axe:
        assert_accessible(page, "the place form")
    page.get_by_label("Found there").check()
    page.get_by_label("Name or description").fill("Bus stn, Mill Road")
    page.get_by_label("Station, bus stop or transport hub").check()
    page.get_by_label("Address (optional)").fill("Mill Road\nAshcombe")
    page.get_by_label("Postcode (optional)").fill("ab1 3gh")
    page.get_by_label("Latitude (optional)").fill("52.0301")
    page.get_by_label("Longitude (optional)").fill("-1.0302")
    page.get_by_label("Notes (optional)").fill("Found asleep in the waiting room")
    page.get_by_role("button", name="Save and link the place").click()
    assert page.get_by_role("heading", name="Did you mean one of these places?").is_visible()
    if axe:
        assert_accessible(page, "did you mean")
        page.screenshot(path=str(SCREENSHOTS / "place-did-you-mean.png"), full_page=True)
    page.get_by_label("Bus station, AB1 3GH", exact=False).check()
    page.get_by_role("button", name="Continue").click()


def test_an_officer_links_the_place_already_recorded(page: Any, w: PlanWorld) -> None:
    episode = returned(w.officer, w.child)
    existing = a_place("Bus station", w.council, "AB1 3GH", 52.03, -1.03)
    assert w.officer.user is not None
    sign_in(page, w.officer.user)
    record_the_found_place(page, episode.reference)
    assert page.get_by_text("Bus station has been linked (found)").is_visible()
    places = page.locator("#places ~ table").first.inner_text()
    assert "Bus station" in places
    assert "Found" in places
    assert_accessible(page, "the episode with its place")
    assert Place.objects.count() == 1
    found = PlaceLink.objects.get()
    assert (found.place, found.role, found.notes) == (
        existing,
        "found",
        "Found asleep in the waiting room",
    )
    page.get_by_role("link", name="Bus station").first.click()
    assert w.child.full_name in page.locator("main").inner_text()
    assert_accessible(page, "the place")
    sign_out(page)


def test_the_coordinator_sees_the_hotspots_table_and_map(page: Any, w: PlanWorld) -> None:
    station = a_place("Bus station", w.council, "AB1 3GH", 52.03, -1.03)
    park = a_place("Riverside park", w.council, "AB1 4JK", 52.05, -1.06)
    flat = a_place("Flat above the launderette", w.council, "AB2 5LM")
    for n in range(4):
        child = factories.ChildFactory(responsible_council=w.council)
        link(station, child, PlaceRole.FOUND, days_ago(3 + n))
        if n < 3:
            link(park, child, PlaceRole.FOUND, days_ago(10 + n))
            link(flat, child, PlaceRole.STAYED, days_ago(20 + n))
    coordinator = factories.member(Role.COUNCIL_MISSING_COORDINATOR, w.council)
    sign_in(page, coordinator)
    page.get_by_role("link", name="Hotspots").first.click()
    table = page.locator("#hotspot-table").inner_text()
    assert table.index("Bus station") < table.index("Riverside park")
    assert "Flat above the launderette" in table
    assert "Rising" in table
    svg = page.locator("svg.hw-hotspot-map")
    assert "numbered as in the table" in (svg.get_attribute("aria-label") or "")
    assert page.locator("svg.hw-hotspot-map circle").count() == 2
    assert_accessible(page, "the hotspots")
    page.screenshot(path=str(SCREENSHOTS / "hotspots.png"), full_page=True)
    page.get_by_label("Host area (children placed out of area, and placed here)").check()
    page.get_by_role("button", name="Show hotspots").click()
    assert page.get_by_text("No place or area had 3 or more children").is_visible()
    assert_accessible(page, "no hotspots")
    sign_out(page)


def test_the_same_journey_works_without_javascript(
    browser: Any, live_server: Any, w: PlanWorld
) -> None:
    episode = returned(w.officer, w.child)
    a_place("Bus station", w.council, "AB1 3GH")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        assert w.officer.user is not None
        sign_in(page, w.officer.user)
        record_the_found_place(page, episode.reference, axe=False)
        assert page.get_by_text("Bus station has been linked (found)").is_visible()
        page.goto("/hotspots")
        assert page.get_by_role("heading", name="Hotspots", exact=True).is_visible()
    finally:
        context.close()
    assert PlaceLink.objects.get().place.name == "Bus station"
