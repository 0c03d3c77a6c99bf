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
episodes a year (default 216,000, the police figure for all children in England and Wales in
2022-23, docs/domain.md), so a larger size is a longer history, not a busier year; run with
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
set). BENCH_SIZES=500000,5000000 (default 50000,500000).

The synthetic facts are made in insights_facts.py, freshness is timed in
insights_freshness.py."""

from __future__ import annotations

import os
import statistics
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from benchmarks.insights_facts import PER_YEAR, FactMaker
from benchmarks.insights_freshness import council_for_freshness, freshness
from benchmarks.machine import p95, start_django
from homeward.core import clock

if TYPE_CHECKING:
    from django.test import Client

    from homeward.insights import queries as q
    from homeward.organisations.models import Organisation

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "50000,500000").split(",")]
SOURCE = os.environ.get("BENCH_SOURCE", "facts")
COUNCILS, FORCES, BIG_FORCE_COUNCILS = 153, 43, 33


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
    start_django("bench-insights")
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.machine import describe
    from homeward.insights import counting as c
    from homeward.insights.models import EpisodeFact

    call_command("migrate", verbosity=0)
    postgres = connection.vendor == "postgresql"
    print(describe(connection.vendor))
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            print(f"PostgreSQL {cursor.fetchone()[0]}")
    if SOURCE == "facts":
        print(f"source facts; sizes {SIZES}; {PER_YEAR:,} episodes a year; {REQUESTS} requests")
        councils, forces = _organisations()
    else:
        print(f"source: the records in the database; {REQUESTS} requests")
    now = clock.now().astimezone(c.LONDON)
    dashboards = _Dashboards(_national(), c.local_date(now))
    if SOURCE == "facts":
        maker = FactMaker(2014, [(o.pk, o.police_force_id) for o in councils],
                          [f.pk for f in forces], now)  # fmt: skip
        for size in sorted(SIZES):
            dashboards.measure(_load(maker, size, postgres))
    else:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE insights_episodefact")
                cursor.execute("ANALYZE insights_reasonfact")
        total = EpisodeFact.objects.count()
        print(f"{total:,} facts from the records already in the database")
        dashboards.measure(total)
    dashboards.print_results()
    freshness(council_for_freshness())


def _organisations() -> tuple[list[Organisation], list[Organisation]]:
    """The bench's councils and forces (one force covers BIG_FORCE_COUNCILS councils)."""
    from homeward.organisations.models import Organisation, OrganisationKind

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
    return councils, forces


def _national() -> Organisation:
    from homeward.organisations.models import Organisation, OrganisationKind

    national = Organisation.objects.filter(kind=OrganisationKind.NATIONAL).first()
    if national is None:
        national = Organisation.objects.create(
            kind=OrganisationKind.NATIONAL, code="BNAT", name="Bench national"
        )
    return national


def _load(maker: FactMaker, size: int, postgres: bool) -> int:
    """Empty the fact tables and load ``size`` facts; returns the number made."""
    from django.db import connection

    from homeward.insights import tally
    from homeward.insights.models import EpisodeFact, ReasonFact
    from homeward.seed.sink import Sink

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
        _vacuum()
    t4 = time.perf_counter()
    first, last = maker.window
    print(
        f"{made:,} facts, {reasons:,} reason facts and {totals:,} running totals, "
        f"{first:%Y-%m-%d} to {last:%Y-%m-%d}: cleared in {t1 - t0:.0f} s, "
        f"made and written in {t2 - t1:.0f} s, "
        f"indexed in {t3 - t2:.0f} s, vacuumed and analysed in {t4 - t3:.0f} s"
    )
    return made


def _vacuum() -> None:
    from django.db import connection

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


class _Dashboards:
    """The dashboards timed at each size, for every period they offer; the results kept
    for the table at the end."""

    def __init__(self, national: Organisation, today: date) -> None:
        from homeward.insights import counting as c
        from homeward.insights import queries as q

        self.national = national
        self.today = today
        year, quarter = c.quarter_of(today)
        current_q = q.Period(year, quarter)
        self.periods = {
            "last quarter": current_q.previous(),
            "this quarter": current_q,
            "last year": q.Period(year - 1),
            "this year": q.Period(year),
        }
        self.results: list[tuple[Any, ...]] = []

    def login(self, role: str, org: Organisation) -> Client:
        from django.test import Client

        from homeward.organisations.models import Membership, User

        user, _ = User.objects.get_or_create(username=f"bench-{role}-{org.code}")
        Membership.objects.get_or_create(user=user, organisation=org, role=role)
        client = Client()
        client.force_login(user)
        return client

    def largest(self, field: str, kind: str) -> Organisation:
        """The council or force with the most episodes in the last twelve months."""
        from django.db.models import Count

        from homeward.insights.models import EpisodeFact
        from homeward.organisations.models import Organisation

        top = (
            EpisodeFact.objects.filter(start_date__gte=self.today - timedelta(days=365))
            .values(field)
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        if top is None:
            return Organisation.objects.filter(kind=kind).order_by("pk").first()  # type: ignore[return-value]
        return Organisation.objects.get(pk=top[field])

    def measure(self, total: int) -> None:
        from homeward.organisations.models import OrganisationKind, Role

        council = self.largest("council", OrganisationKind.COUNCIL)
        force = self.largest("force", OrganisationKind.POLICE)
        clients = {
            f"council ({council.name})": self.login(Role.COUNCIL_MISSING_COORDINATOR, council),
            f"force ({force.name})": self.login(Role.POLICE_MISSING_COORDINATOR, force),
            "nation (suppressed)": self.login(Role.NATIONAL_ANALYST, self.national),
        }
        for label, period in self.periods.items():
            self._period(total, label, period, clients, {"council": council, "force": force})
        period = self.periods["last year"]
        client = clients["nation (suppressed)"]
        times = []
        for _ in range(3):
            t = time.perf_counter()
            response = client.get(f"/insights/national-figures.csv?year={period.year}")
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
        print(f"  national CSV {period.label}: {', '.join(f'{x:.0f}' for x in times)} ms")

    def _period(
        self,
        total: int,
        label: str,
        period: q.Period,
        clients: dict[str, Client],
        areas: dict[str, Organisation],
    ) -> None:
        """Each dashboard of one period."""
        from homeward.insights import queries as q
        from homeward.insights import tally

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
                    q.Scope.of(areas["council" if name.startswith("council") else "force"]),
                    period,
                ).count()
            )
            times = _times(client, f"/insights/dashboard/?{query}")
            row = (
                total, label, period.label, name.split(" ")[0], scope_rows,
                statistics.median(times), p95(times), max(times),
            )  # fmt: skip
            self.results.append(row)
            print(
                f"    {name:32s} {scope_rows:>9,} rows  median {row[5]:6.0f} ms  "
                f"p95 {row[6]:6.0f} ms  max {row[7]:6.0f} ms"
            )

    def print_results(self) -> None:
        print("\n| episodes | period | scope | rows in scope | median | p95 | max |")
        print("|---:|---|---|---:|---:|---:|---:|")
        for total, _label, period_label, scope, rows, med, top, worst in self.results:
            print(
                f"| {total:,} | {period_label} | {scope} | {rows:,} | {med:.0f} ms | {top:.0f} ms "
                f"| {worst:.0f} ms |"
            )


def _times(client: Client, url: str) -> list[float]:
    """Milliseconds for each of REQUESTS requests, after three to warm up."""
    for _ in range(3):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(REQUESTS):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    return times
