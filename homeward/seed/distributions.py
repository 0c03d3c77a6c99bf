"""The one set of distributions the demo and the generator both draw from.

The shape follows the published figures: most episodes last under two days (90% of
incidents last two days or less), risk is mostly graded low or medium, nearly every return
gets a safe and well check, and about 63% of return interviews done are done within 72
hours. Repeat missing is concentrated in a few children; each loader spreads its episodes
its own way (the demo over named children, the generator about 6.8 for each child who goes
missing).
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from homeward.aftercare.codes import InterviewOutcome
from homeward.aftercare.models import InterviewStatus
from homeward.children.codes import Ethnicity, Sex
from homeward.episodes.models import ReporterType, ReturnMethod
from homeward.seed.timebase import add_years

FEMALE_SHARE = 0.52
# Ages of children known to the service for going missing (eight to seventeen).
AGE_WEIGHTS: dict[int, float] = {
    8: 2, 9: 2, 10: 3, 11: 4, 12: 6, 13: 8, 14: 10, 15: 11, 16: 10, 17: 8,
}  # fmt: skip
ETHNICITY_MIX: dict[str, float] = {
    Ethnicity.WBRI: 62, Ethnicity.WOTH: 5, Ethnicity.WIRI: 1, Ethnicity.WROM: 1,
    Ethnicity.WIRT: 0.5, Ethnicity.MWBC: 5, Ethnicity.MWBA: 2, Ethnicity.MWAS: 2,
    Ethnicity.MOTH: 3, Ethnicity.AIND: 2, Ethnicity.APKN: 3, Ethnicity.ABAN: 1,
    Ethnicity.AOTH: 2, Ethnicity.BCRB: 2, Ethnicity.BAFR: 4, Ethnicity.BOTH: 1.5,
    Ethnicity.CHNE: 0.5, Ethnicity.OOTH: 2, Ethnicity.REFU: 0.5, Ethnicity.NOBT: 1,
}  # fmt: skip
# About half looked after at some point in the window; some child in need or protection.
PROFILES = {
    "lac_long": 0.30,
    "lac_entered": 0.12,
    "lac_left": 0.08,
    "cp": 0.08,
    "cin": 0.12,
    "none": 0.30,
}
# How often, relative to each other, children of each profile go missing.
PROFILE_WEIGHT = {
    "lac_long": 3.0,
    "lac_entered": 2.5,
    "lac_left": 2.5,
    "cp": 1.8,
    "cin": 1.5,
    "none": 1.0,
}

UPN_SHARE = 0.55  # children with a UPN recorded
NHS_NUMBER_SHARE = 0.6  # children with an NHS number recorded

AWAY_SHARE = 0.3  # of episodes from a placement of a looked-after child, classified A
GRADES = {"very_low": 0.06, "low": 0.44, "medium": 0.40, "high": 0.10}
GRADES_UNDER_13 = {"very_low": 0.02, "low": 0.30, "medium": 0.48, "high": 0.20}
GRADES_FREQUENT = {"very_low": 0.05, "low": 0.35, "medium": 0.42, "high": 0.18}
RETURN_METHODS: dict[str, float] = {
    ReturnMethod.RETURNED_SELF: 0.45,
    ReturnMethod.FOUND_BY_POLICE: 0.2,
    ReturnMethod.FOUND_BY_CARER: 0.2,
    ReturnMethod.BROUGHT_BACK: 0.12,
    ReturnMethod.OTHER: 0.03,
}
# Minutes from last seen to the report, by who noticed (others: 20 to 240).
REPORT_DELAY: dict[str, tuple[int, int]] = {
    ReporterType.PARENT: (60, 480),
    ReporterType.HOME_STAFF: (30, 180),
    ReporterType.CARER: (45, 240),
}
# Most children go missing in the afternoon and evening.
HOUR_WEIGHTS = (2, 1, 1, 0.5, 0.5, 0.5, 1, 2, 3, 2, 2, 2, 2, 2, 3, 5, 7, 7, 8, 8, 8, 7, 5, 3)

CHECK_DONE = 0.9  # of returns: a safe and well check done (else recorded as not done)
CHECK_LATE = 0.1  # of checks done: more than 20 hours after the return
INTERVIEW_NOT_OFFERED = 0.06
INTERVIEW_DECLINED = 0.2  # of interviews offered
INTERVIEW_IN_TIME = 0.63  # of interviews done: within 72 hours of the return

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 letters: 8 of them = 2**40


K = TypeVar("K")


def weighted(rng: random.Random, options: dict[str, float]) -> str:
    return rng.choices(list(options), weights=list(options.values()))[0]


def chooser(rng: random.Random, options: Mapping[K, float]) -> Callable[[], K]:
    """A fast weighted chooser (``random.choices`` rebuilds its table on every call)."""
    keys = list(options)
    cumulative: list[float] = []
    total = 0.0
    for key in keys:
        total += options[key]
        cumulative.append(total)
    return lambda: keys[bisect.bisect_right(cumulative, rng.random() * total)]


def sex(rng: random.Random) -> str:
    return Sex.FEMALE if rng.random() < FEMALE_SHARE else Sex.MALE


def age(rng: random.Random, youngest: int = 8) -> int:
    ages = [a for a in AGE_WEIGHTS if a >= youngest]
    return rng.choices(ages, weights=[AGE_WEIGHTS[a] for a in ages])[0]


def date_of_birth(rng: random.Random, today: date, youngest: int = 8) -> date:
    """A child aged ``youngest`` to 17 today, any day of that year of age."""
    years = age(rng, youngest)
    earliest = add_years(today, -(years + 1)) + timedelta(days=1)
    latest = add_years(today, -years)
    return earliest + timedelta(days=rng.randint(0, (latest - earliest).days))


def duration_minutes(rng: random.Random) -> int:
    """Minutes missing: about 90% of episodes end within two days; a tail to two weeks."""
    roll = rng.random()
    if roll < 0.35:
        return rng.randint(30, 360)
    if roll < 0.65:
        return rng.randint(360, 960)
    if roll < 0.91:
        return rng.randint(960, 47 * 60)
    if roll < 0.985:
        return rng.randint(48 * 60, 5 * 1440)
    return rng.randint(5 * 1440, 14 * 1440)


def time_of_day(rng: random.Random, latest_hour: int = 23) -> int:
    """Minutes after midnight, mostly in the afternoon and evening."""
    hours = list(range(latest_hour + 1))
    hour = rng.choices(hours, weights=HOUR_WEIGHTS[: latest_hour + 1])[0]
    return hour * 60 + rng.randint(0, 59)


@dataclass
class CheckCourse:
    """A safe and well check after a return, in minutes of the loader's clock."""

    done: bool
    conducted: int | None
    recorded: int


