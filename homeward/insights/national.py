"""National figures for government: no identities, small numbers suppressed.

Each table is councils by one characteristic, with totals; suppression.protect hides every
count from 1 to 4 and enough others that none can be worked out from the published ones.
The national dashboard shows the same figures through ``suppress_dashboard``."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from homeward.core import csv as csv_out
from homeward.insights import counting as c
from homeward.insights import notices, suppression, tally
from homeward.insights import queries as q
from homeward.organisations.models import Organisation, OrganisationKind


@dataclass
class NationalTable:
    key: str
    title: str
    measure: str  # "episodes" or "children"
    row_labels: list[str]  # council names, then "England"
    column_labels: list[str]  # then "Total"
    published: list[list[int | str]]


_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "age_band": [(k, lbl) for k, lbl, _a, _b in c.AGE_BANDS],
    "duration_band": list(c.DURATION_BANDS),
    "sex": q.DIMENSIONS["sex"][1],
    "classification": q.DIMENSIONS["classification"][1],
}

TABLES: tuple[tuple[str, str, str], ...] = (
    ("episodes_by_age", "Episodes by council and age at the start", "age_band"),
    ("children_by_age", "Children by council and age at their first episode", "age_band"),
    ("episodes_by_duration", "Episodes by council and time missing", "duration_band"),
    ("children_by_sex", "Children by council and sex", "sex"),
    ("episodes_by_classification", "Episodes by council: missing or away", "classification"),
)


def _councils() -> list[Organisation]:
    return list(Organisation.objects.filter(kind=OrganisationKind.COUNCIL).order_by("name"))


def _counts(period: q.Period, measure: str, dimension: str) -> dict[tuple[int, str], int]:
    """(council id, value) -> episodes or children, from the councils' running totals."""
    out: dict[tuple[int, str], int] = {}
    tally_dimension = "duration" if dimension == "duration_band" else dimension
    children = 2 if period.quarter else 3  # children_q / children_y
    for council_id, _month, _dim, value, *sums in tally.read(
        tally.COUNCIL, None, period.start, period.end, [tally_dimension]
    ):
        if dimension == "duration_band":
            # Bands as at the end of the period: 'open' for an episode not back by then.
            value, _back = q.band_at_end(value, period.end)
        n = sums[0] if measure == "episodes" else sums[children]
        if n:
            out[(council_id, value)] = out.get((council_id, value), 0) + n
    return out


def table(period: q.Period, key: str) -> NationalTable:
    title, dimension = next((t, d) for k, t, d in TABLES if k == key)
    measure = "children" if key.startswith("children") else "episodes"
    columns = _COLUMNS[dimension]
    counts = _counts(period, measure, dimension)
    councils = _councils()
    cells = [[counts.get((council.pk, col), 0) for col, _ in columns] for council in councils]
    protected = suppression.protect(cells) if cells else None
    return NationalTable(
        key=key,
        title=title,
        measure=measure,
        row_labels=[council.name for council in councils] + ["England"],
        column_labels=[label for _, label in columns] + ["Total"],
        published=protected.published() if protected else [],
    )


def notice_tables(period: q.Period) -> list[NationalTable]:
    """Live harbouring notices by force (England their total) and by council (no total:
    a notice naming children of two councils is in both), on the period's last day."""
    live = notices.count_live(notices.day_of(period))
    out = []
    for key, title, rows in (
        ("live_notices_by_force", "Live harbouring notices by police force", notices.by_force),
        ("live_notices_by_council", "Live harbouring notices by council", notices.by_council),
    ):
        shown = rows(live, True)
        out.append(
            NationalTable(
                key=key,
                title=f"{title}, {live.on.isoformat()}",
                measure="notices",
                row_labels=[org.name if org else "England" for org, _v in shown],
                column_labels=["Live notices"],
                published=[[v] for _org, v in shown],
            )
        )
    return out


def tables(period: q.Period) -> list[NationalTable]:
    return [table(period, key) for key, _t, _d in TABLES] + notice_tables(period)


CSV_HEADER = ["period", "table", "measure", "area", "characteristic", "value"]


def csv_rows(period: q.Period, items: Iterable[NationalTable]) -> Iterable[list[str]]:
    yield CSV_HEADER
    for item in items:
        for area, row in zip(item.row_labels, item.published, strict=True):
            for column, value in zip(item.column_labels, row, strict=True):
                yield [period.label, item.key, item.measure, area, column, str(value)]


def to_csv(period: q.Period) -> str:
    buffer = io.StringIO()
    writer = csv_out.writer(buffer, lineterminator="\n")
    writer.writerows(csv_rows(period, tables(period)))
    return buffer.getvalue()


# --- suppressing what a dashboard shows -----------------------------------------------------


def suppress_table(table: q.Table) -> q.Table:
    """Hide small counts in a one-way table, in each measure, with its total published."""
    table.suppressed = True
    if table.counts_episodes and table.rows:
        shown = suppression.suppress_list([r.episodes for r in table.rows])
        for row, value in zip(table.rows, shown, strict=True):
            row.shown_episodes = value
    if table.counts_children and table.rows:
        shown = suppression.suppress_list([r.children for r in table.rows])
        for row, value in zip(table.rows, shown, strict=True):
            row.shown_children = value
    return table


def suppress_dashboard(data: dict[str, Any]) -> dict[str, Any]:
    for key in ("months", "duration", "repeats", "area", "continuity"):
        suppress_table(data[key])
    for item in [*data["breakdowns"], *data["reasons"]]:
        suppress_table(item)
    data["suppressed"] = True
    return data
