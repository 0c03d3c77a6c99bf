"""A police missing persons coordinator works an episode from start to finish through
the web UI alone, and every page they see is accessible (axe-core finds nothing)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from homeward.children.models import Child
from homeward.core import clock
from homeward.episodes.models import Episode, EpisodeStatus, RiskAssessment
from homeward.organisations.models import Role
from tests import factories
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

UK = ZoneInfo("Europe/London")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def fill_datetime(page: Any, field: str, when: datetime) -> None:
    local = when.astimezone(UK)
    for part, value in (
        ("day", local.day),
        ("month", local.month),
        ("year", local.year),
        ("hour", local.hour),
        ("minute", f"{local.minute:02d}"),
    ):
        page.locator(f"#id_{field}_{part}").fill(str(value))


def sign_in(page: Any, user: Any) -> None:
    page.goto("/")
    assert "/sign-in" in page.url
    assert_accessible(page, "the sign-in page")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


@pytest.fixture
def scene(transactional_db: None) -> dict[str, Any]:
    """A looked-after child placed in a children's home in the force's area."""
    force = factories.PoliceForceFactory(name="Northshire Police")
    council = factories.CouncilFactory(name="Northshire County Council", police_force=force)
    home = factories.CareProviderFactory(name="Beech House", area_council=council)
    child = factories.ChildFactory(
        first_name="Rowan", last_name="Ashdown", responsible_council=council
    )
    factories.looked_after(child)
    factories.place(child, provider=home, host=council)
    coordinator = factories.member(
        Role.POLICE_MISSING_COORDINATOR,
        force,
        first_name="Sam",
        last_name="Okafor",
    )
    return {"child": child, "coordinator": coordinator, "force": force}


def test_coordinator_reports_regrades_records_return_and_closes(page: Any, scene: Any) -> None:
    child: Child = scene["child"]
    sign_in(page, scene["coordinator"])

    # Home: signed in as who, where, in what role.
    assert page.get_by_role("heading", name="Open episodes").is_visible()
    banner = page.locator(".app-user-bar").inner_text()
    assert "Sam Okafor" in banner
    assert "Northshire Police" in banner
    assert "Police missing persons coordinator" in banner
    assert page.evaluate("document.body.classList.contains('js-enabled')"), "app.mjs not run"
    assert_accessible(page, "the home page")

    # Find the child, by POST.
    page.get_by_role("link", name="Find a child").first.click()
    assert_accessible(page, "the find a child page")
    page.get_by_label("Find a child").fill("Ashdown")
    page.get_by_role("button", name="Search").click()
    assert "Ashdown" not in page.url
    assert page.get_by_role("heading", name="1 child found").is_visible()
    assert_accessible(page, "the search results")
    page.get_by_role("link", name="Rowan Ashdown").click()

    # The child's record, then report them missing.
    assert page.get_by_role("heading", name="Rowan Ashdown", level=1).is_visible()
    assert page.get_by_text("Beech House").is_visible()
    assert_accessible(page, "the child's page")
    page.get_by_role("button", name="Report missing").click()
    assert_accessible(page, "the report form")

    now = clock.now().astimezone(UK)
    page.get_by_label("Missing", exact=True).check()
    fill_datetime(page, "last_seen_at", now - timedelta(hours=3))
    page.get_by_label("Where was the child last seen?").fill("Leaving Beech House by the back gate")
    page.get_by_label("Placement", exact=True).check()
    page.get_by_label("What was the child wearing? (optional)").fill("Grey hoodie, white trainers")
    page.get_by_label("Children's home staff").check()
    page.get_by_label("Medium", exact=True).check()
    page.get_by_label("Why this risk grade?").fill("First episode; no known exploitation risk")
    page.get_by_role("button", name="Report missing").click()

    episode = Episode.objects.get(child=child)
    page.wait_for_url(f"**/episodes/{episode.reference}/")
    assert page.get_by_text(f"Episode {episode.reference} has been created").is_visible()
    assert_accessible(page, "the new episode's page")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "episode-page.png"), full_page=True)

    # Re-grade the risk.
    page.get_by_role("button", name="Re-grade risk").click()
    assert_accessible(page, "the re-grade form")
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Why this grade?").fill("Seen getting into a car with two older men")
    page.get_by_label("What information is the grade based on? (optional)").fill(
        "Call from a member of the public"
    )
    page.get_by_label("Who supplied the information? (optional)").fill("Caller at 19:40")
    page.get_by_role("button", name="Save the new grade").click()
    page.wait_for_url(f"**/episodes/{episode.reference}/")
    assert page.get_by_text("Risk re-graded to high").is_visible()
    assert RiskAssessment.objects.filter(episode=episode).count() == 2
    assert_accessible(page, "the episode page after re-grading")

    # Record the return.
    page.get_by_role("button", name="Record return or found").click()
    assert_accessible(page, "the return form")
    fill_datetime(page, "returned_at", now - timedelta(minutes=20))
    page.get_by_label("Found by police").check()
    page.get_by_label("Where were they found? (optional)").fill("Railway station")
    page.get_by_role("button", name="Record the return").click()
    page.wait_for_url(f"**/episodes/{episode.reference}/")
    assert page.get_by_text("The return has been recorded").is_visible()
    assert_accessible(page, "the episode page after the return")

    # Closing is not offered while the safe and well check and the return interview are
    # outstanding: the page says why instead.
    assert page.get_by_role("button", name="Close episode").count() == 0
    assert page.get_by_text("The episode cannot be closed yet").is_visible()
    # The check (not done) and the interview (not offered) are recorded elsewhere.
    factories.record_aftercare(episode)
    page.reload()
    page.get_by_role("button", name="Close episode").click()
    assert_accessible(page, "the close page")
    page.get_by_role("button", name="Close the episode").click()
    page.wait_for_url(f"**/episodes/{episode.reference}/")
    assert page.get_by_text("The episode has been closed").is_visible()
    assert_accessible(page, "the closed episode's page")

    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
    assert episode.risk_grade == "high"
    assert episode.found_location == "Railway station"
