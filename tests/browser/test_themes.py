"""The issue's themes journey in Chromium, over the demo area: the council's missing
coordinator opens the themes page, names a theme, moves one item to a new theme, links a
theme to the demo panel's decision, and the board member reads it in the board report's
"You said, we did". The manager reads a theme; the national analyst reads themes over
time, suppressed. axe-core on every page; screenshots in /tmp/shots-themes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from homeward.core import clock
from homeward.insights import counting as c
from homeward.organisations.models import User
from homeward.seed import demo
from homeward.themes.models import Theme, ThemeItem, ThemeLink
from tests.browser.test_aftercare import assert_accessible

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-themes")
DEMO_PASSWORD = "homeward-demo-2026"
SUMMARY = "Evening youth sessions opened for children who said there is nothing to do."


def _sign_in(page: Any, username: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _look(page: Any, what: str, name: str) -> None:
    assert_accessible(page, what)
    _shot(page, name)


@pytest.fixture
def demo_area(transactional_db: None) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo.load(seed=7, children=60, episodes=300)


def _coordinator(page: Any) -> Theme:
    _sign_in(page, "council.coordinator")
    page.get_by_role("link", name="Themes in what children say").first.click()
    main = page.locator("main").inner_text()
    assert "Someone to talk to who listens" in main or "Older people" in main  # the demo's
    _look(page, "the themes page", "1-themes")
    membership = User.objects.get(username="council.coordinator").active_membership()
    assert membership is not None
    theme = (
        Theme.objects.filter(council=membership.organisation, name="", merged_into=None)
        .exclude(items=None)
        .order_by("pk")
        .first()
    )
    assert theme is not None, "the demo leaves some themes to name"
    page.goto(f"/themes/{theme.pk}/")
    _look(page, "a theme's page", "2-theme")
    page.locator("#id_name-name").fill("Nothing to do in the evenings")
    page.get_by_role("button", name="Save the name").click()
    assert "Theme named" in page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Nothing to do in the evenings"
    # One item moved to a new theme of its own (a split).
    item = ThemeItem.objects.filter(theme=theme).order_by("pk").first()
    assert item is not None
    page.locator(f"#item-{item.pk}-new_name").fill("Wants a later curfew")
    page.locator(f"form[action$='/items/{item.pk}'] button").click()
    assert "the next grouping learns from it" in page.locator("main").inner_text()
    _look(page, "the new theme, after the move", "3-moved")
    item.refresh_from_db()
    assert item.confirmed
    assert item.theme is not None
    assert item.theme.name == "Wants a later curfew"
    return theme


def _link(page: Any, theme: Theme) -> None:
    page.goto(f"/themes/{theme.pk}/")
    page.get_by_role("link", name="Link this theme to what answered it").click()
    assert page.locator("#id_theme").input_value() == f"theme-{theme.pk}"
    page.get_by_label("A meeting decision").check()
    page.locator("#id_decision").select_option(index=1)
    page.locator("#id_summary").fill(SUMMARY)
    _look(page, "linking a theme", "4-link")
    page.get_by_role("button", name="Link").click()
    main = page.locator("main").inner_text()
    assert "Linked: the board report shows it" in main
    assert SUMMARY in main
    assert ThemeLink.objects.filter(theme=theme, decision__isnull=False).exists()
    page.get_by_role("button", name="Sign out").click()


def test_a_coordinator_names_corrects_links_and_the_board_reads_it(
    page: Any, demo_area: None
) -> None:
    theme = _coordinator(page)
    _link(page, theme)

    _sign_in(page, "board.member")
    year, quarter = c.quarter_of(c.local_date(clock.now()))
    page.goto(f"/insights/board/{year}/q{quarter}/")
    main = page.locator("main").inner_text()
    assert "You said, we did" in main
    assert "Nothing to do in the evenings" in main
    assert SUMMARY in main
    assert "A decision of the missing children panel" in main
    _look(page, "the board report", "5-board")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, "council.manager")
    page.goto(f"/themes/{theme.pk}/")
    assert page.get_by_role("button", name="Save the name").count() == 0  # reads only
    _look(page, "a theme as the manager reads it", "6-manager")
    page.goto("/themes/over-time")
    assert "This quarter against the four before" in page.locator("main").inner_text()
    _look(page, "themes over time", "7-over-time")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, "national.analyst")
    page.get_by_role("link", name="Themes over time").first.click()
    main = page.locator("main").inner_text()
    assert "only the standard codes are counted" in main
    assert "Nothing to do in the evenings" not in main
    _look(page, "themes over time, nationally", "8-national")
