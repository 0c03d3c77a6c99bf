"""After any write path, the figures the service shows must equal a recount from the records.

``assert_figures_are_a_recount()`` checks that, three ways:

1. the fact rows are the facts made afresh from the records (facts.compute_facts over every
   child, as if each had just been saved);
2. the running totals the dashboards, board reports and national tables read are those
   facts added up (tally.contributions), folded or not;
3. what a user reads (the dashboard's headline, the board report's headline, the national
   CSV's children by sex and episodes by classification, and check and interview
   compliance) equals counting the records straight: episodes by the local date they
   started, distinct children (persons), open episodes, and aftercare/compliance.py's own count of
   returns, checks and interviews; and the live harbouring notices on each dashboard and in
   the national CSV equal a count from the notices' own dates.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone

from homeward.aftercare import compliance as aftercare_compliance
from homeward.children.models import Child
from homeward.core import clock
from homeward.episodes.models import Episode
from homeward.insights import board, facts, national, notices, tally
from homeward.insights import counting as c
from homeward.insights import queries as q
from homeward.insights.models import EpisodeFact, ReasonFact, Tally, TallyChange
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.safeguarding.models import HarbouringNotice

FACT_FIELDS = [f.attname for f in EpisodeFact._meta.concrete_fields if f.name != "refreshed_at"]
REASON_FIELDS = ["interview_id", "person_key", "kind", "code", "council_id", "force_id"]
REASON_FIELDS += ["start_date"]


def stored_totals() -> dict[tuple[object, ...], tuple[int, ...]]:
    """Every total, folded or not: (scope, area, month, dimension, value) -> measures."""
    sums: dict[tuple[object, ...], list[int]] = {}
    for model in (Tally, TallyChange):
        for row in model.objects.values_list(*tally.KEY, *tally.MEASURES):
            key, values = row[:5], row[5:]
            current = sums.setdefault(key, [0] * len(values))
            for i, v in enumerate(values):
                current[i] += v
    return {k: tuple(v) for k, v in sums.items() if any(v)}


def assert_facts_and_totals_are_a_recount() -> int:
    """Points 1 and 2. Returns the number of episodes."""
    children = list(Child.objects.select_related("responsible_council").order_by("pk"))
    fresh = facts.compute_facts(children, clock.now())
    expected_facts = sorted(
        tuple(getattr(f, name) for name in FACT_FIELDS)
        for made, _reasons in fresh.values()
        for f in made
    )
    expected_reasons = sorted(
        tuple(getattr(r, name) for name in REASON_FIELDS)
        for _made, reasons in fresh.values()
        for r in reasons
    )
    stored_facts = sorted(EpisodeFact.objects.values_list(*FACT_FIELDS))
    stored_reasons = sorted(ReasonFact.objects.values_list(*REASON_FIELDS))
    assert len(stored_facts) == Episode.objects.count(), "an episode without its facts"
    assert stored_facts == expected_facts, "the facts are not the records' facts"
    assert stored_reasons == expected_reasons, "the reason facts are not the interviews'"
    expected_totals: tally.Sums = {}
    for made, reasons in fresh.values():
        tally.merge(expected_totals, tally.contributions(made, reasons))
    expected = {k: tuple(v) for k, v in expected_totals.items() if any(v)}
    assert stored_totals() == expected, "the running totals are not the facts added up"
    return len(expected_facts)


@dataclass
class Counted:
    """Counted straight from the records, for one area and period."""

    episodes: int = 0
    children: set[int] = field(default_factory=set)
    open_now: int = 0
    by_classification: Counter[str] = field(default_factory=Counter)
    children_by_sex: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


def count_records(period: q.Period) -> dict[tuple[str, int], Counted]:
    """(scope, organisation id or 0) -> what the records hold for episodes that started in
    the period (the local date in England of last seen)."""
    out: dict[tuple[str, int], Counted] = defaultdict(Counted)
    for episode in Episode.objects.select_related("child"):
        day = timezone.localtime(episode.last_seen_at, c.LONDON).date()
        if not period.start <= day < period.end:
            continue
        child = episode.child
        for key in (
            (q.COUNCIL, child.responsible_council_id),
            (q.FORCE, episode.police_force_id),
            (q.NATION, 0),
        ):
            counted = out[key]
            counted.episodes += 1
            counted.children.add(child.person_id)
            counted.open_now += episode.returned_at is None
            counted.by_classification[episode.classification] += 1
            counted.children_by_sex[child.sex].add(child.person_id)
    return out


def periods_of_the_records() -> list[q.Period]:
    days = [
        timezone.localtime(moment, c.LONDON).date()
        for moment in Episode.objects.values_list("last_seen_at", flat=True)
    ]
    if not days:
        return []
    first, last = c.financial_year(min(days)), c.financial_year(max(days))
    out = []
    for year in range(first, last + 1):
        out.append(q.Period(year))
        out.extend(q.Period(year, quarter) for quarter in (1, 2, 3, 4))
    return out


def _csv(period: q.Period) -> dict[tuple[str, str, str], str]:
    """(table, area, characteristic) -> the published value of the national CSV."""
    rows = list(csv.DictReader(io.StringIO(national.to_csv(period))))
    return {(r["table"], r["area"], r["characteristic"]): r["value"] for r in rows}


def assert_what_users_read_is_a_recount() -> int:
    """Point 3. Returns how many figures were compared."""
    councils = list(Organisation.objects.filter(kind=OrganisationKind.COUNCIL).order_by("pk"))
    forces = list(Organisation.objects.filter(kind=OrganisationKind.POLICE).order_by("pk"))
    compared = 0
    for period in periods_of_the_records():
        counted = count_records(period)
        since = c.period_end_instant(period.start)
        until = c.period_end_instant(period.end)
        areas: list[tuple[Organisation | None, tuple[str, int]]] = [(None, (q.NATION, 0))]
        areas += [(o, (q.COUNCIL, o.pk)) for o in councils] + [(o, (q.FORCE, o.pk)) for o in forces]
        for org, key in areas:
            scope = q.Scope.of(org)
            mine = counted.get(key, Counted())
            where = f"{scope.label}, {period.label}"
            head = q.headline(scope, period)
            assert (head.episodes, head.children, head.open_now) == (
                mine.episodes,
                len(mine.children),
                mine.open_now,
            ), f"dashboard headline, {where}"
            compared += 3
            if org is not None:
                assert q.compliance(scope, period) == aftercare_compliance.compliance(
                    org, since, until
                ), f"check and interview compliance, {where}"
                compared += 9
            if key[0] == q.COUNCIL and period.quarter:
                assert org is not None
                report = board.figures(org, period.year, period.quarter)
                assert report["headline"] == asdict(head), f"board report, {where}"
                assert report["trend"][-1]["episodes"] == mine.episodes, f"board trend, {where}"
                compared += 2
        published = _csv(period)
        for org in [*councils, None]:
            area = org.name if org else "England"
            mine = counted.get((q.COUNCIL, org.pk) if org else (q.NATION, 0), Counted())
            sexes = {k: len(v) for k, v in mine.children_by_sex.items()}
            cells = [
                ("children_by_sex", label, sexes.get(value, 0))
                for value, label in q.DIMENSIONS["sex"][1]
            ]
            cells.append(("children_by_sex", "Total", len(mine.children)))
            cells += [
                ("episodes_by_classification", label, mine.by_classification.get(value, 0))
                for value, label in q.DIMENSIONS["classification"][1]
            ]
            cells.append(("episodes_by_classification", "Total", mine.episodes))
            for table, column, expected in cells:
                value = published[(table, area, column)]
                # "c": hidden (a count from 1 to 4, or one that would reveal such a count).
                assert value == str(expected) or (value == "c" and expected > 0), (
                    f"national CSV {table}, {area}, {column}, {period.label}: "
                    f"{value} published, {expected} in the records"
                )
                compared += 1
    return compared


def _notices_live_on(day: date) -> dict[tuple[str, int], int]:
    """(scope, organisation id or 0) -> harbouring notices live on ``day``, counted
    straight from each notice's dates: once nationally, in its force, and in each council
    responsible for a child it names."""
    out: dict[tuple[str, int], int] = defaultdict(int)
    for notice in HarbouringNotice.objects.prefetch_related("children"):
        withdrawn = notice.withdrawn_on is not None and notice.withdrawn_on <= day
        if notice.issued_on > day or notice.expires_on < day or withdrawn:
            continue
        out[(q.NATION, 0)] += 1
        out[(q.FORCE, notice.force_id)] += 1
        for council_id in {child.responsible_council_id for child in notice.children.all()}:
            out[(q.COUNCIL, council_id)] += 1
    return out


def assert_notices_are_a_recount() -> int:
    """Live notices on each dashboard (exact) and in the national CSV (suppressed) equal
    a count from the notices' own dates, for the periods of the records and this year.
    Returns how many figures were compared."""
    this_year = c.financial_year(c.local_date(clock.now()))
    periods = {*periods_of_the_records(), q.Period(this_year)}
    periods |= {q.Period(this_year, quarter) for quarter in (1, 2, 3, 4)}
    areas = [None, *Organisation.objects.filter(kind__in=["council", "police"]).order_by("pk")]
    compared = 0
    for period in sorted(periods, key=lambda p: (p.year, p.quarter or 0)):
        counted = _notices_live_on(notices.day_of(period))
        published = _csv(period)
        for org in areas:
            scope = q.Scope.of(org)
            expected = counted.get((scope.kind, org.pk if org else 0), 0)
            shown = notices.figures(scope, period, suppressed=False).live
            assert shown == expected, f"live notices, {scope.label}, {period.label}"
            table = (
                "live_notices_by_council" if scope.kind == q.COUNCIL else "live_notices_by_force"
            )
            value = published[(table, org.name if org else "England", "Live notices")]
            assert value == str(expected) or (value == "c" and expected > 0), (
                f"national CSV {table}, {scope.label}, {period.label}: {value} for {expected}"
            )
            compared += 2
    return compared


def assert_figures_are_a_recount() -> int:
    """Every check above. Returns the number of episodes."""
    episodes = assert_facts_and_totals_are_a_recount()
    assert_what_users_read_is_a_recount()
    assert_notices_are_a_recount()
    return episodes
