"""Running totals of the facts, so that a dashboard costs the same at ten times the data.

A dashboard does not count fact rows: it adds up totals kept per area, month and group.
Every fact adds to a few dozen totals: for its council, its force and the nation (the
"scope": ``c``, ``f`` or ``n``; ``area`` is the organisation's id, 0 for the nation),
for the month it started in, one per "dimension" (age band, risk grade, duration, ...) with
the fact's value in it. Each total holds five measures:

- ``episodes``: facts counted;
- ``children_m``, ``children_q``, ``children_y``: facts that are the person's first in the
  month, quarter or statistical year in that scope (the facts' ``first_*`` flags for the
  nation, ``first_*_council`` for a council, ``first_*_force`` for a force): adding them
  over a period's months counts each child once, valued at their first episode, as
  docs/counting-rules.md says;
- ``seconds``: time missing of returned episodes.

A quarter is three months of totals and a year twelve: reading one is a few hundred rows
for the nation, whatever the number of episodes (see ``read``).

The dimensions (``contributions`` is the one place that says what each fact adds):

- ``all`` (value ""), and one per characteristic in ``BREAKDOWNS``;
- ``duration``: "band|month of return" ("open|" while not returned): the band at the end
  of any period follows from the month of return, as periods end at the start of a month;
- ``n_q`` / ``n_y``: "episodes in the quarter (year)|changes of worker in it";
- ``area``: "in" / "out" of the council's area (a force: "own" / "visiting" children);
- ``solo``: episodes linked to no other (incidents of their own; linked ones are counted
  from the facts, which are few);
- ``rolling``: episodes under the rolling repeat rule; its children measures count the
  child's first such episode in the period;
- ``compliance``: "check|interview|offered|within 72 h", by the month of the *return*
  (compliance counts returns in the period);
- ``push``, ``pull``, ``risk`` (value: the code) from the reason facts, by the month of the
  interview's first episode; children measures count a child once per code; and
  ``interviews`` (value: push, pull or risk): interviews naming at least one.

Kept up to date with the facts, in the same transaction: a refresh (facts.py) passes the
facts of the persons it refreshed before and after; the difference is inserted into
``TallyChange`` (insert only: no row is locked, so concurrent saves never wait for each
other here), and reads add ``Tally`` and ``TallyChange`` together in one statement. After
the commit, ``fold`` moves the pending changes into ``Tally`` (one folder at a time); if it
never ran, figures would still be right, only slower to read. ``rebuild`` recomputes every
total from the facts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction

from homeward.insights import counting as c

log = logging.getLogger(__name__)

COUNCIL, FORCE, NATION = "c", "f", "n"
BREAKDOWNS = (
    "age_band",
    "sex",
    "ethnicity",
    "legal_status",
    "placement_type",
    "risk_grade",
    "classification",
)
MEASURES = ("episodes", "children_m", "children_q", "children_y", "seconds")
KEY = ("scope", "area", "month", "dimension", "value")
Key = tuple[str, int, date, str, str]
Sums = dict[Key, list[int]]

TALLY = "insights_tally"
CHANGES = "insights_tallychange"
FOLD_LOCK = 0x486F6D65  # pg advisory lock: one folder at a time


def _add(sums: Sums, key: Key, episodes: int, m: int, q: int, y: int, seconds: int) -> None:
    row = sums.get(key)
    if row is None:
        sums[key] = [episodes, m, q, y, seconds]
    else:
        row[0] += episodes
        row[1] += m
        row[2] += q
        row[3] += y
        row[4] += seconds


def merge(into: Sums, more: Sums, sign: int = 1) -> None:
    """Add ``more`` into ``into`` (``sign=-1``: take it away)."""
    if sign == 1:
        for key, values in more.items():
            _add(into, key, *values)
        return
    for key, values in more.items():
        _add(into, key, *(sign * v for v in values))


def _within(value: bool | None) -> str:
    return "" if value is None else str(int(value))


def contributions(facts: Sequence[Any], reasons: Sequence[Any] = ()) -> Sums:
    """What one person's facts and reason facts add to the totals. ``facts`` are
    EpisodeFact rows (or anything with their attributes), all of one person (all of them:
    the first rolling repeat of a period is found among them)."""
    sums: Sums = {}
    rolling_seen: set[tuple[Any, ...]] = set()
    for f in sorted(facts, key=lambda f: (f.start_at, f.episode_id)):
        _fact_contributions(sums, f, rolling_seen)
    _reason_contributions(sums, reasons)
    return sums


def _fact_contributions(sums: Sums, f: Any, rolling_seen: set[tuple[Any, ...]]) -> None:
    """One episode fact's part of the totals (facts taken in start order: the first
    rolling repeat of a period is counted as such)."""
    month = f.start_month
    returned = f.returned_at
    seconds = round((returned - f.start_at).total_seconds()) if returned else 0
    return_month = c.month_start(c.local_date(returned)) if returned else None
    duration = f"{f.duration_band}|{return_month.isoformat() if return_month else ''}"
    compliance = (
        f"{f.check_status}|{f.interview_status}|{int(f.interview_offered)}|"
        f"{_within(f.interview_within_72h)}"
    )
    for scope, area in ((COUNCIL, f.council_id), (FORCE, f.force_id), (NATION, 0)):
        if scope == FORCE:
            fm, fq, fy = f.first_m_force, f.first_q_force, f.first_y_force
            nq, ny = f.n_q_force, f.n_y_force
            place = "own" if f.home_force_id == f.force_id else "visiting"
        elif scope == COUNCIL:
            fm, fq, fy = f.first_m_council, f.first_q_council, f.first_y_council
            nq, ny = f.n_q_council, f.n_y_council
            place = "out" if f.out_of_area else "in"
        else:
            fm, fq, fy = f.first_m, f.first_q, f.first_y
            nq, ny = f.n_q, f.n_y
            place = "out" if f.out_of_area else "in"
        m, q, y = int(fm), int(fq), int(fy)
        _add(sums, (scope, area, month, "all", ""), 1, m, q, y, seconds)
        for dimension in BREAKDOWNS:
            _add(sums, (scope, area, month, dimension, getattr(f, dimension)), 1, m, q, y, 0)
        _add(sums, (scope, area, month, "duration", duration), 1, m, q, y, seconds)
        _add(sums, (scope, area, month, "n_q", f"{nq}|{f.worker_changes_q}"), 1, m, q, y, 0)
        _add(sums, (scope, area, month, "n_y", f"{ny}|{f.worker_changes_y}"), 1, m, q, y, 0)
        _add(sums, (scope, area, month, "area", place), 1, m, q, y, 0)
        if not f.linked:
            _add(sums, (scope, area, month, "solo", ""), 1, m, q, y, 0)
        if f.rolling_repeat:
            first_q = (scope, area, "q", f.year, f.quarter) not in rolling_seen
            first_y = (scope, area, "y", f.year) not in rolling_seen
            rolling_seen.add((scope, area, "q", f.year, f.quarter))
            rolling_seen.add((scope, area, "y", f.year))
            _add(sums, (scope, area, month, "rolling", ""), 1, 0, int(first_q), int(first_y), 0)
        if return_month is not None:
            _add(sums, (scope, area, return_month, "compliance", compliance), 1, 0, 0, 0, 0)


def _reason_contributions(sums: Sums, reasons: Sequence[Any]) -> None:
    """The reason facts' part of the totals: each code, and each interview once a kind."""
    ordered_reasons = sorted(
        reasons, key=lambda r: (r.start_date, r.interview_id, str(r.kind), r.code)
    )
    code_seen: set[tuple[Any, ...]] = set()
    interview_seen: set[tuple[Any, ...]] = set()
    for r in ordered_reasons:
        month = c.month_start(r.start_date)
        year, quarter = c.quarter_of(r.start_date)
        kind = str(r.kind)
        for scope, area in ((COUNCIL, r.council_id), (FORCE, r.force_id), (NATION, 0)):
            first_q = (scope, area, kind, r.code, year, quarter) not in code_seen
            first_y = (scope, area, kind, r.code, year) not in code_seen
            code_seen.add((scope, area, kind, r.code, year, quarter))
            code_seen.add((scope, area, kind, r.code, year))
            _add(sums, (scope, area, month, kind, r.code), 1, 0, int(first_q), int(first_y), 0)
            if (scope, area, r.interview_id, kind) not in interview_seen:
                interview_seen.add((scope, area, r.interview_id, kind))
                _add(sums, (scope, area, month, "interviews", kind), 1, 0, 0, 0, 0)


