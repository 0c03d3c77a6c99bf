"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server, with axe-core checking every page for accessibility failures.

No Chromium: the tests are skipped with a line in the summary, unless
HOMEWARD_REQUIRE_BROWSER=1 (CI sets it), when they fail instead."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "homeward" / "static" / "dist"
AXE_SOURCES = [
    ROOT / "node_modules" / "axe-core" / "axe.min.js",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = "no Chromium found (install Debian's chromium)"
_skipped: list[str] = []


def find_chromium() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped:
        terminalreporter.write_line(f"Browser tests SKIPPED: {NO_CHROMIUM}", yellow=True)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("HOMEWARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"HOMEWARD_REQUIRE_BROWSER=1 but {NO_CHROMIUM}", pytrace=False)
        _skipped.append(NO_CHROMIUM)
        pytest.skip(NO_CHROMIUM)
    return path


@pytest.fixture(scope="session")
def static_built() -> None:
    missing = [p for p in (DIST / "css" / "app.css", DIST / "js" / "app.mjs") if not p.exists()]
    if missing:
        pytest.fail(
            "The front end is not built (missing "
            + ", ".join(str(p.relative_to(ROOT)) for p in missing)
            + "): run `make static`, or `npm ci && npm run build`, first",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def axe_source() -> str:
    for path in AXE_SOURCES:
        if path.exists():
            return path.read_text(encoding="utf-8")
    try:
        import axe_playwright_python

        return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    except (ImportError, OSError):
        pytest.fail("axe-core is not installed: run `npm ci`", pytrace=False)


@pytest.fixture(scope="package")
def allow_orm_beside_event_loop() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    make for set-up and checks are still synchronous and safe. Only while these tests run:
    left set, it would leak into ``check --deploy`` run by later tests."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="package")
def browser(
    chromium_path: str, static_built: None, allow_orm_beside_event_loop: None
) -> Iterator[Any]:
    """One Chromium for the browser tests, closed with Playwright's event loop once they
    are done, so the tests after them run as usual."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageProblems:
    """Console errors (a Content Security Policy refusal, say) and uncaught exceptions."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def page_error(self, error: Any) -> None:
        self.errors.append(str(error))


@pytest.fixture(autouse=True)
def clicks_wait_for_the_next_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a click, wait until the page it led to has loaded (at once when it led
    nowhere), so that what a test reads next is the new page, not the old one: under load,
    a title read straight after a click was once the previous page's."""
    click = Locator.click

    def click_and_wait(self: Locator, *args: Any, **kwargs: Any) -> None:
        click(self, *args, **kwargs)
        self.page.wait_for_load_state()

    monkeypatch.setattr(Locator, "click", click_and_wait)


@pytest.fixture
def page(browser: Any, axe_source: str, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    # Injected by the browser itself, so the strict Content Security Policy does not apply.
    context.add_init_script(script=axe_source)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = PageProblems()
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    page.problems = problems
    yield page
    context.close()
    assert not problems.errors, f"Errors in the browser console: {problems.errors}"
