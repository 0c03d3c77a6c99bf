"""The handling police officer opens the briefing sheet from the episode page in
Chromium: the photograph and what the force needs are on it, axe finds nothing, and
printed (print media) the page shows the sheet alone, without the header, navigation or
footer. The council's coordinator agrees a public appeal, ticking several boxes, and
withdraws it; its page then answers 404 saying so."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.safeguarding.models.profiles import PublicAppeal
from tests.actors import user_of
from tests.browser.test_aftercare import SCREENSHOTS, assert_accessible, sign_in
from tests.safeguarding.factories_briefing import (
    ASSOCIATE,
    MEDICAL,
    PLACE,
    Case,
    files_dir,
    missing_child,
)

pytestmark = pytest.mark.browser
__all__ = ["files_dir"]


@pytest.fixture
def case(transactional_db: None) -> Case:
    return missing_child()


def test_the_officer_prints_the_briefing_sheet(page: Any, case: Case) -> None:
    sign_in(page, user_of(case.officer))
    page.goto(f"/episodes/{case.episode.reference}/")
    page.get_by_role("link", name="Print the briefing sheet").click()
    main = page.locator("main").inner_text()
    for wanted in ("Marigold Thistlewood", MEDICAL, PLACE, ASSOCIATE, "High"):
        assert wanted in main, wanted
    photo = page.get_by_role("img", name="Photograph of Marigold")
    assert photo.is_visible()
    assert photo.evaluate("img => img.naturalWidth") > 0
    assert_accessible(page, "the briefing sheet")
    page.screenshot(path=str(SCREENSHOTS / "briefing-sheet.png"), full_page=True)

    navigation = page.locator(".govuk-service-navigation")
    assert navigation.is_visible()
    page.emulate_media(media="print")
    assert not navigation.is_visible()
    assert not page.locator("header.govuk-template__header").is_visible()
    assert not page.locator("footer").is_visible()
    assert not page.get_by_role("button", name="Download the briefing as a PDF").is_visible()
    assert page.get_by_text(MEDICAL).is_visible()
    assert photo.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "briefing-sheet-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1, "one A4 page"


def test_the_coordinator_agrees_an_appeal_with_several_boxes(page: Any, case: Case) -> None:
    sign_in(page, user_of(case.coordinator))
    page.goto(f"/episodes/{case.episode.reference}/")
    page.get_by_role("link", name="Agree a public appeal").click()
    assert_accessible(page, "the appeal agreement")
    page.get_by_role("button", name="Agree the appeal").click()
    assert "Select what may be published" in page.content()
    assert_accessible(page, "the appeal agreement with an error")
    page.get_by_label("First name").check()
    page.get_by_label("Age").check()
    page.get_by_label("Clothing when last seen").check()
    page.get_by_label("Wording of the appeal (optional)").fill("Call 999 if you see her")
    page.screenshot(path=str(SCREENSHOTS / "agree-appeal.png"), full_page=True)
    page.get_by_role("button", name="Agree the appeal").click()
    assert "A public appeal is live" in page.content()
    page.locator("#briefing-and-appeal").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "episode-appeal-panel.png"))
    appeal = PublicAppeal.objects.get(episode=case.episode)
    assert appeal.fields == ["first_name", "age", "clothing"]
    page.get_by_role("link", name="See the public appeal").click()
    main = page.locator("main").inner_text()
    assert "Marigold" in main
    assert "Black puffer jacket" in main
    assert "Thistlewood" not in main
    assert MEDICAL not in main
    assert_accessible(page, "the public appeal")
    page.screenshot(path=str(SCREENSHOTS / "public-appeal.png"), full_page=True)
    page.get_by_role("link", name="go back to the episode").click()
    page.get_by_role("link", name="Withdraw the appeal").click()
    assert_accessible(page, "withdrawing the appeal")
    page.get_by_label("Why is the appeal withdrawn?").fill("Publicity would put her at risk")
    page.get_by_role("button", name="Withdraw the appeal").click()
    assert "Public appeal withdrawn" in page.content()
    response = page.goto(f"/episodes/{case.episode.reference}/appeal")
    assert response is not None
    assert response.status == 404
    # The browser logs the 404 it was meant to get: that one line is expected.
    errors = page.problems.errors
    errors[:] = [e for e in errors if "status of 404" not in e]
    assert "This appeal was withdrawn on" in page.locator("main").inner_text()
    assert "Marigold" not in page.locator("main").inner_text()
    assert_accessible(page, "the withdrawn appeal")
