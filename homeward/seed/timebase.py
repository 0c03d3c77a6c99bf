"""Time in the demo: whole minutes from the start of its two-year window."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

WINDOW_DAYS = 730


class Clock:
    """Minutes from local midnight at the start of the two-year window.

    Plans are made in whole minutes so that every comparison is exact; converting to a
    datetime adds minutes to one UTC origin, so the order survives clock changes."""

    def __init__(self, now: datetime) -> None:
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.now = now
        self.today = timezone.localtime(now, self.zone).date()
        self.start_date = self.today - timedelta(days=WINDOW_DAYS)
        self.origin = datetime.combine(self.start_date, time(0), tzinfo=self.zone).astimezone(UTC)
        # Two hours before today's midnight, whatever the clock change: never the future.
        self.horizon = WINDOW_DAYS * 1440 - 120

    def at(self, minute: int) -> datetime:
        return self.origin + timedelta(minutes=minute)

    def local_date(self, minute: int) -> date:
        return self.at(minute).astimezone(self.zone).date()

    def day(self, offset: int) -> date:
        """The date ``offset`` days after the window starts (negative: before it)."""
        return self.start_date + timedelta(days=offset)

    def minute_of(self, day: date) -> int:
        return (day - self.start_date).days * 1440


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)
