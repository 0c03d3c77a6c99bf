"""Run axe-core in the page and fail with the list of violations."""

from __future__ import annotations

from typing import Any

_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}"""


def violations(page: Any) -> list[dict[str, Any]]:
    page.wait_for_load_state("load")
    return page.evaluate(_RUN)


def assert_accessible(page: Any, what: str = "") -> None:
    found = violations(page)
    where = what or page.url
    lines = [
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found
    ]
    assert not found, f"axe found {len(found)} violation(s) on {where}:\n" + "\n".join(lines)
