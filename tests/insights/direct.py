"""The figures counted straight from the fact rows: how queries.py worked before the
running totals (tally.py), kept as the reference the totals are tested against. Each
function here scans the facts of one area and period; queries.py must give the same."""

from __future__ import annotations

from collections import Counter

from django.db.models import Avg, Count, Q

from homeward.aftercare.compliance import Compliance
from homeward.aftercare.models import InterviewStatus
from homeward.insights import counting as c
from homeward.insights.models import EpisodeFact, ReasonFact
from homeward.insights.queries import (
    COUNCIL,
    DIMENSIONS,
    FORCE,
    REASON_LABELS,
    REASON_TITLES,
    Headline,
    Period,
    Row,
    Scope,
    Table,
    _flags,
    children,
    facts,
)


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
    rows.extend(
        Row(key, key or "Not recorded", episodes[key], kids.get(key, 0))
        for key in sorted(set(episodes) - known)
    )
    return Table(title, rows, sum(episodes.values()), sum(kids.values()))


def by_month(scope: Scope, period: Period) -> Table:
    episodes = dict(
        facts(scope, period)
        .values_list("start_month")
        .annotate(n=Count("pk"))
        .values_list("start_month", "n")
    )
    flag = {FORCE: "first_m_force", COUNCIL: "first_m_council"}.get(scope.kind, "first_m")
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
    first, _n, _w = _flags(scope, period)
    kids = Counter(
        dict(
            returned.filter(**{first: True})
            .values_list("duration_band")
            .annotate(n=Count("pk"))
            .values_list("duration_band", "n")
        )
    )
    kids[c.OPEN] = open_at_end.filter(**{first: True}).count()
    rows = [Row(k, lbl, counts.get(k, 0), kids.get(k, 0)) for k, lbl in c.DURATION_BANDS]
    stats = returned.aggregate(mean=Avg("duration_hours"), n=Count("pk"))
    within_24 = counts.get("lt24h", 0)
    within_48 = within_24 + counts.get("24-48h", 0)
    table = Table("Time missing", rows, sum(counts.values()), sum(kids.values()))
    table.note = "A child is counted once, in the band of their first episode in the period."
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
