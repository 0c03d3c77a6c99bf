"""Dashboard latency at two sizes, and freshness (a saved episode is in the figures).

Facts are generated directly (one row per synthetic episode, with the same period flags
homeward.insights.facts computes), at a national density of 50,000 episodes a quarter
(about 200,000 a year, as police figures for England suggest), in 153 councils and 43
forces. Size 1 is one quarter (50k rows); size 2 adds nine earlier quarters (500k rows).
Each dashboard (a council, a force, the nation with suppression) is rendered for the last
complete quarter, as a signed-in user would get it, BENCH_REQUESTS times.

Freshness: a real episode reported through the service (then returned) must show in the
council's figures; the time from the service call returning to the figure changing.

Needs PostgreSQL: DATABASE_URL=postgres://.../EMPTY_DB python -m benchmarks insights_dashboard
(falls back to a SQLite file if DATABASE_URL is not set). BENCH_SIZES=50000,500000."""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "50000,500000").split(",")]
PER_QUARTER = 50_000
COUNCILS, FORCES = 153, 43


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


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
    from django.test import Client

    from benchmarks.machine import describe
    from homeward.insights import counting as c
    from homeward.insights import facts as fact_rules
    from homeward.insights import queries as q
    from homeward.insights.models import EpisodeFact
    from homeward.organisations.models import Membership, Organisation, OrganisationKind, Role, User

    call_command("migrate", verbosity=0)
    print(describe(connection.vendor))
    rng = random.Random(2014)
    forces = [
        Organisation.objects.get_or_create(
            kind=OrganisationKind.POLICE, code=f"BF{n:02d}", defaults={"name": f"Bench force {n}"}
        )[0]
        for n in range(FORCES)
    ]
    councils = [
        Organisation.objects.get_or_create(
            kind=OrganisationKind.COUNCIL,
            code=f"B{n:03d}",
            defaults={"name": f"Bench council {n}", "police_force": forces[n % FORCES]},
        )[0]
        for n in range(COUNCILS)
    ]
    national = Organisation.objects.get_or_create(
        kind=OrganisationKind.NATIONAL, code="BNAT", defaults={"name": "Bench national"}
    )[0]

    def login(role: str, org: Organisation) -> Client:
        user, _ = User.objects.get_or_create(username=f"bench-{role}-{org.code}")
        Membership.objects.get_or_create(user=user, organisation=org, role=role)
        client = Client()
        client.force_login(user)
        return client

    today = c.local_date(datetime.now(c.LONDON))
    year, quarter = c.quarter_of(today)
    last = q.Period(year, quarter).previous()
    quarters = [last]
    while len(quarters) < max(SIZES) // PER_QUARTER:
        quarters.append(quarters[-1].previous())

    next_person = [10**9]
    weights = [1 / (rank + 10) for rank in range(COUNCILS)]

    def generate(periods: list[q.Period]) -> int:
        """PER_QUARTER facts per quarter, for persons with 1-12 episodes each."""
        now = datetime.now(c.LONDON)
        made = 0
        batch: list[EpisodeFact] = []
        for period in periods:
            start = datetime.combine(period.start, datetime.min.time(), tzinfo=c.LONDON)
            span = (period.end - period.start).days * 86400
            remaining = PER_QUARTER
            while remaining > 0:
                k = min(remaining, rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 8, 12]))
                remaining -= k
                next_person[0] += 1
                home = rng.choices(councils, weights)[0]
                dob = date(2008 + rng.randrange(9), 1 + rng.randrange(12), 1)
                sex, eth = rng.choice("12"), rng.choice(["WBRI", "WOTH", "MWBC", "BAFR", "AIND"])
                legal = rng.choice(["looked_after", "none", "child_in_need", "looked_after"])
                starts = sorted(start + timedelta(seconds=rng.randrange(span)) for _ in range(k))
                person: list[EpisodeFact] = []
                for s in starts:
                    hours = rng.expovariate(1 / 30)
                    returned = s + timedelta(hours=hours)
                    day = c.local_date(s)
                    fy, fq = c.quarter_of(day)
                    age = c.age_on(dob, day)
                    force = home.police_force if rng.random() < 0.85 else rng.choice(forces)
                    person.append(
                        EpisodeFact(
                            episode_id=next_person[0] * 16 + len(person),
                            person_key=next_person[0],
                            incident_key=next_person[0] * 16 + len(person),
                            council=home,
                            host_council=home if rng.random() < 0.7 else rng.choice(councils),
                            force=force,
                            home_force=home.police_force,
                            start_at=s,
                            start_date=day,
                            start_month=c.month_start(day),
                            year=fy,
                            quarter=fq,
                            returned_at=returned if returned < now else None,
                            age=age,
                            age_band=c.age_band(age),
                            sex=sex,
                            ethnicity=eth,
                            legal_status=legal,
                            placement_type=rng.choice(["K2", "U4", "U6", "none", "H5"]),
                            out_of_area=rng.random() < 0.3,
                            risk_grade=rng.choice(["very_low", "low", "medium", "medium", "high"]),
                            classification_start="M",
                            classification="M" if rng.random() < 0.8 else "A",
                            duration_hours=hours,
                            duration_band=c.band_for_hours(hours),
                            check_status=rng.choice(["done", "done", "not_done", "outstanding"]),
                            interview_status=rng.choice(["done", "declined", "pending", "done"]),
                            interview_offered=rng.random() < 0.8,
                            interview_within_72h=rng.random() < 0.63,
                            rolling_repeat=k >= 3,
                            refreshed_at=now,
                        )
                    )
                fact_rules._mark_periods(person, [])
                batch.extend(person)
                if len(batch) >= 5000:
                    EpisodeFact.objects.bulk_create(batch)
                    made += len(batch)
                    batch = []
        if batch:
            EpisodeFact.objects.bulk_create(batch)
            made += len(batch)
        return made

    council = councils[0]  # the largest council: about 3.6% of all episodes
    clients = {
        "council": login(Role.COUNCIL_MISSING_COORDINATOR, council),
        "force": login(Role.POLICE_MISSING_COORDINATOR, council.police_force),
        "nation": login(Role.NATIONAL_ANALYST, national),
    }
    url = f"/insights/dashboard/?year={last.year}&quarter={last.quarter}"
    done = 0
    results = []
    for size in sorted(SIZES):
        need = size // PER_QUARTER
        t0 = time.perf_counter()
        generate(quarters[done:need])
        done = need
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE insights_episodefact")
        total = EpisodeFact.objects.count()
        in_quarter = q.facts(q.Scope.of(council), last).count()
        print(
            f"{total} facts ({time.perf_counter() - t0:.0f} s to generate); "
            f"{in_quarter} for the measured council in {last.label}"
        )
        for name, client in clients.items():
            for _ in range(3):
                assert client.get(url).status_code == 200
            times = []
            for _ in range(REQUESTS):
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200
            row = (total, name, statistics.median(times), p95(times), max(times))
            results.append(row)
            print(
                f"  {name:8s} median {row[2]:7.0f} ms  p95 {row[3]:7.0f} ms  max {row[4]:7.0f} ms"
            )

    # Freshness: a real report through the service.
    from homeward.core.actor import Actor
    from homeward.episodes import services as episodes
    from homeward.insights.models import EpisodeFact as Fact
    from tests import factories

    worker = factories.member(Role.SOCIAL_WORKER, council)
    actor = Actor.for_user(worker)
    scope = q.Scope.of(council)
    current = q.Period(year, quarter)
    lags = []
    for n in range(20):
        child = factories.ChildFactory(responsible_council=council)
        before = q.headline(scope, current).episodes
        result = episodes.report_missing(
            actor,
            child.pk,
            episodes.Report(
                classification="M",
                last_seen_at=datetime.now(c.LONDON) - timedelta(hours=1),
                last_seen_location="Benchmark",
                missing_from="home",
                reporter_type="parent",
                risk_grade="medium",
                risk_rationale="Benchmark",
            ),
        )
        saved = time.perf_counter()
        while q.headline(scope, current).episodes != before + 1:
            if time.perf_counter() - saved > 5:
                raise SystemExit(f"report {n} not in the figures within 5 s")
            time.sleep(0.01)
        lags.append((time.perf_counter() - saved) * 1000)
        assert Fact.objects.filter(episode_id=result.episode.pk).exists()
    print(
        f"freshness over {len(lags)} reports: median {statistics.median(lags):.1f} ms, "
        f"p95 {p95(lags):.1f} ms, max {max(lags):.1f} ms"
    )
