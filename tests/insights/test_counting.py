"""Each counting rule on its own, with answers worked out by hand."""

from datetime import date, datetime, timedelta

from homeward.insights import counting as c

UTC_NOON = datetime(2025, 3, 31, 12, 0, tzinfo=c.LONDON)


def test_year_runs_from_1_april_to_31_march() -> None:
    """31 March 2025 is in 2024-25; 1 April 2025 starts 2025-26."""
    assert c.financial_year(date(2025, 3, 31)) == 2024
    assert c.financial_year(date(2025, 4, 1)) == 2025
    assert c.year_bounds(2024) == (date(2024, 4, 1), date(2025, 4, 1))
    assert c.year_label(2024) == "2024-25"


def test_quarters() -> None:
    """Q1 April-June, Q2 July-September, Q3 October-December, Q4 January-March."""
    assert c.quarter_of(date(2024, 4, 1)) == (2024, 1)
    assert c.quarter_of(date(2024, 9, 30)) == (2024, 2)
    assert c.quarter_of(date(2024, 12, 31)) == (2024, 3)
    assert c.quarter_of(date(2025, 3, 31)) == (2024, 4)
    assert c.quarter_bounds(2024, 4) == (date(2025, 1, 1), date(2025, 4, 1))
    assert c.quarter_bounds(2024, 3) == (date(2024, 10, 1), date(2025, 1, 1))


def test_start_date_is_the_date_in_england() -> None:
    """23:30 UTC on 31 May in summer time is 00:30 on 1 June in England."""
    from datetime import UTC

    assert c.local_date(datetime(2024, 5, 31, 23, 30, tzinfo=UTC)) == date(2024, 6, 1)
    assert c.local_date(datetime(2024, 12, 31, 23, 30, tzinfo=UTC)) == date(2024, 12, 31)


def test_age_at_the_start_and_bands() -> None:
    """Born 10 October 2008: 15 on 9 October 2024, 16 on the 10th."""
    dob = date(2008, 10, 10)
    assert c.age_on(dob, date(2024, 10, 9)) == 15
    assert c.age_on(dob, date(2024, 10, 10)) == 16
    assert [c.age_band(a) for a in (0, 9, 10, 12, 13, 15, 16, 17)] == [
        "0-9", "0-9", "10-12", "10-12", "13-15", "13-15", "16-17", "16-17",
    ]  # fmt: skip


def test_duration_bands_and_open_at_the_end() -> None:
    """23h59 is under 24 h; 24 h exactly is 24-48 h; 48 h is 2-7 days; 168 h (7 days) is
    still 2-7 days; 168 h and a minute is over 7 days. An episode not back by the end of
    the period is 'open', measured to the period end."""
    start = datetime(2025, 3, 30, 22, 0, tzinfo=c.LONDON)
    for hours, band in ((23.99, "lt24h"), (24, "24-48h"), (48, "2-7d"), (168, "2-7d"),
                        (168.02, "gt7d")):  # fmt: skip
        assert c.duration_band(start, start + timedelta(hours=hours), None) == band
    end = c.period_end_instant(date(2025, 4, 1))
    back = start + timedelta(hours=72)  # 2 April 22:00
    assert c.duration_band(start, back, end) == "open"
    assert c.duration(start, back, end) == timedelta(hours=26)  # to midnight 31 March
    assert c.duration(start, back, None) == timedelta(hours=72)
    assert c.duration_band(start, None, end) == "open"


def test_classification_at_start_and_end() -> None:
    """Reported as A, changed to M: A at the start, M at the end."""
    assert c.classification_at_start(["A", "M"], "M") == "A"
    assert c.classification_at_end("M") == "M"
    assert c.classification_at_start([], "M") == "M"


def test_legal_status_on_the_start_day() -> None:
    """Looked after from 1 May 2024 to 31 July 2024 (inclusive)."""
    spells = [c.StatusSpell("looked_after", date(2024, 5, 1), date(2024, 7, 31))]
    assert c.legal_status_on(spells, date(2024, 4, 30)) == "none"
    assert c.legal_status_on(spells, date(2024, 5, 1)) == "looked_after"
    assert c.legal_status_on(spells, date(2024, 7, 31)) == "looked_after"
    assert c.legal_status_on(spells, date(2024, 8, 1)) == "none"


def test_out_of_area() -> None:
    assert c.out_of_area(2, 1) is True
    assert c.out_of_area(1, 1) is False
    assert c.out_of_area(None, 1) is False


def test_repeat_in_period_and_rolling_rule() -> None:
    """3 or more in the period is repeat. Rolling 3 in 90 days: starts on day 0, 50 and
    89 make the third a repeat; day 0, 50 and 91 do not (day 0 is outside 90 days)."""
    assert not c.is_repeat(2)
    assert c.is_repeat(3)
    day0 = datetime(2024, 4, 1, 12, tzinfo=c.LONDON)
    starts = [day0, day0 + timedelta(days=50), day0 + timedelta(days=89)]
    assert c.rolling_repeat(starts, starts[2], 3, 90)
    late = [day0, day0 + timedelta(days=50), day0 + timedelta(days=91)]
    assert not c.rolling_repeat(late, late[2], 3, 90)


def test_incidents_are_linked_groups() -> None:
    """1-2 linked, 2-3 linked: one incident named 1. 4 alone: its own."""
    links = {1: {2}, 2: {1, 3}, 3: {2}}
    assert {c.incident_key(e, links) for e in (1, 2, 3)} == {1}
    assert c.incident_key(4, links) == 4


def test_worker_changes_skip_the_first_allocation() -> None:
    """Allocations from 1 Jan 2023, 1 Jun 2024, 1 Dec 2024: 2 changes in 2024-25, 1 in
    its Q1 (April-June), none in 2023-24 (1 Jan 2023 is the first allocation)."""
    starts = [date(2023, 1, 1), date(2024, 6, 1), date(2024, 12, 1)]
    assert c.worker_changes(starts, *c.year_bounds(2024)) == 2
    assert c.worker_changes(starts, *c.quarter_bounds(2024, 1)) == 1
    assert c.worker_changes(starts, *c.year_bounds(2022)) == 0
