"""Who goes missing with whom, in Chromium: a social worker opens a child's page, follows
"Who Amy goes missing with", and reads the graph drawn on the server, the pairs table and
the over-time table; the council's groups page from the home page. axe-core finds nothing
on either page, and both work with JavaScript turned off."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.organisations.models import Role
from tests import factories
from tests.browser.test_aftercare import SCREENSHOTS, assert_accessible, sign_in, sign_out
from tests.safeguarding import factories_peers as fp

pytestmark = pytest.mark.browser


@pytest.fixture
def peers(transactional_db: None) -> fp.PeerWorld:
    w = fp.world()
    factories.place(w.dee, host=w.council)  # the council sees every child of the group
    return w


def read_the_group(page: Any, w: fp.PeerWorld, *, axe: bool = True) -> None:
    page.goto(f"/children/{w.amy.pk}/")
    page.get_by_role("link", name="Who Amy goes missing with").click()
    page.wait_for_url(f"**/children/{w.amy.pk}/peers")
    graph = page.get_by_role("img", name="Who goes missing with whom")
    assert graph.is_visible()
    assert page.locator("svg.app-peers__graph g.app-peers__child").count() == 4
    pairs = page.locator("#pairs tbody tr")
    assert pairs.count() == 4
    assert pairs.nth(0).inner_text().split("\t")[:3] == ["Amy Tester", "Ben Tester", "3"]
    over_time = page.locator("#over-time tbody tr")
    assert over_time.nth(0).inner_text().split("\t") == ["2026 Q1", "2", "1", "1", "0", "4"]
    if axe:
        assert_accessible(page, "the peer group")


def test_a_social_worker_reads_who_a_child_goes_missing_with(
    page: Any, peers: fp.PeerWorld
) -> None:
    worker = factories.member(Role.SOCIAL_WORKER, peers.council)
    sign_in(page, worker)
    read_the_group(page, peers)
    page.screenshot(path=str(SCREENSHOTS / "peers.png"), full_page=True)
    page.goto("/")
    page.get_by_role("link", name="Children who go missing together").click()
    assert page.get_by_role("heading", name="Group 1").is_visible()
    assert page.locator("#group-1-pairs tbody tr").count() == 4
    assert_accessible(page, "the council's groups")
    page.screenshot(path=str(SCREENSHOTS / "peer-groups.png"), full_page=True)
    sign_out(page)


def test_the_peer_pages_work_without_javascript(
    browser: Any, live_server: Any, peers: fp.PeerWorld
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, factories.member(Role.COUNCIL_MISSING_COORDINATOR, peers.council))
        read_the_group(page, peers, axe=False)
        page.goto("/peers/groups")
        assert page.locator("#group-1-over-time tbody tr").count() == 2
    finally:
        context.close()
