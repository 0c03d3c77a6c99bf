"""A council's missing coordinator reviews a possible duplicate in Chromium: the queue,
the two records side by side with the evidence, the decision; then the child's page shows
the other record and its episode, and the record is unlinked again. axe-core finds
nothing on any page they see."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.children.models import Child
from homeward.linkage import services
from homeward.linkage.models import MatchCandidate
from homeward.organisations.models import Role
from tests import factories
from tests.browser.test_aftercare import SCREENSHOTS, assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db: None) -> dict[str, Any]:
    force = factories.PoliceForceFactory(name="Northshire Police")
    council = factories.CouncilFactory(name="Marlhaven City Council", police_force=force)
    area = factories.CouncilFactory(name="Eastwold Council", police_force=force)
    child = factories.ChildFactory(
        first_name="Tyrone",
        last_name="Holby",
        responsible_council=council,
        nhs_number="9434765919",
    )
    police_record = factories.ChildFactory(
        first_name="Tyrin",
        last_name="Holbey",
        responsible_council=area,
        responsible_council_provisional=True,
        added_by_organisation=force,
        date_of_birth=child.date_of_birth,
        nhs_number="9434765919",
    )
    officer = factories.actor(Role.POLICE_OFFICER, force)
    episode = factories.report(officer, police_record)
    candidate = services.queue_match(
        child.pk,
        police_record.pk,
        probability=0.93,
        match_weight=7.4,
        evidence=[
            {"field": "nhs_number", "label": "NHS number", "level": "Exact match", "weight": 9.1},
            {"field": "first_name", "label": "First name", "level": "Sounds alike", "weight": 2.3},
        ],
        source=MatchCandidate.Source.RUN,
    )
    assert candidate is not None
    coordinator = factories.member(Role.COUNCIL_MISSING_COORDINATOR, council)
    return {
        "child": child,
        "police_record": police_record,
        "episode": episode,
        "coordinator": coordinator,
    }


def test_a_coordinator_links_and_unlinks_two_records(page: Any, scene: dict[str, Any]) -> None:
    child: Child = scene["child"]
    sign_in(page, scene["coordinator"])
    page.get_by_role("link", name="Possible duplicate records").first.click()
    assert "1 pair is waiting for a decision" in page.content()
    assert "Holbey" not in page.content()
    assert_accessible(page, "the review queue")
    page.get_by_role("link", name="Compare").click()
    text = page.locator("main").inner_text()
    assert "Tyrone" in text
    assert "Tyrin" in text
    assert "NHS number" in text
    assert "Exact match" in text
    assert_accessible(page, "the comparison")
    page.screenshot(path=str(SCREENSHOTS / "review-pair.png"), full_page=True)

    page.get_by_role("button", name="Record the decision").click()
    assert "Select whether these records are the same child" in page.content()
    page.get_by_label("Yes, the same child").check()
    page.get_by_label("Why?").fill("Same NHS number and school; police typed the name")
    page.get_by_role("button", name="Record the decision").click()
    assert "The records are linked as one child" in page.content()

    page.goto(f"/children/{child.pk}/")
    main = page.locator("main").inner_text()
    assert "Other records of this child" in main
    assert "Eastwold Council" in main
    assert "Northshire Police" in main
    assert scene["episode"].reference in main
    assert_accessible(page, "the child's page with a linked record")
    page.screenshot(path=str(SCREENSHOTS / "linked-record.png"), full_page=True)

    page.get_by_role("link", name="Unlink this record").click()
    page.get_by_label("Why is this record not the same child?").fill("A cousin, not Tyrone")
    assert_accessible(page, "the unlink page")
    page.get_by_role("button", name="Unlink this record").click()
    assert "no longer linked" in page.content()
    assert "Other records of this child" not in page.content()
    police_record = Child.objects.get(pk=scene["police_record"].pk)
    assert police_record.person_id == police_record.own_person_id