def difference(before: Sums, after: Sums) -> Sums:
    """after - before, without the totals that did not change."""
    out: Sums = {}
    for key in before.keys() | after.keys():
        old = before.get(key, [0, 0, 0, 0, 0])
        new = after.get(key, [0, 0, 0, 0, 0])
        delta = [b - a for a, b in zip(old, new, strict=True)]
        if any(delta):
            out[key] = delta
    return out


# --- writing ---------------------------------------------------------------------------------


def _rows(sums: Sums) -> list[tuple[Any, ...]]:
    return [(*key, *values) for key, values in sorted(sums.items())]


def record(before: Sums, after: Sums) -> int:
    """Insert the change from ``before`` to ``after`` as pending rows (in the caller's
    transaction), and fold them in after the commit. Returns the rows inserted."""
    delta = difference(before, after)
    if not delta:
        return 0
    columns = ", ".join((*KEY, *MEASURES))
    marks = ", ".join(["%s"] * (len(KEY) + len(MEASURES)))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {CHANGES} ({columns}) VALUES ({marks})",  # noqa: S608 (constants)
            _rows(delta),
        )
    transaction.on_commit(fold, robust=True)
    return len(delta)


def _upsert(cursor: Any, sums: Sums) -> None:
    columns = ", ".join((*KEY, *MEASURES))
    marks = ", ".join(["%s"] * (len(KEY) + len(MEASURES)))
    update = ", ".join(f"{m} = {TALLY}.{m} + excluded.{m}" for m in MEASURES)
    sql = (
        f"INSERT INTO {TALLY} ({columns}) VALUES ({marks}) "  # noqa: S608 (constants)
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {update}"
    )
    rows = _rows(sums)
    for start in range(0, len(rows), 5000):
        cursor.executemany(sql, rows[start : start + 5000])


