"""The inbox and "who was told" in Chromium, for each role that is told of a report about a
child placed out of area; every page passes axe-core."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from homeward.children.models import WorkerAllocation
from homeward.core import clock
from homeward.core.templatetags.govuk import uk_datetime
from homeward.episodes.models import MissingFrom, ReporterType
from homeward.events.models import DomainEvent
from homeward.notifications import heartbeat
from homeward.notifications.models import Notification
from homeward.organisations.models import Role
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_journey import sign_in
from tests.notifications.conftest import drain

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def placed_away(transactional_db: None) -> dict[str, Any]:
    force_a, force_b = factories.PoliceForceFactory(), factories.PoliceForceFactory()
    council = factories.CouncilFactory(name="Marlow City Council", police_force=force_a)
    host = factories.CouncilFactory(name="Eastmere County Council", police_force=force_b)
    home = factories.CareProviderFactory(name="Heron House", area_council=host)
    child = factories.ChildFactory(responsible_council=council)
    factories.looked_after(child)
    factories.place(child, provider=home, host=host)
    worker = factories.member(Role.SOCIAL_WORKER, council)
    WorkerAllocation.objects.create(
        child=child,
        worker=worker,
        organisation=council,
        start_date=clock.now().date() - timedelta(days=30),
    )
    return {
        "child": child,
        "people": {
            "coordinator": factories.member(Role.COUNCIL_MISSING_COORDINATOR, council),
            "allocated worker": worker,
            "host social worker": factories.member(Role.SOCIAL_WORKER, host),
            "police coordinator": factories.member(Role.POLICE_MISSING_COORDINATOR, force_b),
            "home manager": factories.member(Role.CARE_MANAGER, home),
        },
        "staff": factories.actor(Role.CARE_STAFF, home),
    }


def test_everyone_told_reads_and_opens_it_and_sees_who_else_was_told(
    page: Any, placed_away: dict[str, Any]
) -> None:
    child = placed_away["child"]
    episode = factories.report(
        placed_away["staff"],
        child,
        missing_from=MissingFrom.PLACEMENT,
        reporter_type=ReporterType.HOME_STAFF,
        grade="high",
    )
    reported_at = DomainEvent.objects.get(name="episode.reported").occurred_at
    coordinator = placed_away["people"]["coordinator"]

    # Before the worker has run: the coordinator sees that nothing has gone out yet.
    sign_in(page, coordinator)
    page.goto(f"/notifications/episodes/{episode.reference}/")
    assert page.get_by_text("Notifications are not being sent at the moment").is_visible()
    assert page.get_by_role("heading", name="Waiting to be sent").is_visible()
    assert_accessible(page, "who was told, nothing sent yet")
    page.screenshot(path=str(SCREENSHOTS / "who-was-told-queued.png"), full_page=True)
    page.context.clear_cookies()

    heartbeat.start("browser-test-worker")  # a worker is alive now, and delivers
    drain(fire_due_clocks=False)
    for role, user in placed_away["people"].items():
        sign_in(page, user)
        page.goto("/notifications/")
        row = page.locator("tr", has_text=f"Reported missing: {episode.reference}")
        assert row.count() == 1, role
        text = row.inner_text()
        assert child.full_name in text, role
        assert "High risk" in text, role
        assert "Missing" in text, role
        assert uk_datetime(reported_at) in text, role
        assert page.get_by_text("Notifications are not being sent").count() == 0
        assert_accessible(page, f"the inbox of the {role}")
        if role == "host social worker":
            page.screenshot(path=str(SCREENSHOTS / "inbox-host-council.png"), full_page=True)
        row.get_by_role("button", name="Mark as read").click()
        page.wait_for_url("**/notifications/")
        reported = page.locator("tr", has_text=f"Reported missing: {episode.reference}")
        assert reported.get_by_role("button", name="Mark as read").count() == 0, role
        if role in {"coordinator", "allocated worker"}:  # and write a plan: a high-risk report
            assert page.locator("tr", has_text="Review the child's plan").count() == 1
        else:
            assert "You have no unread notifications." in page.content(), role
        page.locator("tr", has_text=episode.reference).get_by_role("button", name="Open").click()
        page.wait_for_url(f"**/episodes/{episode.reference}/")
        page.goto(f"/notifications/episodes/{episode.reference}/")
        assert_accessible(page, f"who was told, seen by the {role}")
        assert page.locator("tbody tr").count() == len(placed_away["people"])
        page.context.clear_cookies()
    page.screenshot(path=str(SCREENSHOTS / "who-was-told-read.png"), full_page=True)
    assert not Notification.objects.filter(
        read_at__isnull=True, episode_reference=episode.reference
    ).exists()
