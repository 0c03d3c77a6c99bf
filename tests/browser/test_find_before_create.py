"""Find before create, in Chromium: a police call handler types a misspelt name, finds the
council's child as a likely match held by Marlhaven without seeing who the child is,
reports against that record, and Marlhaven's coordinator sees the episode on their own
child's record. axe-core finds nothing on any page they see."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from homeward.episodes.models import Episode, EpisodeStatus
from homeward.organisations.models import Role
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_add_and_report import fill_report, shot, sign_out
from tests.browser.test_journey import sign_in
from tests.linkage.helpers import held

pytestmark = pytest.mark.browser

BORN = date(2013, 6, 14)
# Every way the date of birth could be written on a page.
DATES = ("2013-06-14", "14/06/2013", "14 June 2013", "14 Jun 2013", "6/14/2013")


@pytest.fixture
def area(transactional_db: None) -> dict[str, Any]:
    force = factories.PoliceForceFactory(name="Northshire Police")
    own = factories.CouncilFactory(name="Northshire County Council", police_force=force)
    marlhaven = factories.CouncilFactory(
        name="Marlhaven City Council", police_force=factories.PoliceForceFactory()
    )
    child = held("Tyrone", "Holby", BORN, sex="1", responsible_council=marlhaven)
    return {
        "force": force,
        "own": own,
        "child": child,
        "handler": factories.member(Role.POLICE_CALL_HANDLER, force),
        "coordinator": factories.member(Role.COUNCIL_MISSING_COORDINATOR, marlhaven),
    }


def assert_no_identity(page: Any, child: Any, what: str) -> None:
    html = page.content()
    for secret in ("Tyrone", "Holby", *DATES):
        assert secret not in html, f"{secret!r} is on {what}"
    assert not re.search(rf"children/{child.pk}\b", html), f"the child's id is on {what}"


def test_a_misspelt_name_finds_the_councils_child_and_the_report_reaches_them(
    page: Any, area: dict[str, Any]
) -> None:
    child = area["child"]
    sign_in(page, area["handler"])
    page.get_by_role("link", name="Add a child").first.click()
    page.get_by_label("First name").fill("Tyrin")
    page.get_by_label("Last name").fill("Holbey")
    page.get_by_label("Other names the child is known by (optional)").fill("Ty")
    page.locator("#id_date_of_birth_day").fill(str(BORN.day))
    page.locator("#id_date_of_birth_month").fill(str(BORN.month))
    page.locator("#id_date_of_birth_year").fill(str(BORN.year))
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Ethnicity").select_option("WBRI")
    page.get_by_label("Your organisation's reference for the child (optional)").fill("NS-3391")
    page.get_by_label("Council responsible for the child").select_option(label="Not known")
    # (The force covers one council, which holds the record if one is made.)
    page.get_by_role("button", name="Add the child and report them missing").click()

    # The likely match: who holds it, how strong, on what grounds; never who it is.
    main = page.locator("main").inner_text()
    assert "We may already hold a record of this child" in main
    assert "A likely match is held by Marlhaven City Council" in main
    assert "Date of birth matches" in main
    assert_no_identity(page, child, "the matches page")
    assert_accessible(page, "the matches page")
    shot(page, "find-before-create-matches")
    page.get_by_role("button", name="Report this child missing against this record").click()

    assert_no_identity(page, child, "the report form")
    assert_accessible(page, "the report against a match")
    fill_report(page, "Outside the bus station on Quay Street")
    shot(page, "find-before-create-report")
    page.get_by_role("button", name="Report missing").click()

    episode = Episode.objects.get(child=child)
    page.wait_for_url(f"**/episodes/{episode.reference}/")
    assert episode.status == EpisodeStatus.MISSING
    assert episode.police_force == area["force"]
    assert_accessible(page, "the episode reported against a match")
    shot(page, "find-before-create-episode")
    # No second record was made.
    assert not type(child).objects.filter(last_name="Holbey").exists()
    sign_out(page)

    # The council sees the episode on its own child's record.
    sign_in(page, area["coordinator"])
    page.goto(f"/children/{child.pk}/")
    assert episode.reference in page.locator("main").inner_text()
    assert "Outside the bus station on Quay Street" in page.content()
    assert_accessible(page, "the council's child, with the police report")
    shot(page, "find-before-create-council")
