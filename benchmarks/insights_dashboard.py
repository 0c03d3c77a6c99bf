"""Dashboard latency at two sizes, and freshness (a saved episode is in the figures).

What it measures. Dashboards read the statistics layer: the fact tables, which
homeward/insights/facts.py keeps up to date as records are saved, and the running totals
made from them (tally.py; queries.py reads these, and the facts only for incidents of
linked episodes). Each dashboard (the largest
council, the largest police force, the nation with small numbers suppressed) is rendered
as a signed-in user gets it, through Django's test client (the whole view, the template
and suppression; no web server), BENCH_REQUESTS times, for each period the dashboards
offer: the last complete quarter, the current quarter (in progress), the last complete
statistical year and the current one. The national CSV (all councils, secondary
suppression) is timed too, for the last complete year.

Where the facts come from (BENCH_SOURCE):

``facts`` (default): synthetic fact rows written straight into the fact tables with COPY,
flagged by the same rules facts.py uses (``_mark_periods``; the same rolling repeat rule),
and the running totals computed from them by ``tally.contributions``, the function every
refresh uses. Each size is loaded afresh into empty tables; the secondary indexes are
dropped for the load and made again after it, then the tables are vacuumed and analysed
(as autovacuum would do after a bulk load). The density is national: BENCH_PER_YEAR
episodes a year (default 216,000, the police figure for all children in England in
2022-23, DOMAIN.md), so a larger size is a longer history, not a busier year; run with
BENCH_PER_YEAR=500000 for a year 2.3 times busier than England's (5M over 10 years, as
``homeward generate`` spreads 5M). Children go missing over a stretch of their lives:
about 6.8 episodes each (heavy-tailed), spread over months or years, so a child is counted
again in later quarters and years, as in life. Reason facts are made for every done return
interview (one to five reasons each). 153 councils of lognormal size; 43 forces, one of
them covering 33 councils (as the Metropolitan Police covers London's boroughs).

``records``: whatever the database holds already, e.g. after
``homeward generate --episodes N --seed S`` (real records; generate makes their facts and
totals in its own transaction, with facts.refresh_children). Nothing is loaded; the size is
what is there.

Every run checks that the nation's episodes read from the totals equal the fact rows.

Freshness: a real episode reported through the service must show in the council's
figures for the current quarter; the time from the service call returning to the headline
changing (facts and totals are written in the saving transaction, so this is one read),
and the same for its return (the "open now" figure). The service calls' own times are
reported: they include refreshing the child's facts and totals.

Needs PostgreSQL for meaningful figures: DATABASE_URL=postgres://.../EMPTY_DB
python -m benchmarks insights_dashboard (falls back to a SQLite file if DATABASE_URL is not
set). BENCH_SIZES=500000,5000000 (default 50000,500000)."""

from __future__ import annotations

import bisect
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from homeward.core import clock

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "50000,500000").split(",")]
PER_YEAR = int(os.environ.get("BENCH_PER_YEAR", "216000"))
SOURCE = os.environ.get("BENCH_SOURCE", "facts")
COUNCILS, FORCES, BIG_FORCE_COUNCILS = 153, 43, 33
EPISODES_PER_CHILD = 6.8
KEY_BASE = 10**10  # fact keys far above any real episode or child id


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _weighted(rng: random.Random, options: dict[Any, float]) -> Callable[[], Any]:
    keys = list(options)
    cumulative: list[float] = []
    total = 0.0
    for key in keys:
        total += options[key]
        cumulative.append(total)
    return lambda: keys[bisect.bisect_right(cumulative, rng.random() * total)]


