"""What happens to the demo's children: their missing episodes over the two years (how
many each, who goes missing together, who is missing now), and the checks and interviews
after each return."""

from __future__ import annotations

import bisect
import dataclasses
import random

from homeward.seed import distributions as dist
from homeward.seed.plan import Area, ChildPlan, EpisodePlan, InterviewPlan, PlacementPlan
from homeward.seed.timebase import WINDOW_DAYS


def plan_episodes(area: Area, total: int) -> None:
    rng = area.rng("episodes")
    horizon = area.clock.horizon
    eligible = [c for c in area.children if horizon - c.window_start >= 30 * 1440]
    if total and not eligible:
        raise ValueError("No child is old enough to have gone missing")
    for child in eligible:
        factor = dist.PROFILE_WEIGHT[child.profile]
        age = child.age_on(area.clock.today)
        factor *= 1.6 if age >= 13 else (0.8 if age >= 11 else 0.4)
        span = (horizon - child.window_start) / (WINDOW_DAYS * 1440)
        child.weight = factor * span * rng.lognormvariate(0, 0.7)
    _allocate_counts(area, rng, eligible, total)
    active = [c for c in eligible if c.wanted > 0]
    _plan_open(area, rng, active, total)
    _plan_outings(area, rng, active, total)
    for child in active:
        _plan_individual(area, rng, child)
    area.episodes.sort(key=lambda e: (e.start, e.child.index))


