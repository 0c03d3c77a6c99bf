"""Run axe-core in the page and fail with the list of violations."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

# GOV.UK Frontend's conditional reveal sets aria-expanded on a radio that reveals more
# questions. ARIA does not list it for radios, so axe reports it; the design system keeps it
# on purpose, because screen readers announce it (a documented known issue, alphagov/
# govuk-frontend issue 979). That finding alone, on such radios alone, is let through.
_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  const revealing = (node) => {
    const el = document.querySelector(node.target.join(' '));
    return el !== null && el.matches('input.govuk-radios__input[aria-controls]')
      && /aria-expanded/.test(node.failureSummary)
      && (node.failureSummary.match(/aria-[a-z]+=/g) || []).every(a => a === 'aria-expanded=');
  };
  const known = (v) => v.id === 'aria-allowed-attr' && v.nodes.every(revealing);
  return results.violations.filter(v => !known(v)).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}"""


def violations(page: Page) -> list[dict[str, Any]]:
    page.wait_for_load_state("load")
    found: list[dict[str, Any]] = page.evaluate(_RUN)  # what _RUN returns, as JSON
    return found


def assert_accessible(page: Page, what: str = "") -> None:
    found = violations(page)
    where = what or page.url
    lines = [
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found
    ]
    assert not found, f"axe found {len(found)} violation(s) on {where}:\n" + "\n".join(lines)
