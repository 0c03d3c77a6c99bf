"""Themes over time: how often each theme came up in return interviews, quarter by
quarter, for a council, a force or the nation, by the child's characteristics, with this
quarter against the four before it. Counted straight from the facts (ReasonFact, refreshed
in every change's transaction) and the theme items, so a figure always equals a recount.

Themes come in families:

- ``push``, ``pull``, ``risk``: the standard codes an interview records (one count per
  done interview that names the code; ReasonFact);
- ``said`` and ``help``: the council's free-text themes of what children said happened,
  and of what they said would help (one count per done interview with words in the
  theme; homeward.themes). Free-text themes are a council's own: the nation and a force
  see the standard codes only.

An interview belongs to the quarter, council and force of the first episode it covers,
and has that episode's characteristics (age band, sex, placement type, in or out of
area) as its facts record them. docs/counting-rules.md ("Themes over time") states the
rules; outside the owning council every table is suppressed as the national tables are."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from homeward.aftercare.models import InterviewStatus, ReturnInterview
from homeward.insights import counting as c
from homeward.insights import suppression
from homeward.insights.cube import COUNCIL, Period, Scope
from homeward.insights.models import EpisodeFact, ReasonFact
from homeward.insights.queries import DIMENSIONS, REASON_LABELS
from homeward.themes.models import Theme, ThemeItem

EARLIER = 4  # this quarter against the four before it
FAMILIES: dict[str, str] = {
    "push": "Push factors (why children left)",
    "pull": "Pull factors (what drew them away)",
    "risk": "Risks found",
    "said": "What children said happened (themes in their words)",
    "help": "What children said would help (themes in their words)",
}
CODED = ("push", "pull", "risk")
FREE_SOURCES = {"said": ("child_account", "factors_detail"), "help": ("what_would_help",)}
BREAKDOWNS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "age_band": DIMENSIONS["age_band"],
    "sex": DIMENSIONS["sex"],
    "placement_type": DIMENSIONS["placement_type"],
    "area": ("In or out of area", [("in", "In area or at home"), ("out", "Placed out of area")]),
}
# A change is "up" or "down" only when this quarter differs from the earlier quarters'
# average by at least a fifth and by at least two interviews; otherwise "about the same".
CHANGE_SHARE = 0.2
CHANGE_MIN = 2


@dataclass(frozen=True)
class Mention:
    """One interview naming one theme: what is counted."""

    interview_id: int
    theme: str
    start_date: object
    episode_id: int | None


def _first_episodes(interview_ids: Iterable[int]) -> dict[int, int]:
    through = ReturnInterview.episodes.through
    out: dict[int, int] = {}
    rows = (
        through.objects.filter(returninterview_id__in=sorted(set(interview_ids)))
        .order_by("returninterview_id", "episode__last_seen_at", "episode_id")
        .values_list("returninterview_id", "episode_id")
    )
    for interview_id, episode_id in rows:
        out.setdefault(interview_id, episode_id)
    return out


def _coded(scope: Scope, family: str, since: object, until: object) -> list[Mention]:
    rows = list(
        ReasonFact.objects.filter(
            scope.where(), kind=family, start_date__gte=since, start_date__lt=until
        )
        .values_list("interview_id", "code", "start_date")
        .distinct()
    )
    firsts = _first_episodes(r[0] for r in rows)
    return [Mention(i, code, day, firsts.get(i)) for i, code, day in rows]


def _free(scope: Scope, family: str, since: object, until: object) -> list[Mention]:
    if scope.kind != COUNCIL:
        return []
    items = list(
        ThemeItem.objects.filter(
            council=scope.organisation,
            theme__isnull=False,
            theme__merged_into=None,
            source__in=FREE_SOURCES[family],
            interview__status=InterviewStatus.DONE,
            episode_id__isnull=False,
        ).values_list("interview_id", "theme_id", "episode_id")
    )
    starts = dict(
        EpisodeFact.objects.filter(
            episode_id__in={e for _i, _t, e in items}, start_date__gte=since, start_date__lt=until
        ).values_list("episode_id", "start_date")
    )
    found = {(i, str(t), e) for i, t, e in items if e in starts}
    return [Mention(i, t, starts[e], e) for i, t, e in sorted(found)]


def mentions(scope: Scope, family: str, since: object, until: object) -> list[Mention]:
    return (_coded if family in CODED else _free)(scope, family, since, until)


def labels(scope: Scope, family: str) -> dict[str, str]:
    if family in CODED:
        return dict(REASON_LABELS[family])
    if scope.kind != COUNCIL:
        return {}
    return {
        str(t.pk): t.label
        for t in Theme.objects.filter(council=scope.organisation, merged_into=None)
    }


@dataclass
class TrendRow:
    key: str
    label: str
    counts: list[int]  # oldest quarter first; the last is this quarter
    shown: list[int | str] = field(default_factory=list)
    direction: str = ""  # "up", "down", "same", or "" (not shown)

    @property
    def current(self) -> int | str:
        return self.shown[-1]

    @property
    def earlier_average(self) -> float:
        earlier = self.counts[:-1]
        return round(sum(earlier) / len(earlier), 1) if earlier else 0.0


@dataclass
class TrendTable:
    family: str
    title: str
    quarters: list[str]
    rows: list[TrendRow]
    suppressed: bool = False
    totals: list[int | str] = field(default_factory=list)

    @property
    def peak(self) -> int:
        return max([n for r in self.rows for n in r.shown if isinstance(n, int)] + [1])

    @property
    def summary(self) -> str:
        rising = [r.label for r in self.rows if r.direction == "up"]
        falling = [r.label for r in self.rows if r.direction == "down"]
        if not self.rows:
            return f"{self.title}: none recorded in these quarters."
        parts = [f"{self.title}, {self.quarters[0]} to {self.quarters[-1]}."]
        parts.append(
            f"Up this quarter: {', '.join(rising)}." if rising else "None is up this quarter."
        )
        if falling:
            parts.append(f"Down: {', '.join(falling)}.")
        return " ".join(parts)


def quarters_to(period: Period) -> list[Period]:
    out = [period]
    while len(out) <= EARLIER:
        out.insert(0, out[0].previous())
    return out


def direction(counts: list[int]) -> str:
    *earlier, current = counts
    average = sum(earlier) / len(earlier) if earlier else 0.0
    difference = current - average
    if abs(difference) >= CHANGE_MIN and abs(difference) >= CHANGE_SHARE * average:
        return "up" if difference > 0 else "down"
    return "same"


def trend(scope: Scope, period: Period, family: str, suppress: bool = False) -> TrendTable:
    """Each theme of the family: its count in this quarter and the four before."""
    periods = quarters_to(period)
    found = mentions(scope, family, periods[0].start, periods[-1].end)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(periods))
    for m in found:
        index = next(n for n, p in enumerate(periods) if p.start <= m.start_date < p.end)  # type: ignore[operator]
        counts[m.theme][index] += 1
    names = labels(scope, family)
    rows = sorted(
        (TrendRow(k, names.get(k, k), v) for k, v in counts.items()),
        key=lambda r: (-r.counts[-1], -sum(r.counts), r.label),
    )
    table = TrendTable(family, FAMILIES[family], [p.label for p in periods], rows, suppress)
    if suppress and rows:
        published = suppression.protect([r.counts for r in rows]).published()
        for row, shown in zip(rows, published, strict=False):
            row.shown = shown[:-1]
        table.totals = published[-1][:-1]
    else:
        for row in rows:
            row.shown = list(row.counts)
        table.totals = [sum(r.counts[n] for r in rows) for n in range(len(periods))]
    for row in rows:
        hidden = any(not isinstance(v, int) for v in row.shown)
        row.direction = "" if hidden else direction(row.counts)
    return table


@dataclass
class BreakdownTable:
    family: str
    dimension: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[int | str]]]  # theme label, counts by column then total
    totals: list[int | str]
    suppressed: bool = False


def _value(fact: Mapping[str, object], dimension: str) -> str:
    if dimension == "area":
        return "out" if fact["out_of_area"] else "in"
    return str(fact[dimension])


def breakdown(
    scope: Scope, period: Period, family: str, dimension: str, suppress: bool = False
) -> BreakdownTable:
    """This quarter's themes of a family by one characteristic of the child."""
    found = mentions(scope, family, period.start, period.end)
    facts = {
        f["episode_id"]: f
        for f in EpisodeFact.objects.filter(episode_id__in={m.episode_id for m in found}).values(
            "episode_id", "age_band", "sex", "placement_type", "out_of_area"
        )
    }
    title, columns = BREAKDOWNS[dimension]
    keys = [k for k, _l in columns]
    cells: dict[str, Counter[str]] = defaultdict(Counter)
    for m in found:
        fact = facts.get(m.episode_id or 0)
        if fact is not None:
            cells[m.theme][_value(fact, dimension)] += 1
    for counter in cells.values():  # values the columns do not list (a recording gap)
        for extra in sorted(set(counter) - set(keys)):
            keys.append(extra)
            columns = [*columns, (extra, extra or "Not recorded")]
    names = labels(scope, family)
    themes = sorted(cells, key=lambda t: (-sum(cells[t].values()), names.get(t, t)))
    matrix = [[cells[t][k] for k in keys] for t in themes]
    if suppress and matrix:
        published = suppression.protect(matrix).published()
    else:
        published = suppression.with_totals(matrix) if matrix else []  # type: ignore[assignment]
    return BreakdownTable(
        family,
        dimension,
        f"{FAMILIES[family]}, {period.label}, by {title.lower()}",
        [label for _k, label in columns] + ["All mentions"],
        [(names.get(t, t), published[n]) for n, t in enumerate(themes)],
        published[-1] if published else [],
        suppress,
    )


def families_for(scope: Scope) -> list[str]:
    return list(FAMILIES) if scope.kind == COUNCIL else list(CODED)


def period_of(day: object) -> Period:
    year, quarter = c.quarter_of(day)  # type: ignore[arg-type]
    return Period(year, quarter)
