"""Freshness, for insights_dashboard.py: a real episode reported through the service must
show in the council's figures for the current quarter. Times the service calls and the
time from each call returning to the figure changing, for a report and for its return."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from benchmarks.machine import p95
from homeward.core import clock

if TYPE_CHECKING:
    from homeward.core.actor import Actor
    from homeward.episodes.models import Episode
    from homeward.insights import queries as q


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
    from homeward.insights import counting as c
    from homeward.insights import queries as q
    from homeward.organisations.models import Role
    from tests import factories

    worker = factories.member(
        Role.SOCIAL_WORKER, council, username=f"bench-worker-{time.time_ns()}"
    )
    actor = Actor.for_user(worker)
    scope = q.Scope.of(council)
    today = c.local_date(clock.now().astimezone(c.LONDON))
    current = q.Period(*c.quarter_of(today))
    report_lags, return_lags, report_calls, return_calls = [], [], [], []
    for n in range(20):
        child = factories.ChildFactory(responsible_council=council)
        call, lag, episode = _report(actor, child.pk, scope, current, n)
        report_calls.append(call)
        report_lags.append(lag)
        call, lag = _return(actor, episode, scope, current, n)
        return_calls.append(call)
        return_lags.append(lag)
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


def _report(
    actor: Actor, child_id: int, scope: q.Scope, current: q.Period, n: int
) -> tuple[float, float, Episode]:
    """Report the child missing: (the service call's ms, ms until in the figures, episode)."""
    from homeward.episodes import services as episodes
    from homeward.insights import counting as c
    from homeward.insights import queries as q
    from homeward.insights.models import EpisodeFact

    before = q.headline(scope, current)
    t = time.perf_counter()
    result = episodes.report_missing(
        actor,
        child_id,
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
    call = (time.perf_counter() - t) * 1000

    def reported() -> bool:
        return bool(q.headline(scope, current).episodes == before.episodes + 1)

    lag = _wait(reported, f"report {n}")
    assert EpisodeFact.objects.filter(episode_id=result.episode.pk).exists()
    return call, lag, result.episode


def _return(
    actor: Actor, episode: Episode, scope: q.Scope, current: q.Period, n: int
) -> tuple[float, float]:
    """Record the child's return: (the service call's ms, ms until in the figures)."""
    from homeward.episodes import services as episodes
    from homeward.insights import counting as c
    from homeward.insights import queries as q

    open_before = q.headline(scope, current).open_now
    t = time.perf_counter()
    episodes.record_return(
        actor,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=clock.now().astimezone(c.LONDON) - timedelta(minutes=5),
            return_method="returned_self",
        ),
    )
    call = (time.perf_counter() - t) * 1000

    def returned() -> bool:
        return bool(q.headline(scope, current).open_now == open_before - 1)

    return call, _wait(returned, f"return {n}")


def _wait(check: Callable[[], bool], label: str) -> float:
    """Milliseconds until ``check()`` holds (5 s at most)."""
    saved = time.perf_counter()
    while not check():
        if time.perf_counter() - saved > 5:
            raise SystemExit(f"{label} not in the figures within 5 s")
        time.sleep(0.005)
    return (time.perf_counter() - saved) * 1000
