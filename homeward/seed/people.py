"""Who the demo's children are: councils, names, identifiers, legal statuses, placements
and allocated workers over time, all planned before any row is written."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from homeward.children.codes import PlacementType
from homeward.seed import distributions as dist
from homeward.seed.area import (
    COUNCILS,
    DEMO_WORKER,
    HOMES,
    HOST_COUNCIL,
    CouncilSpec,
    HomeSpec,
    social_worker_usernames,
)
from homeward.seed.codes import make_nhs_number, make_upn
from homeward.seed.names import first_name, surname, surname_pool
from homeward.seed.plan import (
    CIN,
    CP,
    LAC,
    AllocationPlan,
    Area,
    ChildPlan,
    PlacementPlan,
    StatusPlan,
)
from homeward.seed.timebase import add_years


def plan_children(area: Area, count: int) -> None:
    rng = area.rng("children")
    shares = [c.share for c in COUNCILS]
    quotas = _apportion(count, shares)
    councils = [c for c, n in zip(COUNCILS, quotas, strict=True) for _ in range(n)]
    rng.shuffle(councils)
    names: set[tuple[str, str]] = set()
    for index, council in enumerate(councils):
        child = _plan_child(area, rng, index, council)
        while (child.first_name, child.last_name) in names:
            child.first_name = first_name(rng, child.sex)
        names.add((child.first_name, child.last_name))
        area.children.append(child)
    responsible = {c.key: 0 for c in COUNCILS}
    for child in area.children:
        responsible[child.council.key] += 1
    top = max(responsible.values())
    area.main_council = next(c for c in COUNCILS if responsible[c.key] == top)


def _plan_child(area: Area, rng: random.Random, index: int, council: CouncilSpec) -> ChildPlan:
    sex = dist.sex(rng)
    dob = dist.date_of_birth(rng, area.clock.today)
    ethnicity = dist.weighted(rng, dist.ETHNICITY_MIX)
    pool = surname_pool(rng, ethnicity)
    child = ChildPlan(
        index=index,
        council=council,
        first_name=first_name(rng, sex),
        last_name=surname(rng, pool),
        sex=sex,
        dob=dob,
        ethnicity=ethnicity,
        profile=dist.weighted(rng, dist.PROFILES),
    )
    if rng.random() < dist.UPN_SHARE:
        child.upn = make_upn(rng, council.code)
    if rng.random() < dist.NHS_NUMBER_SHARE:
        child.nhs_number = make_nhs_number(rng)
    if rng.random() < 0.18:
        if rng.random() < 0.5:
            child.aliases.append(f"{child.first_name} {surname(rng, pool)}")
        else:
            child.aliases.append(f"{first_name(rng, sex)} {child.last_name}")
    _plan_statuses(area, rng, child)
    _plan_placements(area, rng, child)
    ten = add_years(dob, 10)
    child.window_start = max(0, area.clock.minute_of(ten))
    return child


@dataclass(frozen=True)
class _Dates:
    """Where a child's legal statuses fall: ``before`` the window opens (not before the
    floor, a month after birth) or ``within`` it (not in its last 20 days)."""

    rng: random.Random
    floor: date
    t0: date
    today: date

    def before(self, low: int, high: int) -> date:
        return max(self.floor, self.t0 - timedelta(days=self.rng.randint(low, high)))

    def within(self, low: int, high: int) -> date:
        return min(
            self.today - timedelta(days=20), self.t0 + timedelta(days=self.rng.randint(low, high))
        )


# Each profile's statuses: (status, start) in order, and the day the last one ends (or None).
_Steps = tuple[list[tuple[str, date]], date | None]


def _lac_long(d: _Dates) -> _Steps:
    steps: list[tuple[str, date]] = []
    start = d.before(30, 1800)
    if d.rng.random() < 0.4:
        steps.append((CP, start - timedelta(days=d.rng.randint(90, 400))))
    steps.append((LAC, start))
    return steps, None


def _lac_entered(d: _Dates) -> _Steps:
    steps: list[tuple[str, date]] = [(CIN, d.before(100, 900))]
    if d.rng.random() < 0.5:
        steps.append((CP, d.within(0, 300)))
    steps.append((LAC, d.within(320, 650)))
    return steps, None


def _lac_left(d: _Dates) -> _Steps:
    steps: list[tuple[str, date]] = [(LAC, d.before(100, 1500))]
    left = d.within(60, 600)
    end: date | None = None
    if d.rng.random() < 0.5:
        steps.append((CIN, left))
        if d.rng.random() < 0.4:
            end = min(d.today - timedelta(days=5), left + timedelta(days=d.rng.randint(90, 300)))
    else:
        end = left
    return steps, end


def _cp(d: _Dates) -> _Steps:
    start = d.before(60, 700)
    steps: list[tuple[str, date]] = [(CIN, start), (CP, d.within(0, 500))]
    if d.rng.random() < 0.3:
        steps.append((CIN, d.within(520, 700)))
    return steps, None


def _cin(d: _Dates) -> _Steps:
    steps: list[tuple[str, date]] = [
        (CIN, d.before(0, 600) if d.rng.random() < 0.7 else d.within(0, 500))
    ]
    end = d.within(300, 700) if d.rng.random() < 0.3 else None
    return steps, end


_PROFILE_STEPS = {
    "lac_long": _lac_long,
    "lac_entered": _lac_entered,
    "lac_left": _lac_left,
    "cp": _cp,
    "cin": _cin,
}


def _plan_statuses(area: Area, rng: random.Random, child: ChildPlan) -> None:
    floor = child.dob + timedelta(days=30)
    dates = _Dates(rng, floor, area.clock.start_date, area.clock.today)
    planner = _PROFILE_STEPS.get(child.profile)
    steps, end = planner(dates) if planner is not None else ([], None)
    # Keep the sequence strictly increasing and after birth.
    kept: list[tuple[str, date]] = []
    for status, start in steps:
        start = max(start, floor)
        if kept and start <= kept[-1][1]:
            continue
        kept.append((status, start))
    if end is not None and kept and end <= kept[-1][1]:
        end = None
    for i, (status, start) in enumerate(kept):
        following = kept[i + 1][1] if i + 1 < len(kept) else end
        child.statuses.append(StatusPlan(status, start, following))


def _plan_placements(area: Area, rng: random.Random, child: ChildPlan) -> None:
    today = area.clock.today
    unstable = rng.random() < 0.25
    for status in child.statuses:
        if status.status != LAC:
            continue
        cursor = status.start
        while True:
            kind = _placement_type(area, rng, child.age_on(cursor))
            days = rng.randint(30, 200) if unstable else rng.randint(120, 800)
            following = cursor + timedelta(days=days)
            if following < area.clock.start_date - timedelta(days=365):
                # Keep the history before the window short: one long placement.
                following = area.clock.start_date - timedelta(days=rng.randint(0, 365))
            end: date | None = following
            last = False
            if status.end is not None and following >= status.end:
                end, last = status.end, True
            elif following >= today - timedelta(days=3):
                end, last = None, True
            home: HomeSpec | None = None
            host = child.council
            if kind == PlacementType.K2:
                home = _home_with_room(area, rng, cursor, end or today)
                if home is None:  # every home is full: a foster placement instead
                    kind = PlacementType.U6
                else:
                    host = area.councils[home.council]
                    area.home_stays[home.key].append((cursor, end or today))
            if kind.startswith("U") and rng.random() < 0.15:
                host = _other_council(area, child.council)
            child.placements.append(
                PlacementPlan(
                    placement_type=kind,
                    home=home,
                    host=host,
                    district=rng.choice(host.districts),
                    start=cursor,
                    end=end,
                )
            )
            if last or end is None:
                break
            cursor = end


def _home_with_room(area: Area, rng: random.Random, start: date, end: date) -> HomeSpec | None:
    """A children's home with a free bed on every day from start to end."""
    homes = list(HOMES)
    while homes:
        home = rng.choices(homes, weights=[h.share for h in homes])[0]
        stays = area.home_stays[home.key]
        # Occupancy only rises at a stay's start, so checking those days is enough.
        days = [start] + [s for s, _ in stays if start < s <= end]
        if all(sum(1 for s, e in stays if s <= d < e) < home.beds for d in days):
            return home
        homes.remove(home)
    return None


