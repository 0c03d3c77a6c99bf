"""Harbouring notices (Child Abduction Warning Notices) in the figures: how many are live
on a day, per police force, per council and for the nation. No national count of them
existed before (docs/counting-rules.md, "Harbouring notices").

- **Live on a day**: issued on or before the day, not withdrawn on or before it, and not
  yet expired (the expiry date is after the day). Counted from the notices' own dates,
  so the figure for any day can be recounted from the records.
- **A force** counts the notices it issued. **A council** counts the notices naming at
  least one child it is responsible for: a notice naming children of two councils counts
  once in each. **The nation** counts each notice once, so the councils' figures do not
  add up to the nation's; the forces' do.
- **Which day**: a dashboard's period is shown as at its last day, or today for a period
  not yet over.
- **Outside the owning council** (the national view), counts from 1 to 4 are hidden and
  further counts until none can be worked out (``suppression.protect``): the forces with
  England as their total; the councils, which have no total to work a count out from
  (they overlap), with counts from 1 to 4 hidden."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from homeward.core import clock
from homeward.insights import counting as c
from homeward.insights import suppression
from homeward.insights.cube import COUNCIL, FORCE, Period, Scope
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.safeguarding.models import HarbouringNotice


def live_on(day: date) -> QuerySet[HarbouringNotice]:
    """The notices live on ``day``: its expiry date is the last day it is in force (as
    the notice's own status reads it, safeguarding.services.notice_rules)."""
    return HarbouringNotice.objects.filter(issued_on__lte=day, expires_on__gte=day).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
    )


def day_of(period: Period) -> date:
    """The day a period's notices are counted on: its last day, or today if sooner."""
    return min(period.end - timedelta(days=1), c.local_date(clock.now()))


@dataclass
class LiveNotices:
    """Notices live on ``on``: for the nation, and by force and by council (id -> n)."""

    on: date
    nation: int = 0
    by_force: dict[int, int] = field(default_factory=dict)
    by_council: dict[int, int] = field(default_factory=dict)

    def of(self, scope: Scope) -> int:
        org = scope.organisation
        if scope.kind == FORCE and org is not None:
            return self.by_force.get(org.pk, 0)
        if scope.kind == COUNCIL and org is not None:
            return self.by_council.get(org.pk, 0)
        return self.nation


def count_live(day: date) -> LiveNotices:
    """Every notice live on ``day``, counted once nationally, once in its force and once in
    each council responsible for a child it names (two queries' worth, in one)."""
    out = LiveNotices(day)
    councils: dict[int, set[int]] = {}
    forces: dict[int, int] = {}
    rows = live_on(day).values_list("pk", "force_id", "children__responsible_council_id")
    for notice_id, force_id, council_id in rows:
        forces[notice_id] = force_id
        if council_id is not None:
            councils.setdefault(council_id, set()).add(notice_id)
    out.nation = len(forces)
    for force_id in forces.values():
        out.by_force[force_id] = out.by_force.get(force_id, 0) + 1
    out.by_council = {k: len(v) for k, v in councils.items()}
    return out


@dataclass
class NoticeFigures:
    """What a dashboard shows: the scope's own figure; for the nation, the tables."""

    on: date
    live: int | str
    forces: list[tuple[str, int | str]] = field(default_factory=list)  # then "England"
    councils: list[tuple[str, int | str]] = field(default_factory=list)


def _orgs(kind: str) -> list[Organisation]:
    return list(Organisation.objects.filter(kind=kind).order_by("name"))


Shown = list[tuple[Organisation | None, int | str]]


def by_force(live: LiveNotices, suppressed: bool) -> Shown:
    """Forces by name, then England (None; their total): protected when ``suppressed``."""
    forces = _orgs(OrganisationKind.POLICE)
    values = [live.by_force.get(f.pk, 0) for f in forces]
    shown: list[int | str] = [*values, live.nation]
    if suppressed and values:
        shown = suppression.protect([values]).published()[0]
    return [*zip(forces, shown[:-1], strict=True), (None, shown[-1])]


def by_council(live: LiveNotices, suppressed: bool) -> Shown:
    """Councils by name (no total: a notice can be in two councils)."""
    out: Shown = []
    for council in _orgs(OrganisationKind.COUNCIL):
        n = live.by_council.get(council.pk, 0)
        small = suppressed and 0 < n < suppression.THRESHOLD
        out.append((council, suppression.SUPPRESSED if small else n))
    return out


def figures(scope: Scope, period: Period, suppressed: bool) -> NoticeFigures:
    """The notices on a dashboard for ``scope`` and ``period``. Suppressed, one area's
    figure is the one the national tables publish for it, so that no view of one area
    reveals a figure the national tables hide."""
    live = count_live(day_of(period))
    if scope.organisation is not None and not suppressed:
        return NoticeFigures(live.on, live.of(scope))
    forces = by_force(live, suppressed)
    councils = by_council(live, suppressed)
    if scope.organisation is not None:
        pk = scope.organisation.pk
        mine = [
            v for org, v in (forces if scope.kind == FORCE else councils) if org and org.pk == pk
        ]
        return NoticeFigures(live.on, mine[0] if mine else 0)
    return NoticeFigures(live.on, forces[-1][1], _named(forces), _named(councils))


def _named(rows: Shown) -> list[tuple[str, int | str]]:
    return [(org.name if org else "England", v) for org, v in rows]
