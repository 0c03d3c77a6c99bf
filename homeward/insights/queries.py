"""What every dashboard, board report and national table shows, read from the running
totals (tally.py): one query per scope and period fetches the totals of its months (a few
hundred rows for the nation's year), and the tables are made from them here. The cost
follows the months and groups shown, not the number of episodes. Only incidents of linked
episodes (children missing together, few) are counted from the facts themselves.

Whose figures, for when, and the totals read (``Scope``, ``Period``, ``Cube``) are in
cube.py; their names are here too, so callers use ``queries`` alone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from homeward.aftercare.codes import PullFactor, PushFactor, RiskFound
from homeward.aftercare.compliance import Compliance
from homeward.aftercare.models import InterviewStatus
from homeward.children.codes import Ethnicity, LegalStatusKind, PlacementType, Sex
from homeward.episodes.models import Classification, RiskGrade
from homeward.insights import counting as c
from homeward.insights.cube import (
    COUNCIL,
    FORCE,
    NATION,
    Cube,
    Period,
    Scope,
    _flags,
    children,
    facts,
    read_cube,
)
from homeward.insights.models import ReasonKind

__all__ = [
    "COUNCIL",
    "DIMENSIONS",
    "FORCE",
    "NATION",
    "REASON_LABELS",
    "REASON_TITLES",
    "Cube",
    "Headline",
    "Period",
    "Row",
    "Scope",
    "Table",
    "_flags",
    "area",
    "band_at_end",
    "breakdown",
    "by_month",
    "children",
    "children_total",
    "compliance",
    "continuity",
    "dashboard",
    "duration",
    "facts",
    "headline",
    "reasons",
    "repeats",
]

# --- labelled tables -----------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    episodes: int = 0
    children: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    # What is shown when small numbers are suppressed ("c"); None shows the count.
    shown_episodes: int | str | None = None
    shown_children: int | str | None = None

    @property
    def episodes_display(self) -> int | str:
        return self.episodes if self.shown_episodes is None else self.shown_episodes

    @property
    def children_display(self) -> int | str:
        return self.children if self.shown_children is None else self.shown_children


@dataclass
class Table:
    title: str
    rows: list[Row]
    total_episodes: int = 0
    total_children: int = 0
    note: str = ""
    counts_children: bool = True
    counts_episodes: bool = True
    noun: str = "episodes"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def peak(self) -> int:
        return max([r.episodes for r in self.rows] + [1])

    @property
    def peak_children(self) -> int:
        return max([r.children for r in self.rows] + [1])

    suppressed: bool = False

    @property
    def summary(self) -> str:
        """A one-line reading of the table for screen readers and print."""
        if self.counts_episodes and not self.total_episodes:
            return f"{self.title}: no episodes in this period."
        if not self.counts_episodes and not self.total_children:
            return f"{self.title}: no children in this period."
        if self.counts_episodes:
            top = max(self.rows, key=lambda r: r.episodes)
            shown, whole, noun = top.episodes_display, self.total_episodes, self.noun
        else:
            top = max(self.rows, key=lambda r: r.children)
            shown, whole, noun = top.children_display, self.total_children, "children"
        if not isinstance(shown, int) or (self.suppressed and whole < 5):
            return f"{self.title}: the numbers in each group are too small to show."
        share = round(100 * shown / whole)
        text = (
            f"{self.title}: the largest group is {top.label.lower()}, "
            f"with {shown} of {whole} {noun} ({share}%)"
        )
        if self.counts_episodes and self.counts_children and isinstance(top.children_display, int):
            text += f" and {top.children_display} of {self.total_children} children"
        return text + "."


def _labels(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in choices]


DIMENSIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "age_band": ("Age at the start", [(k, lbl) for k, lbl, _a, _b in c.AGE_BANDS]),
    "sex": ("Sex", _labels(Sex.choices)),
    "ethnicity": ("Ethnicity", _labels(Ethnicity.choices)),
    "legal_status": ("Legal status on the day", _labels(LegalStatusKind.choices)),
    "placement_type": (
        "Placement type",
        [(c.NO_PLACEMENT, "Not in a placement"), *_labels(PlacementType.choices)],
    ),
    "risk_grade": ("Risk grade", _labels(RiskGrade.choices)),
    "classification": ("Missing or away (at the end)", _labels(Classification.choices)),
}


def breakdown(scope: Scope, period: Period, dimension: str, cube: Cube | None = None) -> Table:
    title, labels = DIMENSIONS[dimension]
    data = read_cube(scope, period, cube)
    episodes = data.episodes(dimension)
    kids = data.children(dimension)
    rows = [
        Row(key, label, episodes.get(key, 0), kids.get(key, 0))
        for key, label in labels
        if episodes.get(key) or dimension in {"age_band", "sex", "risk_grade", "classification"}
    ]
    known = {k for k, _ in labels}
    rows.extend(
        Row(key, key or "Not recorded", episodes[key], kids.get(key, 0))
        for key in sorted(set(episodes) - known)
    )
    return Table(title, rows, sum(episodes.values()), sum(kids.values()))


def by_month(scope: Scope, period: Period, cube: Cube | None = None) -> Table:
    data = read_cube(scope, period, cube)
    rows = []
    for m in period.months:
        sums = data.months.get(m, [0, 0, 0, 0, 0])
        rows.append(Row(m.isoformat(), m.strftime("%B %Y"), sums[0], sums[1]))
    episodes, kids = data.counted()
    table = Table("Episodes by month", rows, episodes, kids)
    table.note = "A child missing in several months is counted once in each month."
    return table


def children_total(scope: Scope, period: Period, cube: Cube | None = None) -> int:
    return read_cube(scope, period, cube).counted()[1]


def band_at_end(value: str, end: date) -> tuple[str, bool]:
    """A ``duration`` total's value ("band|month of return") as at the end of a period
    ending before ``end``: (band, returned by then). Not back by the end is "open"."""
    band, _, returned = value.partition("|")
    if not returned or date.fromisoformat(returned) >= end:
        return c.OPEN, False
    return band, True


def duration(scope: Scope, period: Period, cube: Cube | None = None) -> Table:
    """Duration bands: measured to the return, or 'open' if not back by the period end."""
    data = read_cube(scope, period, cube)
    counts: Counter[str] = Counter()
    kids: Counter[str] = Counter()  # each child once, in the band of their first episode
    returned = seconds = 0
    for value, sums in data.values("duration").items():
        band, back = band_at_end(value, period.end)
        counts[band] += sums[0]
        kids[band] += sums[data.child_index]
        if back:
            returned += sums[0]
            seconds += sums[4]
    rows = [Row(k, lbl, counts.get(k, 0), kids.get(k, 0)) for k, lbl in c.DURATION_BANDS]
    within_24 = counts.get("lt24h", 0)
    within_48 = within_24 + counts.get("24-48h", 0)
    table = Table("Time missing", rows, sum(counts.values()), sum(kids.values()))
    table.note = "A child is counted once, in the band of their first episode in the period."
    table.extra = {
        "mean_hours": round(seconds / 3600 / returned, 1) if returned else None,
        "returned": returned,
        "within_24h": within_24,
        "within_48h": within_48,
        "within_48h_share": Compliance.share(within_48, returned),
    }
    return table


def repeats(scope: Scope, period: Period, cube: Cube | None = None) -> Table:
    data = read_cube(scope, period, cube)
    counts: Counter[str] = Counter()
    for episodes, _changes, number in data.by_n():
        counts[c.repeat_band(episodes)] += number
    rows = [Row(k, lbl, 0, counts.get(k, 0)) for k, lbl, _a, _b in c.REPEAT_BANDS]
    table = Table(
        "Children by number of episodes", rows, 0, sum(counts.values()), counts_episodes=False
    )
    repeat_children = sum(counts.get(k, 0) for k, _l, low, _h in c.REPEAT_BANDS if low >= 3)
    table.extra = {
        "repeat_children": repeat_children,
        "repeat_share": Compliance.share(repeat_children, table.total_children),
        "rolling_children": data.children("rolling").get("", 0),
    }
    return table


def area(scope: Scope, period: Period, cube: Cube | None = None) -> Table:
    """In and out of area: for a council, its children placed outside its area; for a
    force, episodes of children from councils it does not cover; for the nation, both."""
    data = read_cube(scope, period, cube)
    episodes, kids = data.episodes("area"), data.children("area")
    if scope.kind == FORCE:
        groups = [
            ("own", "Children of councils in this force's area"),
            ("visiting", "Children of other councils"),
        ]
        title = "Whose children go missing in this area"
    else:
        groups = [
            ("in", "Placed in the council's own area, or living at home"),
            ("out", "Placed out of area"),
        ]
        title = "In and out of area"
    rows = [Row(k, label, episodes.get(k, 0), kids.get(k, 0)) for k, label in groups]
    return Table(title, rows, sum(r.episodes for r in rows), sum(r.children for r in rows))


def compliance(scope: Scope, period: Period, cube: Cube | None = None) -> Compliance:
    """homeward/aftercare/compliance.py's rules over the facts: the returns in the period
    (by the time of the return), each with its check and its covering interview."""
    data = read_cube(scope, period, cube)
    done = str(InterviewStatus.DONE)
    accepted = {str(InterviewStatus.ACCEPTED), done}
    figures: Counter[str] = Counter()
    for value, sums in data.values("compliance").items():
        check, interview, offered, within = value.split("|")
        n = sums[0]
        figures["returns"] += n
        figures["check_done"] += n if check == "done" else 0
        figures["check_not_done"] += n if check == "not_done" else 0
        figures["offered"] += n if offered == "1" else 0
        figures["accepted"] += n if interview in accepted else 0
        figures["done"] += n if interview == done else 0
        figures["within"] += n if interview == done and within == "1" else 0
        figures["declined"] += n if interview == InterviewStatus.DECLINED else 0
        figures["not_offered"] += n if interview == InterviewStatus.NOT_OFFERED else 0
    return Compliance(
        returns=figures["returns"],
        check_done=figures["check_done"],
        check_not_done=figures["check_not_done"],
        interview_offered=figures["offered"],
        interview_accepted=figures["accepted"],
        interview_done=figures["done"],
        interview_done_within_72h=figures["within"],
        interview_declined=figures["declined"],
        interview_not_offered=figures["not_offered"],
    )


REASON_LABELS: dict[str, dict[str, str]] = {  # by ReasonKind value
    ReasonKind.PUSH: dict(_labels(PushFactor.choices)),
    ReasonKind.PULL: dict(_labels(PullFactor.choices)),
    ReasonKind.RISK: dict(_labels(RiskFound.choices)),
}
REASON_TITLES: dict[str, str] = {
    ReasonKind.PUSH: "Push factors (why children left)",
    ReasonKind.PULL: "Pull factors (what drew them away)",
    ReasonKind.RISK: "Risks found in return interviews",
}


def reasons(scope: Scope, period: Period, kind: str, cube: Cube | None = None) -> Table:
    """Counts of done return interviews naming each reason (an interview can name several),
    for interviews whose first episode started in the period."""
    data = read_cube(scope, period, cube)
    counts = data.episodes(str(kind))
    kids = data.children(str(kind))
    labels = REASON_LABELS[kind]
    rows = sorted(
        (Row(k, labels.get(k, k), counts[k], kids.get(k, 0)) for k in counts),
        key=lambda r: (-r.episodes, r.label),
    )
    interviews = data.episodes("interviews").get(str(kind), 0)
    table = Table(REASON_TITLES[kind], rows, interviews, counts_children=False, noun="interviews")
    table.note = f"From {interviews} return interviews that named at least one."
    return table


def continuity(scope: Scope, period: Period, cube: Cube | None = None) -> Table:
    """Worker continuity beside repeat missing: for children with 1, 2 or 3+ episodes,
    how many had a change of allocated worker in the period, and the average."""
    data = read_cube(scope, period, cube)
    groups: dict[str, list[int]] = {"1": [], "2": [], "3+": []}
    for episodes, changes, number in sorted(data.by_n()):
        key = "3+" if episodes >= 3 else str(episodes)
        groups[key].extend([changes] * number)
    labels = {"1": "1 episode", "2": "2 episodes", "3+": "3 or more episodes (repeat)"}
    rows = []
    for key, values in groups.items():
        changed = sum(1 for v in values if v > 0)
        extra = {
            "changed": changed,
            "changed_share": Compliance.share(changed, len(values)),
            "mean_changes": round(sum(values) / len(values), 2) if values else None,
        }
        rows.append(Row(key, labels[key], 0, len(values), extra))
    return Table(
        "Changes of allocated worker, beside repeat missing",
        rows,
        0,
        sum(r.children for r in rows),
        counts_episodes=False,
    )


@dataclass
class Headline:
    episodes: int
    children: int
    incidents: int
    repeat_children: int
    open_now: int


def headline(scope: Scope, period: Period, cube: Cube | None = None) -> Headline:
    data = read_cube(scope, period, cube)
    episodes, kids = data.counted()
    # Linked episodes (children missing together) count once per incident: few, so they
    # are counted from the facts (on a partial index); every other episode is an incident.
    linked = facts(scope, period).filter(linked=True).values("incident_key").distinct().count()
    open_now = sum(v[0] for k, v in data.values("duration").items() if k.startswith("open|"))
    return Headline(
        episodes=episodes,
        children=kids,
        incidents=data.episodes("solo").get("", 0) + linked,
        repeat_children=sum(n for e, _w, n in data.by_n() if e >= c.REPEAT_EPISODES),
        open_now=open_now,
    )


def dashboard(scope: Scope, period: Period) -> dict[str, Any]:
    """Everything one dashboard shows (from one read of the running totals)."""
    cube = Cube(scope, period)
    return {
        "headline": headline(scope, period, cube),
        "months": by_month(scope, period, cube),
        "breakdowns": [breakdown(scope, period, d, cube) for d in DIMENSIONS],
        "duration": duration(scope, period, cube),
        "repeats": repeats(scope, period, cube),
        "area": area(scope, period, cube),
        "compliance": compliance(scope, period, cube),
        "reasons": [
            reasons(scope, period, k, cube)
            for k in (ReasonKind.PUSH, ReasonKind.PULL, ReasonKind.RISK)
        ],
        "continuity": continuity(scope, period, cube),
    }
