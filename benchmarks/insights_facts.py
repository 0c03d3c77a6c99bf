"""Synthetic fact rows at a national density, for insights_dashboard.py (its docstring
says how they are made): ``FactMaker`` writes them with the project's bulk Sink, flagged
by the rules facts.py uses, with the running totals computed from them."""

from __future__ import annotations

import bisect
import os
import random
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

PER_YEAR = int(os.environ.get("BENCH_PER_YEAR", "216000"))
EPISODES_PER_CHILD = 6.8
KEY_BASE = 10**10  # fact keys far above any real episode or child id
# The flags and counts compute._mark_periods sets, as each fact starts before it runs.
UNMARKED: dict[str, Any] = {
    "first_m": False,
    "first_q": False,
    "first_y": False,
    "first_m_force": False,
    "first_q_force": False,
    "first_y_force": False,
    "n_q": 1,
    "n_y": 1,
    "n_q_force": 1,
    "n_y_force": 1,
    "worker_changes_q": 0,
    "worker_changes_y": 0,
}


class FactMaker:
    """Synthetic facts at a national density, written with the project's bulk Sink (COPY on
    PostgreSQL)."""

    def __init__(self, seed: int, councils: list[Any], forces: list[Any], now: datetime) -> None:
        from homeward.aftercare.codes import PullFactor, PushFactor, RiskFound
        from homeward.children.codes import Ethnicity
        from homeward.insights import counting as c
        from homeward.seed.distributions import chooser

        self.c = c
        self.rng = random.Random(seed)
        self.now = now
        self.councils = councils  # (id, force id)
        self.forces = forces
        rng = self.rng
        sizes = [rng.lognormvariate(0, 0.6) for _ in councils]
        self.pick_council = chooser(rng, dict(enumerate(sizes)))
        self.pick_ethnicity = chooser(
            rng,
            {
                Ethnicity.WBRI: 62, Ethnicity.WOTH: 5, Ethnicity.MWBC: 5, Ethnicity.BAFR: 4,
                Ethnicity.MOTH: 3, Ethnicity.APKN: 3, Ethnicity.AIND: 2, Ethnicity.BCRB: 2,
                Ethnicity.MWBA: 2, Ethnicity.AOTH: 2, Ethnicity.OOTH: 2, Ethnicity.WIRI: 1,
                Ethnicity.CHNE: 0.5, Ethnicity.REFU: 0.5,
            },
        )  # fmt: skip
        self.pick_grade = chooser(rng, {"very_low": 6, "low": 44, "medium": 40, "high": 10})
        self.pick_interview = chooser(
            rng, {"done": 62, "declined": 13, "not_offered": 5, "offered": 3, "pending": 2}
        )
        self.push = [str(v) for v in PushFactor.values]
        self.pull = [str(v) for v in PullFactor.values]
        self.risks = [str(v) for v in RiskFound.values]
        self.next_child = KEY_BASE
        self.next_episode = KEY_BASE

    def counts(self, episodes: int) -> list[int]:
        """Episodes per child: mean 6.8, a third once, a few dozens of times (Lomax)."""
        rng = self.rng
        n = max(1, round(episodes / EPISODES_PER_CHILD))
        weights = [rng.paretovariate(1.25) - 1 for _ in range(n)]
        scale = (episodes - n) / sum(weights)
        return [min(200, 1 + round(w * scale)) for w in weights]

    def run(self, episodes: int, sink: Any) -> tuple[int, int, int]:
        """Write ``episodes`` facts ending an hour ago, PER_YEAR a year, their reason facts
        and the running totals (computed by tally.contributions, as a refresh does).
        Returns (facts, reasons, totals)."""
        from homeward.insights import tally
        from homeward.insights.models import EpisodeFact, ReasonFact

        years = episodes / PER_YEAR
        end = self.now - timedelta(hours=1)
        start = end - timedelta(days=365.25 * years)
        self.window = (start, end)
        sums: tally.Sums = {}
        made = reasons = 0

        def write(facts: list[SimpleNamespace], why: list[SimpleNamespace]) -> None:
            nonlocal made, reasons
            for fact in facts:
                sink.add(EpisodeFact, **vars(fact))
            for row in why:
                sink.add(ReasonFact, id=sink.new_id(ReasonFact), **vars(row))
            tally.merge(sums, tally.contributions(facts, why))
            made += len(facts)
            reasons += len(why)

        while made < episodes:
            for k in self.counts(min(episodes - made, 100_000) + 1000):
                facts, why = self.child(min(k, episodes - made))
                if facts and made + len(facts) < episodes and self.rng.random() < 0.03:
                    # Went missing with another child: one incident, two linked episodes.
                    mine = self.rng.choice(facts)
                    other, other_why = self.child(1, at=mine.start_at)
                    if other:
                        key = min(mine.episode_id, other[0].episode_id)
                        for fact in (mine, other[0]):
                            fact.linked, fact.incident_key = True, key
                        write(other, other_why)
                write(facts, why)
                if made >= episodes:
                    break
        sink.flush()
        tally.write(sums)
        return made, reasons, len(sums)

    def child(
        self, k: int, at: datetime | None = None
    ) -> tuple[list[SimpleNamespace], list[SimpleNamespace]]:
        """One child's ``k`` episodes in the window (or one, at ``at``), and their reasons."""
        rng = self.rng
        begin, span, starts = self._starts(k, at)
        if not starts:
            return [], []
        who = self._person(k, starts[0])
        allocations = [begin.date() - timedelta(days=rng.randrange(30, 900))]
        allocations.extend(
            begin.date() + timedelta(days=rng.randrange(int(span.days) + 90))
            for _ in range(int(rng.expovariate(1 / (1.5 if who.looked_after else 0.6))))
        )
        facts: list[SimpleNamespace] = []
        reasons: list[SimpleNamespace] = []
        since = [s - timedelta(days=90) for s in starts]
        for i, s in enumerate(starts):
            # c.rolling_repeat's rule (3 in 90 days), by bisection: starts are sorted.
            rolling = i - bisect.bisect_left(starts, since[i]) + 1 >= 3
            fact = self._fact(who, s, rolling)
            facts.append(fact)
            if fact.interview_status == "done":
                reasons += self._reasons(who, fact)
        from homeward.insights.compute import _mark_periods

        _mark_periods(facts, allocations)  # type: ignore[arg-type]
        return facts, reasons

    def _starts(self, k: int, at: datetime | None) -> tuple[datetime, timedelta, list[datetime]]:
        """The child's stretch (its beginning and length) and the starts in the window."""
        rng = self.rng
        w_start, w_end = self.window
        span = timedelta(days=min(4 * 365, k * 150 * rng.uniform(0.4, 1.6)))
        # Uniform over the window, including children whose stretch only partly falls in it.
        begin = w_start - span + (w_end - w_start + span) * rng.random()
        seconds = span.total_seconds()
        starts = sorted(
            begin + timedelta(seconds=rng.random() * seconds) for _ in range(k)
        )  # fmt: skip
        starts = [at] if at else [s for s in starts if w_start <= s < w_end]
        return begin, span, starts

    def _person(self, k: int, first: datetime) -> SimpleNamespace:
        """Who the child is: their key, councils, birth, sex, ethnicity and care."""
        c, rng = self.c, self.rng
        self.next_child += 1
        person = self.next_child
        home, home_force = self.councils[self.pick_council()]
        first_age = rng.choices(range(10, 18), weights=[1, 2, 4, 7, 10, 12, 11, 9])[0]
        first_day = c.local_date(first)
        dob = first_day - timedelta(days=365 * first_age + rng.randrange(365))
        sex = "2" if rng.random() < 0.52 else "1"
        ethnicity = self.pick_ethnicity()
        looked_after = rng.random() < (0.6 if k >= 3 else 0.35)
        if looked_after:
            legal = "looked_after"
            placement = rng.choice(["K2", "K2", "K2", "U4", "U6", "U6", "H5"])
            host, host_force = (
                self.councils[rng.randrange(len(self.councils))]
                if rng.random() < 0.3
                else (home, home_force)
            )
        else:
            legal = rng.choice(["child_in_need", "child_protection", "none", "none"])
            placement, host, host_force = c.NO_PLACEMENT, None, home_force
        return SimpleNamespace(
            person=person, home=home, home_force=home_force, dob=dob, sex=sex,
            ethnicity=ethnicity, looked_after=looked_after, legal=legal,
            placement=placement, host=host, host_force=host_force,
        )  # fmt: skip

    def _fact(self, who: SimpleNamespace, s: datetime, rolling: bool) -> SimpleNamespace:
        """The fact row of the episode starting at ``s``, flags not yet marked."""
        c, rng = self.c, self.rng
        self.next_episode += 1
        episode_id = self.next_episode
        day = c.local_date(s)
        year, quarter = c.quarter_of(day)
        age = c.age_on(who.dob, day)
        hours = _duration_minutes(rng) / 60
        returned: datetime | None = s + timedelta(hours=hours)
        if returned is not None and returned > self.now:
            returned = None
        force = who.host_force if rng.random() < 0.9 else rng.choice(self.forces)
        away = who.looked_after and rng.random() < 0.3
        check, interview, offered, within = self._follow_up(returned)
        return SimpleNamespace(
            episode_id=episode_id,
            person_key=who.person,
            incident_key=episode_id,
            linked=False,
            council_id=who.home,
            host_council_id=who.host,
            force_id=force,
            home_force_id=who.home_force,
            start_at=s,
            start_date=day,
            start_month=c.month_start(day),
            year=year,
            quarter=quarter,
            returned_at=returned,
            age=age,
            age_band=c.age_band(age),
            sex=who.sex,
            ethnicity=who.ethnicity,
            legal_status=who.legal,
            placement_type=who.placement,
            out_of_area=c.out_of_area(who.host, who.home),
            risk_grade=self.pick_grade(),
            classification_start="A" if away else "M",
            classification="M" if not away or rng.random() < 0.1 else "A",
            duration_hours=hours if returned else None,
            duration_band=c.band_for_hours(hours) if returned else c.OPEN,
            check_status=check,
            interview_status=interview,
            interview_offered=offered,
            interview_within_72h=within,
            rolling_repeat=rolling,
            **UNMARKED,
            refreshed_at=self.now,
        )

    def _follow_up(self, returned: datetime | None) -> tuple[str, str, bool, bool | None]:
        """(safe and well check, return interview, offered, done within 72 hours)."""
        c, rng = self.c, self.rng
        if returned is None:
            return c.NOT_RETURNED, "pending", False, None
        recent = self.now - returned < timedelta(days=3)
        check = "outstanding" if recent else ("done" if rng.random() < 0.9 else "not_done")
        interview = "pending" if recent else self.pick_interview()
        offered = interview in {"done", "declined", "offered"}
        within = (rng.random() < 0.63) if interview == "done" else None
        return check, interview, offered, within

    def _reasons(self, who: SimpleNamespace, fact: SimpleNamespace) -> list[SimpleNamespace]:
        """The reason facts of a done return interview: one to five reasons."""
        rng = self.rng
        chosen = [
            *(("push", x) for x in rng.sample(self.push, rng.randint(1, 2))),
            *(("pull", x) for x in rng.sample(self.pull, rng.randint(0, 2))),
            *(("risk", x) for x in rng.sample(self.risks, rng.randint(0, 1))),
        ]
        return [
            SimpleNamespace(
                interview_id=fact.episode_id,
                person_key=who.person,
                kind=kind,
                code=code,
                council_id=who.home,
                force_id=fact.force_id,
                start_date=fact.start_date,
            )
            for kind, code in chosen
        ]


def _duration_minutes(rng: random.Random) -> int:
    from homeward.seed.distributions import duration_minutes

    return duration_minutes(rng)
