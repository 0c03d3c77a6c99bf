"""Whose figures and when (``Scope``, ``Period``), the fact rows of a scope and period, and
``Cube``: the running totals (tally.py) of one scope and period, read in one query, from
which queries.py makes every table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from homeward.insights import counting as c
from homeward.insights import tally
from homeward.insights.models import EpisodeFact
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

    @property
    def key(self) -> tuple[str, int]:
        """(scope, area) of the running totals."""
        if self.kind == COUNCIL:
            return tally.COUNCIL, self.organisation.pk  # type: ignore[union-attr]
        if self.kind == FORCE:
            return tally.FORCE, self.organisation.pk  # type: ignore[union-attr]
        return tally.NATION, 0

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
    suffix = {FORCE: "_force", COUNCIL: "_council"}.get(scope.kind, "")
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


class Cube:
    """The running totals of one scope and period (tally.py), read in one query: for each
    dimension and value, the measures added over the period's months; for ``all``, also
    each month's. ``children`` reads the measure that counts each child once in the
    period: first in the quarter, or first in the year."""

    def __init__(self, scope: Scope, period: Period) -> None:
        self.scope = scope
        self.period = period
        self.child_index = 2 if period.quarter else 3  # children_q / children_y
        self.totals: dict[str, dict[str, list[int]]] = {}
        self.months: dict[date, list[int]] = {}
        scope_key, area_id = scope.key
        for _area, month, dimension, value, *values in tally.read(
            scope_key, area_id, period.start, period.end
        ):
            sums = self.totals.setdefault(dimension, {}).setdefault(value, [0, 0, 0, 0, 0])
            for i, v in enumerate(values):
                sums[i] += v
            if dimension == "all":
                per_month = self.months.setdefault(month, [0, 0, 0, 0, 0])
                for i, v in enumerate(values):
                    per_month[i] += v

    def values(self, dimension: str) -> dict[str, list[int]]:
        return self.totals.get(dimension, {})

    def episodes(self, dimension: str) -> dict[str, int]:
        return {k: v[0] for k, v in self.values(dimension).items() if v[0]}

    def children(self, dimension: str) -> dict[str, int]:
        i = self.child_index
        return {k: v[i] for k, v in self.values(dimension).items() if v[i]}

    def counted(self) -> tuple[int, int]:
        """(episodes, children) in the period."""
        total = self.values("all").get("", [0, 0, 0, 0, 0])
        return total[0], total[self.child_index]

    def by_n(self) -> list[tuple[int, int, int]]:
        """(episodes of the child in the period, worker changes, children)."""
        out = []
        for value, count in self.children("n_q" if self.period.quarter else "n_y").items():
            n, changes = value.split("|")
            out.append((int(n), int(changes), count))
        return out


def read_cube(scope: Scope, period: Period, cube: Cube | None) -> Cube:
    """``cube`` if it holds this scope and period, else the totals read afresh."""
    if cube is not None and cube.scope == scope and cube.period == period:
        return cube
    return Cube(scope, period)
