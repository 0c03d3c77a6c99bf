"""The child's own account, as its users see it: a return interview worker gives the
child a link (desktop); the child opens it on a phone-sized screen (375 x 667), sends it
empty and sees the errors, fills every field, chooses "My worker" and sends it; the link
then does not open again; the worker reads the child's words on the interview page, and
records that the child withdrew their consent. axe-core finds nothing on any page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import OwnAccount, ReturnInterview
from homeward.core import clock
from homeward.episodes import services as episodes
from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PageProblems

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 375, "height": 667}
WHAT_HAPPENED = "I did not want to go back because of the arguing, so I stayed at a friend's."
WHAT_WOULD_HELP = "Someone to talk to at school, and my carer listening to me."


@pytest.fixture
def scene(transactional_db: None) -> dict[str, Any]:
    council = factories.CouncilFactory(name="Northshire County Council")
    provider = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Harbour Return Interviews", code="RHI-B"
    )
    child = factories.ChildFactory(
        first_name="Rowan", last_name="Ashdown", responsible_council=council
    )
    sw = factories.actor(Role.SOCIAL_WORKER, council)
    episode = factories.report(sw, child, hours_ago=9)
    episodes.record_return(
        sw,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=clock.now() - timedelta(hours=3), return_method="returned_self"
        ),
    )
    interview = ReturnInterview.objects.get(child=child)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    aftercare.assign_provider(coordinator, interview.pk, provider.pk)
    worker = factories.member(Role.RHI_WORKER, provider, first_name="Priya", last_name="Shah")
    return {"interview": interview, "worker": worker}


@pytest.fixture
def phone(browser: Any, axe_source: str, live_server: Any) -> Iterator[Any]:
    """A phone of the child's own: its own cookies, a small screen, touch."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.add_init_script(script=axe_source)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = PageProblems()
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    yield page
    context.close()
    # A used link answers 404 on purpose (the same as a wrong one): Chromium logs that.
    errors = [e for e in problems.errors if "status of 404" not in e]
    assert not errors, f"Errors in the child's browser console: {errors}"


def sign_in(page: Any, user: Any) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"own-account-{name}.png"), full_page=True)


def test_the_child_gives_their_account_and_the_worker_reads_it(
    page: Any, phone: Any, scene: dict[str, Any]
) -> None:
    interview = scene["interview"]
    sign_in(page, scene["worker"])
    page.goto(f"/aftercare/interviews/{interview.pk}/")
    page.get_by_role("link", name="Give the child a link for their own account").click()
    assert_accessible(page, "the worker's page giving a link")
    page.get_by_label("How long should the link work?").select_option("3")
    page.get_by_role("button", name="Make the link").click()
    assert page.get_by_text("You will not see this link again").is_visible()
    assert page.get_by_role("img", name="QR code of the child's link").is_visible()
    assert_accessible(page, "the link, shown once")
    shot(page, "1-link-given")
    link = page.locator("#own-account-link").input_value()
    path = urlsplit(link).path
    assert path.startswith("/your-account/")

    # The child, on their phone.
    phone.goto(path)
    phone.wait_for_url("**/your-account/")
    body = phone.content()
    assert "Rowan" not in body
    assert "Ashdown" not in body
    assert phone.locator(".govuk-service-navigation__list").count() == 0
    assert_accessible(phone, "the child's form")
    shot(phone, "2-child-form")
    phone.get_by_role("button", name="Send").click()
    assert phone.title().startswith("Error:")
    assert (
        phone.locator(".govuk-error-summary")
        .get_by_text("Choose who can read what you wrote")
        .is_visible()
    )
    assert_accessible(phone, "the child's form with errors")
    shot(phone, "3-child-form-errors")
    phone.get_by_label("What happened?").fill(WHAT_HAPPENED)
    phone.get_by_label("What would help you?").fill(WHAT_WOULD_HELP)
    phone.get_by_label("My worker").check()
    phone.get_by_role("button", name="Send").click()
    assert phone.get_by_role("heading", name="Thank you").is_visible()
    assert phone.get_by_text("Your worker will read what you wrote.").is_visible()
    assert_accessible(phone, "the child's thank-you page")
    shot(phone, "4-child-thanks")
    # Used once: the link does not open again, and the page says what to do.
    phone.goto(path)
    assert phone.get_by_role("heading", name="This link cannot be used").is_visible()
    assert_accessible(phone, "a used link")
    shot(phone, "5-link-used")

    # The worker reads it back.
    page.goto(f"/aftercare/interviews/{interview.pk}/")
    section = page.locator("#own-account + dl")
    assert section.get_by_text(WHAT_HAPPENED).is_visible()
    assert section.get_by_text(WHAT_WOULD_HELP).is_visible()
    assert_accessible(page, "the interview page with the child's account")
    shot(page, "6-worker-reads")
    page.get_by_role("link", name="Record that the child withdrew their consent").click()
    assert_accessible(page, "the withdrawal form")
    page.get_by_role("button", name="Withdraw consent").click()
    assert (
        page.locator(".govuk-error-summary")
        .get_by_text("Select how the child told you")
        .is_visible()
    )
    page.get_by_label("By phone").check()
    page.get_by_role("button", name="Withdraw consent").click()
    assert page.get_by_text("The child's consent has been withdrawn").is_visible()
    assert page.get_by_text(WHAT_HAPPENED).count() == 0
    assert_accessible(page, "the interview page after the withdrawal")
    shot(page, "7-withdrawn")
    account = OwnAccount.objects.get(interview=interview)
    assert account.withdrawal_method == "phone"
    assert account.what_happened == ""