def check_course(rng: random.Random, returned: int, horizon: int) -> CheckCourse | None:
    """Done (now and then late) or not done; None if not recorded by the horizon."""
    if rng.random() < CHECK_DONE:
        late = rng.random() < CHECK_LATE
        conducted = returned + (rng.randint(20 * 60, 72 * 60) if late else rng.randint(30, 1200))
        recorded = conducted + rng.randint(10, 240)
        return CheckCourse(True, conducted, recorded) if recorded <= horizon else None
    recorded = returned + rng.randint(60, 48 * 60)
    return CheckCourse(False, None, recorded) if recorded <= horizon else None


@dataclass
class InterviewCourse:
    """What the interview services record after a return, in minutes: offered, then
    accepted and done, declined, or not offered; nothing yet if recent."""

    status: str = InterviewStatus.PENDING
    outcome: str = ""
    offered: int | None = None
    decided: int | None = None
    done: int | None = None
    closed: int | None = None


def interview_course(rng: random.Random, returned: int, horizon: int) -> InterviewCourse:
    course = InterviewCourse()
    if rng.random() < INTERVIEW_NOT_OFFERED:
        decided = returned + rng.randint(24 * 60, 96 * 60)
        if decided <= horizon:
            course.status = InterviewStatus.NOT_OFFERED
            course.outcome = InterviewOutcome.NOT_OFFERED
            course.decided = course.closed = decided
        return course
    # Offered within 48 hours and decided within 12 more, so "in time" stays in time.
    offered = returned + rng.randint(2 * 60, 48 * 60)
    if offered > horizon:
        return course
    course.status, course.offered = InterviewStatus.OFFERED, offered
    decided = offered + rng.randint(0, 12 * 60)
    if decided > horizon:
        return course
    course.decided = decided
    if rng.random() < INTERVIEW_DECLINED:
        course.status, course.outcome = InterviewStatus.DECLINED, InterviewOutcome.DECLINED
        course.closed = decided
        return course
    course.status, course.outcome = InterviewStatus.ACCEPTED, InterviewOutcome.ACCEPTED
    in_time = rng.random() < INTERVIEW_IN_TIME
    target = returned + (
        rng.randint(6 * 60, 71 * 60) if in_time else rng.randint(73 * 60, 8 * 1440)
    )
    done = max(target, decided + rng.randint(30, 180))
    if done <= horizon:
        course.status = InterviewStatus.DONE
        course.done = course.closed = done
    return course