def _placement_type(area: Area, rng: random.Random, age: int) -> str:
    if age >= 16:
        options = {"H5": 0.25, "K2": 0.35, "U4": 0.15, "U6": 0.18, "P1": 0.07}
    elif age >= 12:
        options = {"K2": 0.40, "U4": 0.16, "U6": 0.24, "U1": 0.05, "U3": 0.07}
        options |= {"U5": 0.03, "P1": 0.05}
    else:
        options = {"U6": 0.38, "U4": 0.25, "U1": 0.1, "U3": 0.1, "U2": 0.04}
        options |= {"K2": 0.08, "P1": 0.05}
    return dist.weighted(rng, options)


def _other_council(area: Area, council: CouncilSpec) -> CouncilSpec:
    """Foster placements out of area: mostly in the host council."""
    return area.councils[HOST_COUNCIL if council.key != HOST_COUNCIL else "sedgecombe"]


def plan_allocations(area: Area) -> None:
    rng = area.rng("allocations")
    t0 = area.clock.start_date
    for child in area.children:
        if not child.statuses:
            continue
        workers = social_worker_usernames(child.council, child.council is area.main_council)
        start = max(child.statuses[0].start, t0 - timedelta(days=rng.randint(0, 300)))
        end = child.statuses[-1].end
        churn = rng.random() < 0.15
        worker = rng.choice(workers)
        while True:
            allocation = AllocationPlan(worker, start)
            child.allocations.append(allocation)
            days = rng.randint(60, 240) if churn else rng.randint(180, 800)
            following = start + timedelta(days=days)
            if end is not None and following >= end:
                allocation.end = end
                break
            if following >= area.clock.today - timedelta(days=2):
                break
            allocation.end = following
            start = following
            worker = rng.choice([w for w in workers if w != worker] or workers)


