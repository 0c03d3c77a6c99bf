""" "You said, we did" in the board report: each theme the council's coordinator linked to
what answered it (a meeting decision, a meeting action, a plan action), with how often
the theme came up this quarter against the four before, and what was done, in the
coordinator's summary written for the board. No child's words and no identities: the
theme's name or code, counts, the kind and date of the meeting, the summary.

A link shows in the report of every quarter up to the end of which it had been made
(answered on or before the quarter's last day), newest first, at most ``MAX_LINKS``."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from homeward.insights import trends
from homeward.insights.cube import Period, Scope
from homeward.organisations.models import Organisation
from homeward.themes import coded
from homeward.themes.models import LinkKind, ThemeLink

MAX_LINKS = 10


def _counts(scope: Scope, periods: list[Period]) -> dict[str, list[int]]:
    """Theme key ("theme-12", "push:conflict_home") -> interviews in each quarter."""
    seen: dict[str, list[set[int]]] = defaultdict(lambda: [set() for _ in periods])
    for family in trends.families_for(scope):
        for m in trends.mentions(scope, family, periods[0].start, periods[-1].end):
            key = f"{family}:{m.theme}" if family in trends.CODED else f"theme-{m.theme}"
            index = next(n for n, p in enumerate(periods) if p.start <= m.start_date < p.end)  # type: ignore[operator]
            seen[key][index].add(m.interview_id)
    return {key: [len(s) for s in sets] for key, sets in seen.items()}


def _answer(link: ThemeLink) -> str:
    if link.kind == LinkKind.PLAN:
        return "An action in a child's risk management plan"
    meeting = (
        link.decision.meeting if link.decision else link.action.meeting if link.action else None
    )
    what = "A decision" if link.kind == LinkKind.DECISION else "An action"
    if meeting is None:
        return what
    return (
        f"{what} of the {meeting.get_kind_display().lower()} of {meeting.scheduled_for:%-d %B %Y}"
    )


def you_said_we_did(council: Organisation, period: Period) -> list[dict[str, Any]]:
    scope = Scope.of(council)
    periods = trends.quarters_to(period)
    links = list(
        ThemeLink.objects.filter(council=council, answered_on__lt=period.end)
        .select_related("theme__merged_into", "decision__meeting", "action__meeting")
        .order_by("-answered_on", "-pk")[:MAX_LINKS]
    )
    if not links:
        return []
    counts = _counts(scope, periods)
    out = []
    for link in links:
        if link.theme is not None:
            theme = link.theme.merged_into or link.theme
            key, label = f"theme-{theme.pk}", theme.label
        else:
            key = f"{link.coded_kind}:{link.coded_code}"
            label = coded.label(link.coded_kind, link.coded_code)
        series = counts.get(key, [0] * len(periods))
        out.append(
            {
                "theme": label,
                "this_quarter": series[-1],
                "earlier_average": round(sum(series[:-1]) / (len(series) - 1), 1),
                "direction": trends.direction(series),
                "answer": _answer(link),
                "summary": link.summary,
                "answered_on": link.answered_on.isoformat(),
            }
        )
    return out
