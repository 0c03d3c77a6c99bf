"""Names that would disguise themselves (a right-to-left override, a zero-width space) or
run as a spreadsheet formula are refused on the forms that take them, next to the field,
with what was typed kept; the real name then saves and reads back as typed. Every page
is checked with axe-core."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.validation import BAD_NAME_START, HIDDEN_IN_NAME
from homeward.organisations.models import Organisation, Role, User
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_journey import sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
RLO = "\u202e"


@pytest.fixture
def council(transactional_db: None) -> Organisation:
    return factories.CouncilFactory(name="Northshire County Council")


def error_next_to(page: Page, label: str) -> str:
    field = page.get_by_label(label, exact=True)
    described = field.get_attribute("aria-describedby") or ""
    return " ".join(
        page.locator(f"#{name}").inner_text() for name in described.split() if "error" in name
    )


def test_a_social_worker_adding_a_disguised_child_is_told_which_field(
    page: Page, council: Organisation
) -> None:
    worker = factories.member(Role.SOCIAL_WORKER, council)
    sign_in(page, worker)
    page.goto("/children/add")
    assert_accessible(page, "the add a child page")
    page.get_by_label("First name").fill(f"Ann{RLO}naJ")
    page.get_by_label("Last name").fill("-Okafor")
    page.get_by_label("Other names the child is known by (optional)").fill("Mara\nJo\u200bhn")
    page.locator("#id_date_of_birth_day").fill("3")
    page.locator("#id_date_of_birth_month").fill("4")
    page.locator("#id_date_of_birth_year").fill("2014")
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Add the child only").click()

    hidden_first = HIDDEN_IN_NAME.format(what="First name")
    bad_last = BAD_NAME_START.format(what="Last name")
    hidden_other = HIDDEN_IN_NAME.format(what="Other names")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert all(message in summary for message in (hidden_first, bad_last, hidden_other))
    assert hidden_first in error_next_to(page, "First name")
    assert bad_last in error_next_to(page, "Last name")
    assert hidden_other in error_next_to(page, "Other names the child is known by (optional)")
    assert page.get_by_label("Last name").input_value() == "-Okafor"  # kept to correct
    assert_accessible(page, "the add a child page with name errors")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "disguised-names-refused.png"), full_page=True)
    assert not Child.objects.exists()

    page.get_by_label("First name").fill("Ann-Marie")
    page.get_by_label("Last name").fill("O'Kafor")
    page.get_by_label("Other names the child is known by (optional)").fill("Mara\n't Hooft")
    page.get_by_role("button", name="Add the child only").click()
    page.wait_for_url("**/children/*/")
    assert "Ann-Marie O'Kafor" in page.locator("h1").inner_text()
    assert_accessible(page, "the new child's record")
    child = Child.objects.get()
    assert (child.first_name, child.last_name) == ("Ann-Marie", "O'Kafor")
    assert sorted(a.name for a in child.aliases.all()) == ["'t Hooft", "Mara"]


def test_an_administrator_cannot_add_a_user_named_as_a_formula(
    page: Page, council: Organisation
) -> None:
    admin = factories.member(Role.ORG_ADMIN, council)
    sign_in(page, admin)
    page.goto("/organisation/users/add")
    assert_accessible(page, "the add a user page")
    page.get_by_label("First name").fill('=HYPERLINK("http://x","click")')
    page.get_by_label("Last name").fill("Ashby")
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_label("Username").fill("robin.ashby")
    page.get_by_label("Social worker", exact=True).check()
    page.get_by_role("button", name="Add user").click()
    assert BAD_NAME_START.format(what="First name") in error_next_to(page, "First name")
    assert_accessible(page, "the add a user page with a name error")
    assert not User.objects.filter(username="robin.ashby").exists()

    page.get_by_label("First name").fill("Robin")
    page.get_by_role("button", name="Add user").click()
    page.wait_for_load_state("load")
    assert User.objects.get(username="robin.ashby").first_name == "Robin"
    assert_accessible(page, "the page after adding a user")


def test_the_coordinator_downloads_a_trail_whose_formula_name_is_text(
    page: Page, council: Organisation
) -> None:
    from homeward.children import services as children

    child = factories.ChildFactory(responsible_council=council)
    formula_named = factories.member(Role.SOCIAL_WORKER, council)
    formula_named.first_name = '=HYPERLINK("http://x","click")'
    formula_named.save()
    stored_before = Actor.for_user(formula_named)
    children.read_child(stored_before, child.pk)
    coordinator = factories.member(Role.COUNCIL_MISSING_COORDINATOR, council)
    sign_in(page, coordinator)
    page.goto(f"/children/{child.pk}/audit-trail")
    assert_accessible(page, "who has looked at this record")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    [row] = [r for r in csv.reader(io.StringIO(text)) if "click" in ",".join(r)]
    assert row[2].startswith("'=HYPERLINK")