def give_the_demo_worker_a_caseload(area: Area) -> None:
    """``social.worker`` is the allocated worker now of the main council's children a
    demo user meets first: those missing now, those placed in the demo's children's home
    (``care.staff``'s) and those placed out of area. So a report about any of them
    reaches the demo login, as it would reach the real allocated worker. Their earlier
    allocations stay with other workers (a change of worker stays a change)."""
    main = area.main_council
    others = [w for w in social_worker_usernames(main, True) if w != DEMO_WORKER]
    missing_now = {e.child.index for e in area.episodes if e.end is None}
    for child in area.children:
        if child.council is not main or not child.allocations:
            continue
        current = child.allocations[-1]
        placement = child.current_placement
        meets_first = (
            child.index in missing_now
            or (placement is not None and placement.home is area.care_home)
            or (placement is not None and placement.host is not main)
        )
        if current.end is not None or not meets_first or current.worker == DEMO_WORKER:
            continue
        current.worker = DEMO_WORKER
        if len(child.allocations) >= 2 and child.allocations[-2].worker == DEMO_WORKER:
            before = child.allocations[-3].worker if len(child.allocations) >= 3 else None
            child.allocations[-2].worker = next((w for w in others if w != before), others[0])


def choose_care_home(area: Area) -> None:
    current = {h.key: 0 for h in HOMES}
    for child in area.children:
        placement = child.current_placement
        if placement is not None and placement.home is not None:
            current[placement.home.key] += 1
    top = max(current.values())
    area.care_home = next(h for h in HOMES if current[h.key] == top)


def _apportion(total: int, shares: list[float]) -> list[int]:
    """Largest remainder: whole numbers in proportion to ``shares`` summing to ``total``."""
    exact = [total * s / sum(shares) for s in shares]
    counts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
