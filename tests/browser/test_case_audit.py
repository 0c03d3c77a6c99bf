"""The issue's journey in Chromium, over the demo area: the council's missing coordinator
draws a sample of ten of the council's episodes, audits all ten (a judgement and a note on
every question of the standard, beside the evidence from the record) and reads the report,
with this audit against the demo's earlier one. axe-core on every kind of page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from homeward.case_audits.models import CaseAudit, CaseJudgement
from homeward.case_audits.standard import KEYS
from homeward.seed import demo
from tests.browser.test_aftercare import assert_accessible

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-case-audit")
DEMO_PASSWORD = "homeward-demo-2026"
CHOICES = ("met", "partly", "not_met", "na")


def _sign_in(page: Any, username: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def demo_area(transactional_db: None) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo.load(seed=7, children=40, episodes=200)


def _draw(page: Any) -> CaseAudit:
    page.get_by_role("link", name="Case audits", exact=True).first.click()
    assert_accessible(page, "the list of case audits")
    _shot(page, "1-list")
    page.get_by_role("button", name="Draw a new sample").click()
    page.get_by_label("Title").fill("Coordinator's audit of ten episodes")
    page.get_by_label("Episodes").check()
    page.get_by_label("How many cases").fill("10")
    page.get_by_label("Looked after or not").check()
    page.get_by_label("Seed (optional)").fill("1234")
    assert_accessible(page, "drawing a sample")
    _shot(page, "2-new")
    page.get_by_role("button", name="Draw the sample").click()
    assert "Sample drawn: 10 cases" in page.locator("main").inner_text()
    audit = CaseAudit.objects.get(title="Coordinator's audit of ten episodes")
    assert audit.seed == 1234
    assert audit.cases.count() == 10
    assert_accessible(page, "the sample")
    _shot(page, "3-sample")
    return audit


def _judge_all(page: Any, audit: CaseAudit) -> dict[str, dict[str, int]]:
    chosen: dict[str, dict[str, int]] = {k: dict.fromkeys(CHOICES, 0) for k in KEYS}
    page.get_by_role("link", name="Case 1", exact=True).click()
    for n in range(10):
        main = page.locator("main").inner_text()
        assert "Evidence from the record" in main
        assert "The record suggests" in main
        for q, key in enumerate(KEYS):
            choice = CHOICES[(n + q) % len(CHOICES)]
            page.locator(f"input[name='{key}-judgement'][value='{choice}']").check()
            page.locator(f"#id_{key}-note").fill(f"Case {n + 1}, question {q + 1}: {choice}")
            chosen[key][choice] += 1
        if n == 0:
            assert_accessible(page, "a case, its evidence and the judgement form")
            _shot(page, "4-case")
        page.get_by_role("button", name="Save the judgements").click()
        assert "judged" in page.locator("main").inner_text()
    assert CaseJudgement.objects.filter(case__audit=audit).count() == 10 * len(KEYS)
    assert CaseJudgement.objects.filter(case__audit=audit, note="").count() == 0
    return chosen


def test_the_coordinator_audits_ten_demo_cases_and_reads_the_report(
    page: Any, demo_area: None
) -> None:
    _sign_in(page, "council.coordinator")
    audit = _draw(page)
    chosen = _judge_all(page, audit)
    # After the last case: back to the sample, every case judged.
    assert "10 of 10" in page.locator("main").inner_text()
    page.get_by_role("link", name="Read the report").click()
    main = page.locator("main").inner_text()
    assert "10 of 10 cases judged" in main
    risk = page.locator("table").first.inner_text()
    assert f"Met\t{chosen['risk']['met']}" in risk
    assert f"Not met\t{chosen['risk']['not_met']}" in risk
    earlier = CaseAudit.objects.exclude(pk=audit.pk).filter(council=audit.council)
    for other in earlier:
        assert other.title in main  # compared with the council's earlier audits
    assert page.locator("svg.app-chart").count() == (1 if earlier.exists() else 0)
    assert_accessible(page, "the report")
    _shot(page, "5-report")
    page.get_by_role("button", name="Sign out").click()