class FactMaker:
    """Synthetic facts at a national density, written with the project's bulk Sink (COPY on
    PostgreSQL)."""

    def __init__(self, seed: int, councils: list[Any], forces: list[Any], now: datetime) -> None:
        from homeward.aftercare.codes import PullFactor, PushFactor, RiskFound
        from homeward.children.codes import Ethnicity
        from homeward.insights import counting as c

        self.c = c
        self.rng = random.Random(seed)
        self.now = now
        self.councils = councils  # (id, force id)
        self.forces = forces
        rng = self.rng
        sizes = [rng.lognormvariate(0, 0.6) for _ in councils]
        self.pick_council = _weighted(rng, dict(enumerate(sizes)))
        self.pick_ethnicity = _weighted(
            rng,
            {
                Ethnicity.WBRI: 62, Ethnicity.WOTH: 5, Ethnicity.MWBC: 5, Ethnicity.BAFR: 4,
                Ethnicity.MOTH: 3, Ethnicity.APKN: 3, Ethnicity.AIND: 2, Ethnicity.BCRB: 2,
                Ethnicity.MWBA: 2, Ethnicity.AOTH: 2, Ethnicity.OOTH: 2, Ethnicity.WIRI: 1,
                Ethnicity.CHNE: 0.5, Ethnicity.REFU: 0.5,
            },
        )  # fmt: skip
        self.pick_grade = _weighted(rng, {"very_low": 6, "low": 44, "medium": 40, "high": 10})
        self.pick_interview = _weighted(
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
        c, rng = self.c, self.rng
        w_start, w_end = self.window
        span = timedelta(days=min(4 * 365, k * 150 * rng.uniform(0.4, 1.6)))
        # Uniform over the window, including children whose stretch only partly falls in it.
        begin = w_start - span + (w_end - w_start + span) * rng.random()
        seconds = span.total_seconds()
        starts = sorted(
            begin + timedelta(seconds=rng.random() * seconds) for _ in range(k)
        )  # fmt: skip
        starts = [at] if at else [s for s in starts if w_start <= s < w_end]
        if not starts:
            return [], []
        self.next_child += 1
        person = self.next_child
        home, home_force = self.councils[self.pick_council()]
        first_age = rng.choices(range(10, 18), weights=[1, 2, 4, 7, 10, 12, 11, 9])[0]
        first_day = c.local_date(starts[0])
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
        allocations = [begin.date() - timedelta(days=rng.randrange(30, 900))]
        allocations.extend(
            begin.date() + timedelta(days=rng.randrange(int(span.days) + 90))
            for _ in range(int(rng.expovariate(1 / (1.5 if looked_after else 0.6))))
        )
        facts: list[SimpleNamespace] = []
        reasons: list[SimpleNamespace] = []
        since = [s - timedelta(days=90) for s in starts]
        for i, s in enumerate(starts):
            self.next_episode += 1
            episode_id = self.next_episode
            day = c.local_date(s)
            year, quarter = c.quarter_of(day)
            age = c.age_on(dob, day)
            hours = _duration_minutes(rng) / 60
            returned: datetime | None = s + timedelta(hours=hours)
            if returned is not None and returned > self.now:
                returned = None
            force = host_force if rng.random() < 0.9 else rng.choice(self.forces)
            away = looked_after and rng.random() < 0.3
            check = interview = ""
            offered = False
            within = None
            if returned is None:
                check, interview = c.NOT_RETURNED, "pending"
            else:
                recent = self.now - returned < timedelta(days=3)
                check = "outstanding" if recent else ("done" if rng.random() < 0.9 else "not_done")
                interview = "pending" if recent else self.pick_interview()
                offered = interview in {"done", "declined", "offered"}
                within = (rng.random() < 0.63) if interview == "done" else None
            facts.append(
                SimpleNamespace(
                    episode_id=episode_id,
                    person_key=person,
                    incident_key=episode_id,
                    linked=False,
                    council_id=home,
                    host_council_id=host,
                    force_id=force,
                    home_force_id=home_force,
                    start_at=s,
                    start_date=day,
                    start_month=c.month_start(day),
                    year=year,
                    quarter=quarter,
                    returned_at=returned,
                    age=age,
                    age_band=c.age_band(age),
                    sex=sex,
                    ethnicity=ethnicity,
                    legal_status=legal,
                    placement_type=placement,
                    out_of_area=c.out_of_area(host, home),
                    risk_grade=self.pick_grade(),
                    classification_start="A" if away else "M",
                    classification="M" if not away or rng.random() < 0.1 else "A",
                    duration_hours=hours if returned else None,
                    duration_band=c.band_for_hours(hours) if returned else c.OPEN,
                    check_status=check,
                    interview_status=interview,
                    interview_offered=offered,
                    interview_within_72h=within,
                    # c.rolling_repeat's rule (3 in 90 days), by bisection: starts are sorted.
                    rolling_repeat=i - bisect.bisect_left(starts, since[i]) + 1 >= 3,
                    first_m=False,
                    first_q=False,
                    first_y=False,
                    first_m_force=False,
                    first_q_force=False,
                    first_y_force=False,
                    n_q=1,
                    n_y=1,
                    n_q_force=1,
                    n_y_force=1,
                    worker_changes_q=0,
                    worker_changes_y=0,
                    refreshed_at=self.now,
                )
            )
            if interview == "done":
                chosen = [
                    *(("push", x) for x in rng.sample(self.push, rng.randint(1, 2))),
                    *(("pull", x) for x in rng.sample(self.pull, rng.randint(0, 2))),
                    *(("risk", x) for x in rng.sample(self.risks, rng.randint(0, 1))),
                ]
                for kind, code in chosen:
                    reasons.append(
                        SimpleNamespace(
                            interview_id=episode_id,
                            person_key=person,
                            kind=kind,
                            code=code,
                            council_id=home,
                            force_id=force,
                            start_date=day,
                        )
                    )
        from homeward.insights.compute import _mark_periods

        _mark_periods(facts, allocations)  # type: ignore[arg-type]
        return facts, reasons


def _duration_minutes(rng: random.Random) -> int:
    from homeward.seed.distributions import duration_minutes

    return duration_minutes(rng)


def _drop_indexes() -> None:
    from django.db import connection

    from homeward.insights.models import EpisodeFact, ReasonFact

    with connection.schema_editor() as editor:
        for model in (EpisodeFact, ReasonFact):
            for index in model._meta.indexes:
                editor.execute(f'DROP INDEX IF EXISTS "{index.name}"')


def _create_indexes() -> None:
    from django.db import connection

    from homeward.insights.models import EpisodeFact, ReasonFact

    with connection.schema_editor() as editor:
        for model in (EpisodeFact, ReasonFact):
            for index in model._meta.indexes:
                editor.add_index(model, index)


def main() -> None:
    if "DATABASE_URL" not in os.environ:
        db = ROOT / "var" / "bench-insights.sqlite3"
        db.parent.mkdir(exist_ok=True)
        for stale in db.parent.glob(db.name + "*"):
            stale.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from benchmarks.machine import describe
    from homeward.insights import counting as c
    from homeward.insights import queries as q
    from homeward.insights import tally
    from homeward.insights.models import EpisodeFact, ReasonFact
    from homeward.organisations.models import Membership, Organisation, OrganisationKind, Role, User
    from homeward.seed.sink import Sink

    call_command("migrate", verbosity=0)
    postgres = connection.vendor == "postgresql"
    print(describe(connection.vendor))
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            print(f"PostgreSQL {cursor.fetchone()[0]}")
    if SOURCE == "facts":
        print(f"source facts; sizes {SIZES}; {PER_YEAR:,} episodes a year; {REQUESTS} requests")
    else:
        print(f"source: the records in the database; {REQUESTS} requests")

    if SOURCE == "facts":
        forces = [
            Organisation.objects.get_or_create(
                kind=OrganisationKind.POLICE, code=f"BF{n:02d}", defaults={"name": f"Force {n}"}
            )[0]
            for n in range(FORCES)
        ]
        councils = []
        for n in range(COUNCILS):
            force = forces[0] if n < BIG_FORCE_COUNCILS else forces[1 + n % (FORCES - 1)]
            councils.append(
                Organisation.objects.get_or_create(
                    kind=OrganisationKind.COUNCIL,
                    code=f"B{n:03d}",
                    defaults={"name": f"Council {n}", "police_force": force},
                )[0]
            )
        Organisation.objects.get_or_create(
            kind=OrganisationKind.NATIONAL, code="BNAT", defaults={"name": "Bench national"}
        )
    national = Organisation.objects.filter(kind=OrganisationKind.NATIONAL).first()
    if national is None:
        national = Organisation.objects.create(
            kind=OrganisationKind.NATIONAL, code="BNAT", name="Bench national"
        )

    def login(role: str, org: Organisation) -> Client:
        user, _ = User.objects.get_or_create(username=f"bench-{role}-{org.code}")
        Membership.objects.get_or_create(user=user, organisation=org, role=role)
        client = Client()
        client.force_login(user)
        return client

    now = clock.now().astimezone(c.LONDON)
    today = c.local_date(now)
    year, quarter = c.quarter_of(today)
    current_q = q.Period(year, quarter)
    periods = {
        "last quarter": current_q.previous(),
        "this quarter": current_q,
        "last year": q.Period(year - 1),
        "this year": q.Period(year),
    }
    results: list[tuple[Any, ...]] = []

    def largest(field: str, kind: str) -> Organisation:
        """The council or force with the most episodes in the last twelve months."""
        top = (
            EpisodeFact.objects.filter(start_date__gte=today - timedelta(days=365))
            .values(field)
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        if top is None:
            return Organisation.objects.filter(kind=kind).order_by("pk").first()  # type: ignore[return-value]
        return Organisation.objects.get(pk=top[field])

    def measure(total: int) -> None:
        council = largest("council", OrganisationKind.COUNCIL)
        force = largest("force", OrganisationKind.POLICE)
        clients = {
            f"council ({council.name})": login(Role.COUNCIL_MISSING_COORDINATOR, council),
            f"force ({force.name})": login(Role.POLICE_MISSING_COORDINATOR, force),
            "nation (suppressed)": login(Role.NATIONAL_ANALYST, national),
        }
        for label, period in periods.items():
            query = f"year={period.year}" + (f"&quarter={period.quarter}" if period.quarter else "")
            rows = q.facts(q.Scope(q.NATION), period).count()
            # The totals the dashboards read agree with the fact rows.
            assert q.headline(q.Scope(q.NATION), period).episodes == rows
            read = len(tally.read(tally.NATION, 0, period.start, period.end))
            print(
                f"  {label} ({period.label}): {rows:,} episodes in England "
                f"({read:,} running totals read for the nation)"
            )
            for name, client in clients.items():
                scope_rows = (
                    rows
                    if name.startswith("nation")
                    else q.facts(
                        q.Scope.of(council if name.startswith("council") else force), period
                    ).count()
                )
                url = f"/insights/dashboard/?{query}"
                for _ in range(3):
                    assert client.get(url).status_code == 200
                times = []
                for _ in range(REQUESTS):
                    t = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                    assert response.status_code == 200
                row = (
                    total, label, period.label, name.split(" ")[0], scope_rows,
                    statistics.median(times), p95(times), max(times),
                )  # fmt: skip
                results.append(row)
                print(
                    f"    {name:32s} {scope_rows:>9,} rows  median {row[5]:6.0f} ms  "
                    f"p95 {row[6]:6.0f} ms  max {row[7]:6.0f} ms"
                )
        period = periods["last year"]
        client = clients["nation (suppressed)"]
        times = []
        for _ in range(3):
            t = time.perf_counter()
            response = client.get(f"/insights/national-figures.csv?year={period.year}")
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
        print(f"  national CSV {period.label}: {', '.join(f'{x:.0f}' for x in times)} ms")

    if SOURCE == "facts":
        maker = FactMaker(2014, [(o.pk, o.police_force_id) for o in councils],
                          [f.pk for f in forces], now)  # fmt: skip
        for size in sorted(SIZES):
            t0 = time.perf_counter()
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "TRUNCATE insights_episodefact, insights_reasonfact, insights_tally, "
                        "insights_tallychange"
                    )
            else:
                EpisodeFact.objects.all().delete()
                ReasonFact.objects.all().delete()
                tally.clear()
            if postgres:
                _drop_indexes()
            t1 = time.perf_counter()
            sink = Sink(batch=50_000)
            made, reasons, totals = maker.run(size, sink)
            sink.finish()
            t2 = time.perf_counter()
            if postgres:
                _create_indexes()
            t3 = time.perf_counter()
            if postgres:
                connection.ensure_connection()
                old = connection.connection.autocommit
                connection.connection.autocommit = True
                with connection.cursor() as cursor:
                    # What autovacuum does after a bulk load: statistics and the visibility
                    # map (index-only scans).
                    cursor.execute("VACUUM ANALYZE insights_episodefact")
                    cursor.execute("VACUUM ANALYZE insights_reasonfact")
                    cursor.execute("VACUUM ANALYZE insights_tally")
                connection.connection.autocommit = old
            t4 = time.perf_counter()
            first, last = maker.window
            print(
                f"{made:,} facts, {reasons:,} reason facts and {totals:,} running totals, "
                f"{first:%Y-%m-%d} to {last:%Y-%m-%d}: cleared in {t1 - t0:.0f} s, "
                f"made and written in {t2 - t1:.0f} s, "
                f"indexed in {t3 - t2:.0f} s, vacuumed and analysed in {t4 - t3:.0f} s"
            )
            measure(made)
    else:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE insights_episodefact")
                cursor.execute("ANALYZE insights_reasonfact")
        total = EpisodeFact.objects.count()
        print(f"{total:,} facts from the records already in the database")
        measure(total)

    print("\n| episodes | period | scope | rows in scope | median | p95 | max |")
    print("|---:|---|---|---:|---:|---:|---:|")
    for total, _label, period_label, scope, rows, med, top, worst in results:
        print(
            f"| {total:,} | {period_label} | {scope} | {rows:,} | {med:.0f} ms | {top:.0f} ms "
            f"| {worst:.0f} ms |"
        )

    freshness(council_for_freshness())


def council_for_freshness() -> Any:
    from django.db.models import Count

    from homeward.insights.models import EpisodeFact
    from homeward.organisations.models import Organisation

    top = EpisodeFact.objects.values("council").annotate(n=Count("pk")).order_by("-n").first()
    assert top is not None, "no facts to measure"
    return Organisation.objects.get(pk=top["council"])


def freshness(council: Any) -> None:
    """Report 20 episodes, then return them, through the services; time each to the figure."""
    from homeward.core.actor import Actor
    from homeward.episodes import services as episodes
    from homeward.insights import counting as c
    from homeward.insights import queries as q
    from homeward.insights.models import EpisodeFact
    from homeward.organisations.models import Role
    from tests import factories

    worker = factories.member(
        Role.SOCIAL_WORKER, council, username=f"bench-worker-{time.time_ns()}"
    )
    actor = Actor.for_user(worker)
    scope = q.Scope.of(council)
    today = c.local_date(clock.now().astimezone(c.LONDON))
    current = q.Period(*c.quarter_of(today))

    def wait(check: Callable[[], bool], label: str) -> float:
        saved = time.perf_counter()
        while not check():
            if time.perf_counter() - saved > 5:
                raise SystemExit(f"{label} not in the figures within 5 s")
            time.sleep(0.005)
        return (time.perf_counter() - saved) * 1000

    report_lags, return_lags, report_calls, return_calls = [], [], [], []
    for n in range(20):
        child = factories.ChildFactory(responsible_council=council)
        before = q.headline(scope, current)
        t = time.perf_counter()
        result = episodes.report_missing(
            actor,
            child.pk,
            episodes.Report(
                classification="M",
                last_seen_at=clock.now().astimezone(c.LONDON) - timedelta(hours=1),
                last_seen_location="Benchmark",
                missing_from="home",
                reporter_type="parent",
                risk_grade="medium",
                risk_rationale="Benchmark",
            ),
        )
        report_calls.append((time.perf_counter() - t) * 1000)

        def reported(b: Any = before) -> bool:
            return bool(q.headline(scope, current).episodes == b.episodes + 1)

        report_lags.append(wait(reported, f"report {n}"))
        assert EpisodeFact.objects.filter(episode_id=result.episode.pk).exists()
        open_before = q.headline(scope, current).open_now
        t = time.perf_counter()
        episodes.record_return(
            actor,
            result.episode.reference,
            result.episode.version,
            episodes.Return(
                returned_at=clock.now().astimezone(c.LONDON) - timedelta(minutes=5),
                return_method="returned_self",
            ),
        )
        return_calls.append((time.perf_counter() - t) * 1000)

        def returned(o: Any = open_before) -> bool:
            return bool(q.headline(scope, current).open_now == o - 1)

        return_lags.append(wait(returned, f"return {n}"))
    for label, values in (
        ("report saved -> in the figures", report_lags),
        ("return saved -> in the figures", return_lags),
        ("report service call (includes the fact refresh)", report_calls),
        ("return service call (includes the fact refresh)", return_calls),
    ):
        print(
            f"{label}: median {statistics.median(values):.1f} ms, p95 {p95(values):.1f} ms, "
            f"max {max(values):.1f} ms (20)"
        )
