"""The counting rules, each in one place. docs/counting-rules.md says the same in words.

Everything that turns records into figures calls these functions: the fact table
(homeward.insights.facts), the dashboards, the board reports and the national figures.
Check and interview compliance is not redefined here: it follows
homeward/aftercare/compliance.py, and ``compliance_outcome`` only reads one episode the
way that module does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from homeward.children.codes import LegalStatusKind

LONDON = ZoneInfo("Europe/London")

# --- periods -----------------------------------------------------------------------------
# The statistical year is the DfE collection year, 1 April to 31 March, named by the
# calendar year it starts in (2025 is 2025-26). Quarters are Q1 April-June, Q2 July-
# September, Q3 October-December, Q4 January-March. An episode belongs to the period in
# which it started (the local date in England of "last seen").


def local_date(moment: datetime) -> date:
    """The date in England of an instant."""
    return moment.astimezone(LONDON).date()


def financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(day: date) -> tuple[int, int]:
    """(financial year, quarter 1-4) of a date."""
    return financial_year(day), ((day.month - 4) % 12) // 3 + 1


def year_bounds(year: int) -> tuple[date, date]:
    """[1 April, next 1 April)."""
    return date(year, 4, 1), date(year + 1, 4, 1)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1 to 4")
    start_month = 4 + 3 * (quarter - 1)
    start = date(year + (start_month - 1) // 12, (start_month - 1) % 12 + 1, 1)
    end_month = start_month + 3
    end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return start, end


def month_start(day: date) -> date:
    return day.replace(day=1)


def period_end_instant(end: date) -> datetime:
    """The first instant after a period that ends before ``end`` (local midnight)."""
    return datetime.combine(end, time.min, tzinfo=LONDON)


def year_label(year: int) -> str:
    return f"{year}-{str(year + 1)[-2:]}"


def quarter_label(year: int, quarter: int) -> str:
    return f"{year_label(year)} Q{quarter}"


# --- age -----------------------------------------------------------------------------------
# Age is the child's age in whole years on the day the episode started.

AGE_BANDS: tuple[tuple[str, str, int, int], ...] = (
    ("0-9", "0 to 9", 0, 9),
    ("10-12", "10 to 12", 10, 12),
    ("13-15", "13 to 15", 13, 15),
    ("16-17", "16 to 17", 16, 17),
    ("18+", "18 or over (recording error)", 18, 200),
)


def age_on(date_of_birth: date, day: date) -> int:
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def age_band(age: int) -> str:
    for key, _label, low, high in AGE_BANDS:
        if low <= age <= high:
            return key
    return AGE_BANDS[0][0]  # a negative age cannot be recorded (services refuse it)


# --- duration ------------------------------------------------------------------------------
# Measured from last seen to the return. An episode still open at the end of the period
# ("open at end") is measured to the end of the period and falls in the band "open".

HOUR = timedelta(hours=1)
DURATION_BANDS: tuple[tuple[str, str], ...] = (
    ("lt24h", "Under 24 hours"),
    ("24-48h", "24 to 48 hours"),
    ("2-7d", "2 to 7 days"),
    ("gt7d", "Over 7 days"),
    ("open", "Open at the end of the period"),
)
OPEN = "open"


def duration(start: datetime, returned: datetime | None, period_end: datetime | None) -> timedelta:
    """Time missing, to the return or, when open at the end of the period, to its end."""
    if returned is not None and (period_end is None or returned < period_end):
        return returned - start
    if period_end is None:
        raise ValueError("an open episode is measured to the end of a period")
    return period_end - start


def duration_band(start: datetime, returned: datetime | None, period_end: datetime | None) -> str:
    """lt24h: under 24 hours; 24-48h: 24 hours up to 48; 2-7d: 48 hours up to and
    including 7 days (168 hours); gt7d: over 7 days; open: not returned by the period end
    (``period_end`` None means "as things stand")."""
    if returned is None or (period_end is not None and returned >= period_end):
        return OPEN
    return band_for_hours((returned - start) / HOUR)


def band_for_hours(hours: float) -> str:
    if hours < 24:
        return "lt24h"
    if hours < 48:
        return "24-48h"
    if hours <= 168:
        return "2-7d"
    return "gt7d"


# --- classification ------------------------------------------------------------------------
# SSDA903's M (missing) and A (away from placement without authorisation). An episode can
# change while open: "at the start" is the classification it was reported with (the first
# entry of its history), "at the end" the one it has when it closed, or now if still open.
# Tables by classification use the classification at the end, as SSDA903 returns do.


def classification_at_start(history: Sequence[str], current: str) -> str:
    return history[0] if history else current


def classification_at_end(current: str) -> str:
    return current


# --- legal status ----------------------------------------------------------------------------
# Looked after or not is the child's legal status on the day the episode started.


@dataclass(frozen=True)
class StatusSpell:
    status: str
    start: date
    end: date | None


def legal_status_on(spells: Iterable[StatusSpell], day: date) -> str:
    """The status whose spell covers ``day`` (the latest-starting one if spells overlap)."""
    best: StatusSpell | None = None
    for spell in spells:
        covers = spell.start <= day and (spell.end is None or spell.end >= day)
        if covers and (best is None or spell.start > best.start):
            best = spell
    return best.status if best else str(LegalStatusKind.NONE)


def is_looked_after(status: str) -> bool:
    return status == LegalStatusKind.LOOKED_AFTER


# --- placement and area ------------------------------------------------------------------------
# The placement is the one the episode recorded when it was reported. Out of area: the
# placement's host council is not the child's responsible council. No placement (living at
# home) is "in area".

NO_PLACEMENT = "none"


def out_of_area(host_council_id: int | None, responsible_council_id: int) -> bool:
    return host_council_id is not None and host_council_id != responsible_council_id


# --- children and repeats ------------------------------------------------------------------------
# Each child is counted once per period and area, by person (``person_key`` is the
# ``Child.person`` of the episode's record: linked records are one child). In tables of
# children by a characteristic that can change (age band, legal status, placement), a child
# is counted once, with the value at the start of their first episode in the period and
# area, so that the rows add up to the total number of children.

REPEAT_EPISODES = 3


def is_repeat(episodes_in_period: int) -> bool:
    """Repeat missing in a period: 3 or more episodes starting in it."""
    return episodes_in_period >= REPEAT_EPISODES


def rolling_repeat(starts: Sequence[datetime], this_start: datetime, count: int, days: int) -> bool:
    """The council's rolling rule (homeward.notifications.rules.thresholds, default 3 in 90
    days): this episode is at least the ``count``-th of the child's episodes starting in
    the ``days`` days up to and including its own start."""
    since = this_start - timedelta(days=days)
    return sum(1 for s in starts if since <= s <= this_start) >= count


REPEAT_BANDS: tuple[tuple[str, str, int, int], ...] = (
    ("1", "1 episode", 1, 1),
    ("2", "2 episodes", 2, 2),
    ("3-5", "3 to 5 episodes", 3, 5),
    ("6-9", "6 to 9 episodes", 6, 9),
    ("10+", "10 or more episodes", 10, 10**9),
)


def repeat_band(episodes: int) -> str:
    for key, _label, low, high in REPEAT_BANDS:
        if low <= episodes <= high:
            return key
    return REPEAT_BANDS[0][0]


# --- incidents -------------------------------------------------------------------------------
# Children recorded as having gone missing together (linked episodes) are one incident: an
# incident is a connected group of linked episodes, named by its lowest episode id. An
# episode linked to none is an incident of its own.


def incident_key(episode_id: int, linked: dict[int, set[int]]) -> int:
    seen = {episode_id}
    todo = [episode_id]
    while todo:
        current = todo.pop()
        for other in linked.get(current, ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return min(seen)


# --- worker continuity -------------------------------------------------------------------------
# A change of allocated worker is an allocation that starts in the period and is not the
# child's first allocation ever.


def worker_changes(allocation_starts: Sequence[date], start: date, end: date) -> int:
    ordered = sorted(allocation_starts)
    return sum(1 for s in ordered[1:] if start <= s < end)


# --- checks and interviews -----------------------------------------------------------------
# homeward/aftercare/compliance.py holds these rules: returns in the period, each measured
# against its own safe and well check and the interview that covers it (the one due first);
# within 72 hours = done no later than its due time. These helpers read one episode so.

CHECK_OUTSTANDING = "outstanding"
NOT_RETURNED = ""
NO_INTERVIEW = "none"
