"""The one place the service reads the time, so tests can move it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

# The time zone every date and time is shown and entered in.
UK = ZoneInfo("Europe/London")

# Clock skew we tolerate between a device and the server before calling a time "future".
FUTURE_TOLERANCE = timedelta(minutes=5)


def now() -> datetime:
    return timezone.now()


def is_future(value: datetime) -> bool:
    return value > now() + FUTURE_TOLERANCE
