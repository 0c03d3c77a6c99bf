"""A police call handler adds a child Homeward did not know and reports them missing in one
go; the council sees the episode. Then the pages each other role starts from: the council
confirming a child added with their council not known, a children's home, an interviewer,
a board member and a national analyst. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from homeward.children.models import Child
from homeward.core import clock
from homeward.episodes.models import Episode, EpisodeStatus
from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_journey import SCREENSHOTS, UK, fill_datetime, sign_in

pytestmark = pytest.mark.browser


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")


@pytest.fixture
def area(transactional_db: None) -> dict[str, Any]:
    force = factories.PoliceForceFactory(name="Northshire Police")
    council = factories.CouncilFactory(name="Northshire County Council", police_force=force)
    neighbour = factories.CouncilFactory(name="Rivermouth City Council", police_force=force)
    far = factories.CouncilFactory(name="Farshire Council")
    return {
        "force": force,
        "council": council,
        "neighbour": neighbour,
        "far": far,
        "handler": factories.member(
            Role.POLICE_CALL_HANDLER, force, first_name="Priya", last_name="Shah"
        ),
        "social_worker": factories.member(
            Role.SOCIAL_WORKER, council, first_name="Dan", last_name="Ortiz"
        ),
        "coordinator": factories.member(
            Role.COUNCIL_MISSING_COORDINATOR, neighbour, first_name="Ola", last_name="Berg"
        ),
    }


def fill_child(page: Any, first: str, last: str) -> None:
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Other names the child is known by (optional)").fill("Mo")
    page.locator("#id_date_of_birth_day").fill("14")
    page.locator("#id_date_of_birth_month").fill("3")
    page.locator("#id_date_of_birth_year").fill(str(clock.now().astimezone(UK).year - 13))
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Ethnicity").select_option("WBRI")
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_label("Your organisation's reference for the child (optional)").fill("NS-2207")


def fill_report(page: Any, where: str) -> None:
    page.get_by_label("Missing", exact=True).check()
    fill_datetime(page, "last_seen_at", clock.now().astimezone(UK) - timedelta(hours=2))
    page.get_by_label("Where was the child last seen?").fill(where)
    page.get_by_label("Home", exact=True).check()
    page.get_by_label("Circumstances (optional)").fill("Left after an argument at tea time")
    page.get_by_label("What was the child wearing? (optional)").fill("Black puffer jacket")
    page.get_by_label("Parent or family member").check()
    page.get_by_label("Name of the person who reported it (optional)").fill("His mother")
    page.get_by_label("Police reference (optional)").fill("NS-26-11873")
    page.get_by_label("Yes", exact=True).check()  # still missing
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Why this risk grade?").fill("Thirteen, alone at night, phone off")


def test_a_call_handler_adds_a_child_and_reports_them_missing_in_one_go(
    page: Any, area: Any
) -> None:
    sign_in(page, area["handler"])
    assert page.get_by_text("To report a child missing, find them first").is_visible()
    assert_accessible(page, "the call handler's home page")

    # Not found: add them.
    page.get_by_role("link", name="Find a child").first.click()
    page.get_by_label("Find a child").fill("Mossbank")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", name="No children found").is_visible()
    page.get_by_role("link", name="Add a child").last.click()
    assert_accessible(page, "the add a child page")
    select = page.get_by_label("Council responsible for the child")
    options = select.locator("option").all_inner_texts()
    assert options[:2] == ["Select a council", "Not known"]
    assert {"Farshire Council", "Northshire County Council", "Rivermouth City Council"} <= set(
        options
    )
    fill_child(page, "Mo", "Mossbank")
    select.select_option(label="Northshire County Council")
    shot(page, "add-a-child")
    page.get_by_role("button", name="Add the child and report them missing").click()

    # Straight on to the report.
    child = Child.objects.get(last_name="Mossbank")
    page.wait_for_url(f"**/children/{child.pk}/report-missing?added=1")
    assert page.get_by_text("Mo Mossbank has been added to Homeward.").is_visible()
    assert_accessible(page, "the report form after adding")
    fill_report(page, "Outside the chip shop on Quay Street")
    shot(page, "report-after-adding")
    page.get_by_role("button", name="Report missing").click()

    episode = Episode.objects.get(child=child)
    page.wait_for_url(f"**/episodes/{episode.reference}/")
    assert page.get_by_text(f"Episode {episode.reference} has been created").is_visible()
    assert page.get_by_text("Northshire County Council").first.is_visible()
    assert_accessible(page, "the new episode")
    shot(page, "episode-after-adding")
    assert episode.police_force == area["force"]
    assert episode.status == EpisodeStatus.MISSING
    assert child.added_by_organisation == area["force"]
    sign_out(page)

    # The council responsible sees the child missing, and the whole record.
    sign_in(page, area["social_worker"])
    assert page.get_by_role("link", name=episode.reference).is_visible()
    assert page.get_by_text("Mo Mossbank").is_visible()
    assert_accessible(page, "the council's home page")
    page.get_by_role("link", name=episode.reference).click()
    assert page.get_by_text("Outside the chip shop on Quay Street").first.is_visible()
    assert page.get_by_text("Black puffer jacket").is_visible()
    assert page.get_by_text("Recorded by Priya Shah, Northshire Police").first.is_visible()
    shot(page, "council-sees-the-episode")


def test_a_child_added_with_their_council_not_known_is_confirmed(page: Any, area: Any) -> None:
    sign_in(page, area["handler"])
    page.goto("/children/add")
    fill_child(page, "Kit", "Rowanbury")
    page.get_by_label("Council responsible for the child").select_option(label="Not known")
    page.get_by_role("button", name="Add the child only").click()
    # The force covers two councils: say which area the child is in.
    assert page.get_by_role("link", name="Select the council whose area the child is in now")
    assert_accessible(page, "the add page asking for the area")
    page.get_by_label("If the responsible council is not known").select_option(
        label="Rivermouth City Council"
    )
    page.get_by_role("button", name="Add the child only").click()
    child = Child.objects.get(last_name="Rowanbury")
    page.wait_for_url(f"**/children/{child.pk}/")
    assert page.get_by_text("(provisional: not yet confirmed)").is_visible()
    assert_accessible(page, "the child's page for the force that added them")
    sign_out(page)

    sign_in(page, area["coordinator"])
    assert page.get_by_text("added with the responsible council not known").is_visible()
    assert_accessible(page, "the coordinator's home page with a child to confirm")
    shot(page, "coordinator-home-to-confirm")
    page.get_by_role("link", name="Kit Rowanbury").click()
    assert_accessible(page, "the child's page with the confirmation")
    page.get_by_label("Which council is responsible for the child?").select_option(
        label="Rivermouth City Council (your council)"
    )
    page.get_by_role("button", name="Confirm the responsible council").click()
    assert page.get_by_text("Rivermouth City Council is confirmed as responsible").is_visible()
    child.refresh_from_db()
    assert not child.responsible_council_provisional
    assert child.responsible_council == area["neighbour"]


def test_each_role_starts_from_its_work(page: Any, area: Any) -> None:
    council = area["council"]
    home = factories.CareProviderFactory(name="Beech House", area_council=council)
    child = factories.ChildFactory(
        first_name="Rowan", last_name="Ashdown", responsible_council=council
    )
    factories.looked_after(child)
    factories.place(child, provider=home, host=council)
    rhi = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Lantern Interviews", code="RHI-7"
    )
    national = Organisation.objects.create(
        kind=OrganisationKind.NATIONAL, name="National Unit", code="NAT-7"
    )

    # Care staff: the children placed with them, each with Report missing.
    sign_in(page, factories.member(Role.CARE_STAFF, home))
    assert page.get_by_role("heading", name="Children placed with you (1)").is_visible()
    assert not page.get_by_text("To report a child missing").count()
    assert_accessible(page, "care staff's home page")
    shot(page, "care-staff-home")
    page.get_by_role("link", name="Report Rowan Ashdown missing").click()
    page.wait_for_url(f"**/children/{child.pk}/report-missing")
    sign_out(page)

    for role, org, heading, link, name in (
        (Role.RHI_WORKER, rhi, "Return interviews", "See your interviews", "rhi-home"),
        (Role.BOARD_MEMBER, council, "Board reports", "Board reports", "board-home"),
        (
            Role.NATIONAL_ANALYST,
            national,
            "Figures about children who go missing",
            "National figures",
            "national-home",
        ),
        (Role.ORG_ADMIN, council, "Administration", "Users", "admin-home"),
    ):
        sign_in(page, factories.member(role, org))
        assert page.get_by_role("heading", name=heading, level=1).is_visible(), role
        assert_accessible(page, f"the {role} home page")
        shot(page, name)
        page.locator("main a", has_text=link).first.click()
        page.wait_for_load_state("load")
        assert "/sign-in" not in page.url
        assert not page.get_by_text("You do not have permission").count(), (role, page.url)
        assert_accessible(page, f"the {role}'s first page of work")
        sign_out(page)
