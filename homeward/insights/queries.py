"""Aggregated reads over the fact tables: what every dashboard, board report and national
table shows. Each query filters by area and period on an index, then groups: its cost
follows the rows of one area and period, not the size of the whole table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Q, QuerySet

from homeward.aftercare.codes import PullFactor, PushFactor, RiskFound
from homeward.aftercare.compliance import Compliance
from homeward.aftercare.models import InterviewStatus
from homeward.children.codes import Ethnicity, LegalStatusKind, PlacementType, Sex
from homeward.episodes.models import Classification, RiskGrade
from homeward.insights import counting as c
from homeward.insights.models import EpisodeFact, ReasonFact, ReasonKind
from homeward.organisations.models import Organisation, OrganisationKind

COUNCIL = "council"
FORCE = "force"
NATION = "nation"


@dataclass(frozen=True)
class Scope:
    """Whose figures: a council's children, a force's area, or the nation."""

    kind: str
    organisation: Organisation | None = None

    @property
    def label(self) -> str:
        return self.organisation.name if self.organisation else "England"

    @classmethod
    def of(cls, organisation: Organisation | None) -> Scope:
        if organisation is None:
            return cls(NATION)
        if organisation.kind == OrganisationKind.COUNCIL:
            return cls(COUNCIL, organisation)
        if organisation.kind == OrganisationKind.POLICE:
            return cls(FORCE, organisation)
        raise ValueError("Figures are for a council, a police force or the nation")

    def where(self) -> Q:
        if self.kind == COUNCIL:
            return Q(council=self.organisation)
        if self.kind == FORCE:
            return Q(force=self.organisation)
        return Q()


@dataclass(frozen=True)
class Period:
    """A statistical year (1 April to 31 March), or one quarter of it."""

    year: int
    quarter: int | None = None

    @property
    def bounds(self) -> tuple[date, date]:
        if self.quarter:
            return c.quarter_bounds(self.year, self.quarter)
        return c.year_bounds(self.year)

    @property
    def start(self) -> date:
        return self.bounds[0]

    @property
    def end(self) -> date:
        return self.bounds[1]

    @property
    def label(self) -> str:
        if self.quarter:
            return c.quarter_label(self.year, self.quarter)
        return c.year_label(self.year)

    @property
    def months(self) -> list[date]:
        out, day = [], self.start
        while day < self.end:
            out.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return out

    def previous(self) -> Period:
        if self.quarter:
            if self.quarter == 1:
                return Period(self.year - 1, 4)
            return Period(self.year, self.quarter - 1)
        return Period(self.year - 1)

    @classmethod
    def containing(cls, day: date, quarterly: bool = False) -> Period:
        year, quarter = c.quarter_of(day)
        return cls(year, quarter if quarterly else None)


def _flags(scope: Scope, period: Period) -> tuple[str, str, str]:
    """(first-in-period flag, episodes-in-period count, worker changes) for scope."""
    grain = "q" if period.quarter else "y"
    suffix = "_force" if scope.kind == FORCE else ""
    return f"first_{grain}{suffix}", f"n_{grain}{suffix}", f"worker_changes_{grain}"


def facts(scope: Scope, period: Period) -> QuerySet[EpisodeFact]:
    """Episodes that started in the period, in the scope."""
    return EpisodeFact.objects.filter(
        scope.where(), start_date__gte=period.start, start_date__lt=period.end
    )


def children(scope: Scope, period: Period) -> QuerySet[EpisodeFact]:
    """One row per child: their first episode in the period and scope."""
    first, _n, _w = _flags(scope, period)
    return facts(scope, period).filter(**{first: True})


# --- labelled tables -----------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    episodes: int = 0
    children: int = 0
    extra: dict = field(default_factory=dict)
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
    extra: dict = field(default_factory=dict)

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


def breakdown(scope: Scope, period: Period, dimension: str) -> Table:
    title, labels = DIMENSIONS[dimension]
    episodes = dict(
        facts(scope, period)
        .values_list(dimension)
        .annotate(n=Count("pk"))
        .values_list(dimension, "n")
    )
    kids = dict(
        children(scope, period)
        .values_list(dimension)
        .annotate(n=Count("pk"))
        .values_list(dimension, "n")
    )
    rows = [
        Row(key, label, episodes.get(key, 0), kids.get(key, 0))
        for key, label in labels
        if episodes.get(key) or dimension in {"age_band", "sex", "risk_grade", "classification"}
    ]
    known = {k for k, _ in labels}
    for key in sorted(set(episodes) - known):
        rows.append(Row(key, key or "Not recorded", episodes[key], kids.get(key, 0)))
    return Table(title, rows, sum(episodes.values()), sum(kids.values()))


def by_month(scope: Scope, period: Period) -> Table:
    episodes = dict(
        facts(scope, period)
        .values_list("start_month")
        .annotate(n=Count("pk"))
        .values_list("start_month", "n")
    )
    flag = "first_m_force" if scope.kind == FORCE else "first_m"
    kids = dict(
        facts(scope, period)
        .filter(**{flag: True})
        .values_list("start_month")
        .annotate(n=Count("pk"))
        .values_list("start_month", "n")
    )
    rows = [
        Row(m.isoformat(), m.strftime("%B %Y"), episodes.get(m, 0), kids.get(m, 0))
        for m in period.months
    ]
    table = Table("Episodes by month", rows, sum(episodes.values()), children_total(scope, period))
    table.note = "A child missing in several months is counted once in each month."
    return table


def children_total(scope: Scope, period: Period) -> int:
    return children(scope, period).count()


def duration(scope: Scope, period: Period) -> Table:
    """Duration bands: measured to the return, or 'open' if not back by the period end."""
    end = c.period_end_instant(period.end)
    qs = facts(scope, period)
    open_at_end = qs.filter(Q(returned_at__isnull=True) | Q(returned_at__gte=end))
    returned = qs.exclude(pk__in=open_at_end.values("pk"))
    counts = Counter(
        dict(
            returned.values_list("duration_band")
            .annotate(n=Count("pk"))
            .values_list("duration_band", "n")
        )
    )
    counts[c.OPEN] = open_at_end.count()
    rows = [Row(k, lbl, counts.get(k, 0)) for k, lbl in c.DURATION_BANDS]
    stats = returned.aggregate(mean=Avg("duration_hours"), n=Count("pk"))
    within_24 = counts.get("lt24h", 0)
    within_48 = within_24 + counts.get("24-48h", 0)
    table = Table("Time missing", rows, sum(counts.values()), counts_children=False)
    table.extra = {
        "mean_hours": round(stats["mean"], 1) if stats["mean"] is not None else None,
        "returned": stats["n"],
        "within_24h": within_24,
        "within_48h": within_48,
        "within_48h_share": Compliance.share(within_48, stats["n"]),
    }
    return table


def repeats(scope: Scope, period: Period) -> Table:
    _first, n, _w = _flags(scope, period)
    counts: Counter[str] = Counter()
    for episodes, number in (
        children(scope, period).values_list(n).annotate(k=Count("pk")).values_list(n, "k")
    ):
        counts[c.repeat_band(episodes)] += number
    rows = [Row(k, lbl, 0, counts.get(k, 0)) for k, lbl, _a, _b in c.REPEAT_BANDS]
    table = Table(
        "Children by number of episodes", rows, 0, sum(counts.values()), counts_episodes=False
    )
    repeat_children = sum(counts.get(k, 0) for k, _l, low, _h in c.REPEAT_BANDS if low >= 3)
    rolling = (
        facts(scope, period).filter(rolling_repeat=True).values("person_key").distinct().count()
    )
    table.extra = {
        "repeat_children": repeat_children,
        "repeat_share": Compliance.share(repeat_children, table.total_children),
        "rolling_children": rolling,
    }
    return table


def area(scope: Scope, period: Period) -> Table:
    """In and out of area: for a council, its children placed outside its area; for a
    force, episodes of children from councils it does not cover; for the nation, both."""
    qs = facts(scope, period)
    kids = children(scope, period)
    if scope.kind == FORCE:
        outside = Q(home_force__isnull=True) | ~Q(home_force=scope.organisation)
        rows = [
            Row(
                "own",
                "Children of councils in this force's area",
                qs.exclude(outside).count(),
                kids.exclude(outside).count(),
            ),
            Row(
                "visiting",
                "Children of other councils",
                qs.filter(outside).count(),
                kids.filter(outside).count(),
            ),
        ]
        title = "Whose children go missing in this area"
    else:
        rows = [
            Row(
                "in",
                "Placed in the council's own area, or living at home",
                qs.filter(out_of_area=False).count(),
                kids.filter(out_of_area=False).count(),
            ),
            Row(
                "out",
                "Placed out of area",
                qs.filter(out_of_area=True).count(),
                kids.filter(out_of_area=True).count(),
            ),
        ]
        title = "In and out of area"
    return Table(title, rows, sum(r.episodes for r in rows), sum(r.children for r in rows))


def compliance(scope: Scope, period: Period) -> Compliance:
    """homeward/aftercare/compliance.py's rules over the facts: the returns in the period
    (by the time of the return), each with its check and its covering interview."""
    end = c.period_end_instant(period.end)
    start = c.period_end_instant(period.start)
    qs = EpisodeFact.objects.filter(scope.where(), returned_at__gte=start, returned_at__lt=end)
    done = InterviewStatus.DONE
    figures = qs.aggregate(
        returns=Count("pk"),
        check_done=Count("pk", filter=Q(check_status="done")),
        check_not_done=Count("pk", filter=Q(check_status="not_done")),
        offered=Count("pk", filter=Q(interview_offered=True)),
        accepted=Count("pk", filter=Q(interview_status__in=[InterviewStatus.ACCEPTED, done])),
        done=Count("pk", filter=Q(interview_status=done)),
        within=Count("pk", filter=Q(interview_status=done, interview_within_72h=True)),
        declined=Count("pk", filter=Q(interview_status=InterviewStatus.DECLINED)),
        not_offered=Count("pk", filter=Q(interview_status=InterviewStatus.NOT_OFFERED)),
    )
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


def reasons(scope: Scope, period: Period, kind: str) -> Table:
    """Counts of done return interviews naming each reason (an interview can name several),
    for interviews whose first episode started in the period."""
    qs = ReasonFact.objects.filter(
        scope.where(), start_date__gte=period.start, start_date__lt=period.end, kind=kind
    )
    counts = dict(qs.values_list("code").annotate(n=Count("pk")).values_list("code", "n"))
    kids = dict(
        qs.values_list("code")
        .annotate(n=Count("person_key", distinct=True))
        .values_list("code", "n")
    )
    labels = REASON_LABELS[kind]
    rows = sorted(
        (Row(k, labels.get(k, k), counts[k], kids.get(k, 0)) for k in counts),
        key=lambda r: (-r.episodes, r.label),
    )
    interviews = qs.values("interview_id").distinct().count()
    table = Table(REASON_TITLES[kind], rows, interviews, counts_children=False, noun="interviews")
    table.note = f"From {interviews} return interviews that named at least one."
    return table


def continuity(scope: Scope, period: Period) -> Table:
    """Worker continuity beside repeat missing: for children with 1, 2 or 3+ episodes,
    how many had a change of allocated worker in the period, and the average."""
    _first, n, w = _flags(scope, period)
    groups: dict[str, list[int]] = {"1": [], "2": [], "3+": []}
    for episodes, changes, number in (
        children(scope, period).values_list(n, w).annotate(k=Count("pk")).values_list(n, w, "k")
    ):
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


def headline(scope: Scope, period: Period) -> Headline:
    qs = facts(scope, period)
    first, n, _w = _flags(scope, period)
    return Headline(
        episodes=qs.count(),
        children=qs.filter(**{first: True}).count(),
        incidents=qs.values("incident_key").distinct().count(),
        repeat_children=qs.filter(**{first: True, f"{n}__gte": c.REPEAT_EPISODES}).count(),
        open_now=qs.filter(returned_at__isnull=True).count(),
    )


def dashboard(scope: Scope, period: Period) -> dict:
    """Everything one dashboard shows."""
    return {
        "headline": headline(scope, period),
        "months": by_month(scope, period),
        "breakdowns": [breakdown(scope, period, d) for d in DIMENSIONS],
        "duration": duration(scope, period),
        "repeats": repeats(scope, period),
        "area": area(scope, period),
        "compliance": compliance(scope, period),
        "reasons": [
            reasons(scope, period, k) for k in (ReasonKind.PUSH, ReasonKind.PULL, ReasonKind.RISK)
        ],
        "continuity": continuity(scope, period),
    }