def _allocate_counts(area: Area, rng: random.Random, eligible: list[ChildPlan], total: int) -> None:
    remaining = total
    # A handful of children go missing very often: mostly older children in homes.
    frequent_n = max(1, round(len(area.children) / 40))
    long_window = [c for c in eligible if area.clock.horizon - c.window_start > 300 * 1440]
    candidates = sorted(
        long_window,
        key=lambda c: (
            not (c.current_placement and c.current_placement.placement_type == "K2"),
            -c.weight,
        ),
    )[:frequent_n]
    for child in candidates:
        child.wanted = min(rng.randint(15, 40), max(0, remaining * 3 // 10 // frequent_n))
        remaining -= child.wanted
    others = [c for c in eligible if c not in candidates]
    # Most children known to the service have gone missing at least once.
    for child in sorted(others, key=lambda c: -c.weight)[:remaining]:
        child.wanted = 1
        remaining -= 1
    cap = max(14, 2 * remaining // max(1, len(others)))
    capacity = {c.index: cap if c in others else c.wanted for c in eligible}
    pool = [c for c in eligible if c.wanted < capacity[c.index]]
    while remaining > 0:
        if not pool:
            raise ValueError("Too many episodes for this many children")
        cumulative = []
        running = 0.0
        for c in pool:
            running += c.weight
            cumulative.append(running)
        pick = pool[bisect.bisect_left(cumulative, rng.random() * running)]
        pick.wanted += 1
        remaining -= 1
        if pick.wanted >= capacity[pick.index]:
            pool.remove(pick)


def _plan_open(area: Area, rng: random.Random, active: list[ChildPlan], total: int) -> None:
    """A handful of children are missing now: last seen in the past three days."""
    count = min(len(active), max(1, round(total / 180)))
    for child in sorted(active, key=lambda c: -c.weight * rng.random())[:count]:
        days_ago = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
        start = (WINDOW_DAYS - days_ago) * 1440 + dist.time_of_day(rng, latest_hour=21)
        if start < child.window_start or not child.is_free(start, WINDOW_DAYS * 1440):
            continue
        child.reserve(start, WINDOW_DAYS * 1440 + 10 * 1440)
        area.episodes.append(EpisodePlan(child, start, None))


_Group = tuple[list[ChildPlan], int, int]


def _plan_outings(area: Area, rng: random.Random, active: list[ChildPlan], total: int) -> None:
    """Children who go missing together: mostly from the same home at the same time."""
    wanted = max(1, round(total * 0.02))
    groups = _outing_groups(area, rng, active, wanted)
    if not groups:
        return
    made, attempts, outing = 0, 0, 0
    while made < wanted and attempts < wanted * 30:
        attempts += 1
        chosen = _outing_time(area, rng, groups)
        if chosen is None:
            continue
        outing += 1
        _go_out_together(area, rng, *chosen, outing)
        made += 1


def _outing_groups(
    area: Area, rng: random.Random, active: list[ChildPlan], wanted: int
) -> list[_Group]:
    """Who may go missing together, and between which minutes: pairs placed in the same
    home, then threes of older children of the same council."""
    pairs = _co_resident_pairs(area, active)
    by_council: dict[str, list[ChildPlan]] = {}
    for child in active:
        if child.age_on(area.clock.today) >= 12:
            by_council.setdefault(child.council.key, []).append(child)
    groups: list[_Group] = []
    for a, b, start, end in pairs[: max(1, wanted // 3)]:
        groups.append(([a, b], start, end))
    for key in sorted(by_council):
        members = by_council[key]
        if len(members) >= 3 and len(groups) < max(2, wanted // 2):
            trio = rng.sample(members, 3)
            start = max(c.window_start for c in trio)
            groups.append((trio, start, area.clock.horizon))
    return groups


def _outing_time(area: Area, rng: random.Random, groups: list[_Group]) -> _Group | None:
    """One try at an outing: a group (or two of it) and a time when all of them are free,
    or None when the try fails."""
    members, low, high = rng.choice(groups)
    if rng.random() < 0.6 and len(members) > 2:
        members = rng.sample(members, 2)
    if any(len(_planned(area, c)) >= c.wanted for c in members):
        return None
    duration = dist.duration_minutes(rng)
    day = rng.randint(low // 1440, max(low // 1440, (high - duration) // 1440))
    start = day * 1440 + dist.time_of_day(rng)
    end = start + duration
    if start < low or end > min(high, area.clock.horizon):
        return None
    if not all(c.is_free(start, end) and start >= c.window_start for c in members):
        return None
    return members, start, end


def _go_out_together(
    area: Area, rng: random.Random, members: list[ChildPlan], start: int, end: int, outing: int
) -> None:
    """The outing's episodes: the others leave up to 20 minutes after the first, and come
    back up to 90 minutes after."""
    for i, child in enumerate(members):
        offset = 0 if i == 0 else rng.randint(0, 20)
        back = end + (0 if i == 0 else rng.randint(0, 90))
        back = min(back, area.clock.horizon)
        child.reserve(start + offset, back)
        area.episodes.append(EpisodePlan(child, start + offset, back, outing=outing))


def _co_resident_pairs(
    area: Area, active: list[ChildPlan]
) -> list[tuple[ChildPlan, ChildPlan, int, int]]:
    """Pairs of children placed in the same home at the same time, with the overlap."""
    found: list[tuple[ChildPlan, ChildPlan, int, int]] = []
    stays: list[tuple[ChildPlan, PlacementPlan]] = [
        (c, p) for c in active for p in c.placements if p.home is not None
    ]
    for i, (a, pa) in enumerate(stays):
        for b, pb in stays[i + 1 :]:
            if a is b or pa.home is not pb.home:
                continue
            low = max(pa.start, pb.start, area.clock.start_date)
            high = min(pa.end or area.clock.today, pb.end or area.clock.today)
            if (high - low).days < 60:
                continue
            start = max(area.clock.minute_of(low) + 1440, a.window_start, b.window_start)
            end = area.clock.minute_of(high) - 1440
            if end - start > 30 * 1440:
                found.append((a, b, start, end))
    found.sort(key=lambda f: (-(f[3] - f[2]), f[0].index, f[1].index))
    return found


def _planned(area: Area, child: ChildPlan) -> list[EpisodePlan]:
    return [e for e in area.episodes if e.child is child]


def _plan_individual(area: Area, rng: random.Random, child: ChildPlan) -> None:
    need = child.wanted - len(_planned(area, child))
    low_day = child.window_start // 1440 + 1
    high_day = area.clock.horizon // 1440 - 1
    for _ in range(need):
        for attempt in range(400):
            duration = dist.duration_minutes(rng) if attempt < 200 else rng.randint(30, 240)
            day = rng.randint(low_day, high_day)
            start = day * 1440 + dist.time_of_day(rng)
            end = start + duration
            fits = start >= child.window_start and end <= area.clock.horizon
            if fits and child.is_free(start, end):
                break
        else:
            raise ValueError(f"No room for another episode for child {child.index}")
        child.reserve(start, end)
        area.episodes.append(EpisodePlan(child, start, end))


def plan_aftercare(area: Area) -> None:
    """What record_return, record_check and the interview services would have written.

    Each return gets a safe and well check (done, or not done with a reason) and is
    covered by a return interview: the child's interview still open at the return, or
    a new one due 72 hours later. About two thirds of interviews done are done in time
    (audits found councils at about 63%)."""
    rng = area.rng("aftercare")
    latest: dict[int, InterviewPlan] = {}
    for plan in area.episodes:
        if plan.end is None:
            continue
        plan.check = dist.check_course(rng, plan.end, area.clock.horizon)
        current = latest.get(plan.child.index)
        if current is None or (current.closed is not None and current.closed <= plan.end):
            current = _plan_interview(area, rng, plan.child, plan.end)
            latest[plan.child.index] = current
            area.interviews.append(current)
        current.episodes.append(plan)
        plan.interview = current


def _plan_interview(
    area: Area, rng: random.Random, child: ChildPlan, returned: int
) -> InterviewPlan:
    course = dist.interview_course(rng, returned, area.clock.horizon)
    return InterviewPlan(child=child, first_return=returned, **dataclasses.asdict(course))