def fold() -> int:
    """Move the committed pending changes into the totals. Returns the rows moved (0 when
    another folder holds the lock: it will move them)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
            if not cursor.fetchone()[0]:
                return 0
        cursor.execute(
            f"DELETE FROM {CHANGES} RETURNING {', '.join((*KEY, *MEASURES))}"  # noqa: S608
        )
        moved = cursor.fetchall()
        if not moved:
            return 0
        sums: Sums = {}
        for scope, area, month, dimension, value, *values in moved:
            if isinstance(month, str):  # SQLite hands back text
                month = date.fromisoformat(month)
            _add(sums, (scope, area, month, dimension, value), *values)
        # A total that falls to zero is kept: it reads as nothing, a later change in the
        # same group reuses it, and a rebuild drops it. (Finding such rows would mean a
        # scan of the whole table on every fold.)
        _upsert(cursor, {k: v for k, v in sums.items() if any(v)})
    return len(moved)


def add(sums: Sums) -> None:
    """Add ``sums`` to the totals directly, row by row (safe beside other writers)."""
    with connection.cursor() as cursor:
        _upsert(cursor, sums)


def write(sums: Sums) -> None:
    """Add ``sums`` to the totals directly (bulk loads and rebuilds): with COPY on
    PostgreSQL when the table is empty, so only where no other writer can be adding."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not _any_rows(cursor):
            raw = cursor.cursor
            with raw.copy(f"COPY {TALLY} ({', '.join((*KEY, *MEASURES))}) FROM STDIN") as copy:
                for row in _rows(sums):
                    copy.write_row(row)
            return
        _upsert(cursor, sums)


def _any_rows(cursor: Any) -> bool:
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {TALLY})")  # noqa: S608
    return bool(cursor.fetchone()[0])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CHANGES}")  # noqa: S608
        cursor.execute(f"DELETE FROM {TALLY}")  # noqa: S608


def rebuild(facts: Iterable[Any], reasons: Iterable[Any]) -> int:
    """Recompute every total from the facts and the reason facts, both given in
    ``person_key`` order. Returns the totals written."""
    sums: Sums = {}
    pending_reasons = iter(reasons)
    reason = next(pending_reasons, None)

    def flush(person: int, group: list[Any]) -> None:
        nonlocal reason
        mine = []
        while reason is not None and reason.person_key <= person:
            if reason.person_key == person:
                mine.append(reason)
            reason = next(pending_reasons, None)
        merge(sums, contributions(group, mine))

    person: int | None = None
    group: list[Any] = []
    for fact in facts:
        if fact.person_key != person:
            if person is not None:
                flush(person, group)
            person, group = fact.person_key, []
        group.append(fact)
    if person is not None:
        flush(person, group)
    with transaction.atomic():
        clear()
        write(sums)
    log.info("insights totals rebuilt: %s", len(sums))
    return len(sums)


# --- reading ---------------------------------------------------------------------------------


def read(
    scope: str, area: int | None, start: date, end: date, dimensions: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    """(area, month, dimension, value, *MEASURES) rows of the totals and pending changes of
    one scope (one area, or every area when ``area`` is None) for months in [start, end),
    in one statement (so a fold in between cannot count a change twice or not at all)."""
    from homeward.insights.models import Tally, TallyChange

    columns = ("area", "month", "dimension", "value", *MEASURES)
    filters: dict[str, Any] = {"scope": scope, "month__gte": start, "month__lt": end}
    if area is not None:
        filters["area"] = area
    if dimensions:
        filters["dimension__in"] = list(dimensions)
    done = Tally.objects.filter(**filters).values_list(*columns)
    pending = TallyChange.objects.filter(**filters).values_list(*columns)
    return list(done.union(pending, all=True))
