"""The missing profile in Chromium: the home's manager writes it (every field, an associate
and a place), adds a photograph and reads it all back; a police officer reporting the
child sees the profile beside the report form, and the photograph comes only through the
access check. axe-core finds nothing on any page."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pytest_django import Settings

from homeward.core import clock
from homeward.safeguarding.models import MissingProfile
from tests import factories
from tests.browser.test_aftercare import SCREENSHOTS, assert_accessible, sign_in, sign_out
from tests.safeguarding.factories_protocol import Home, a_home

pytestmark = pytest.mark.browser

ANSWERS = {
    "Height (optional)": "About 160 cm",
    "Build (optional)": "Slim",
    "Hair (optional)": "Long, dyed red",
    "Eyes (optional)": "Green",
    "Distinguishing features (optional)": "Scar above her left eyebrow",
    "Vulnerabilities (optional)": "Targeted by older men online",
    "Medical needs (optional)": "Type 1 diabetes",
    "Medication (optional)": "Insulin pen with every meal",
    "Phone number (optional)": "07700 900123",
    "Social media (optional)": "Snapchat as rowan_a",
    "Transport (optional)": "Bus pass for the 42",
    "Money (optional)": "Bank card; pocket money on Fridays",
    "What worked before (optional)": "Her aunt talked her home last time",
}


@pytest.fixture
def home(transactional_db: None, settings: Settings, tmp_path: Path) -> Home:
    settings.HOMEWARD_FILES_DIR = tmp_path / "files"
    world = a_home(protocol=False)
    world.child.first_name, world.child.last_name = "Rowan", "Ashdown"
    world.child.save()
    return world


def jpeg_file(tmp_path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (40, 60, 110)).save(out, format="JPEG")
    path = tmp_path / "rowan.jpg"
    path.write_bytes(out.getvalue())
    return path


def test_the_home_writes_the_profile_and_the_police_see_it_when_reporting(
    page: Any, home: Home, tmp_path: Path
) -> None:
    sign_in(page, home.manager.user)
    page.goto(f"/children/{home.child.pk}/profile")
    assert_accessible(page, "a child with no profile yet")
    page.get_by_role("link", name="Write the missing profile").first.click()
    review = clock.now().date() + timedelta(days=60)
    for part, number in (("day", review.day), ("month", review.month), ("year", review.year)):
        page.locator(f"input[name=review_date_{part}]").fill(str(number))
    for label, value in ANSWERS.items():
        page.get_by_label(label, exact=True).fill(value)
    page.locator("input[name=associates-0-name]").fill("Bridget Ashdown")
    page.locator("input[name=associates-0-relationship]").fill("Aunt")
    page.locator("input[name=associates-0-phone]").fill("07700 900456")
    page.locator("input[name=places-0-place]").fill("The skate park on Mill Lane")
    assert_accessible(page, "the profile form")
    page.get_by_role("button", name="Save the profile").click()

    profile = MissingProfile.objects.get(child=home.child)
    assert profile.owner == home.home
    for label, value in ANSWERS.items():
        assert page.get_by_text(value).first.is_visible(), label
    assert page.get_by_text("Bridget Ashdown").is_visible()
    assert page.get_by_text("The skate park on Mill Lane").is_visible()

    page.get_by_role("link", name="Add a photograph").click()
    page.get_by_label("Upload a photograph").set_input_files(str(jpeg_file(tmp_path)))
    assert_accessible(page, "the photograph form")
    page.get_by_role("button", name="Add the photograph").click()
    photo = page.locator("img.app-profile-photo").first
    assert photo.is_visible()
    assert page.evaluate("(img) => img.naturalWidth", photo.element_handle()) > 0
    assert_accessible(page, "the profile with its photograph")
    page.screenshot(path=str(SCREENSHOTS / "profile.png"), full_page=True)
    source = photo.get_attribute("src")
    sign_out(page)

    force = home.council.police_force
    assert force is not None
    officer = factories.member("police_officer", force)
    sign_in(page, officer)
    page.goto(f"/children/{home.child.pk}/report-missing")
    assert page.get_by_text("Bridget Ashdown").is_visible()
    assert page.get_by_text("Type 1 diabetes").is_visible()
    assert page.locator("img.app-profile-photo").count() == 1
    assert_accessible(page, "the report form with the profile beside it")
    sign_out(page)

    stranger = factories.member("police_officer", factories.PoliceForceFactory())
    sign_in(page, stranger)
    assert source is not None
    # The browser's own request, with the stranger's session: the photograph is not theirs.
    assert page.request.get(source).status == 404
