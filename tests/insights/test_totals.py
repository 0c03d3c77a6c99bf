"""The running totals (tally.py) give exactly the figures counted straight from the facts
(direct.py, the way queries.py counted before), they stay right as records change, and
folding or rebuilding them changes nothing."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from homeward.aftercare.models import InterviewStatus, ReturnInterview
from homeward.episodes.models import Episode
from homeward.insights import facts, tally
from homeward.insights import queries as q
from homeward.insights.models import EpisodeFact, ReasonFact, ReasonKind, Tally, TallyChange
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.seed import synthetic
from tests.insights import changes, direct
from tests.insights.conftest import Area

NOW = datetime(2026, 5, 15, 11, 0, tzinfo=UTC)


def table(t: q.Table) -> tuple[object, ...]:
    return (
        t.title,
        [(r.key, r.label, r.episodes, r.children, r.extra) for r in t.rows],
        t.total_episodes,
        t.total_children,
        t.note,
        t.extra,
    )


def assert_same_figures(scope: q.Scope, period: q.Period) -> None:
    where = f"{scope.label} {period.label}"
    assert q.headline(scope, period) == direct.headline(scope, period), where
    assert q.compliance(scope, period) == direct.compliance(scope, period), where
    assert q.children_total(scope, period) == direct.children_total(scope, period), where
    for name in ("by_month", "duration", "repeats", "area", "continuity"):
        ours, theirs = getattr(q, name)(scope, period), getattr(direct, name)(scope, period)
        assert table(ours) == table(theirs), f"{name}, {where}"
    for dimension in q.DIMENSIONS:
        ours, theirs = (
            q.breakdown(scope, period, dimension),
            direct.breakdown(scope, period, dimension),
        )
        assert table(ours) == table(theirs), f"{dimension}, {where}"
    for kind in ReasonKind:
        ours, theirs = q.reasons(scope, period, kind), direct.reasons(scope, period, kind)
        assert table(ours) == table(theirs), f"{kind}, {where}"


def scopes() -> list[q.Scope]:
    areas = Organisation.objects.filter(
        kind__in=[OrganisationKind.COUNCIL, OrganisationKind.POLICE]
    ).order_by("pk")
    return [q.Scope(q.NATION), *(q.Scope.of(o) for o in areas)]


def periods(first_year: int, last_year: int) -> list[q.Period]:
    out = []
    for year in range(first_year, last_year + 1):
        out.append(q.Period(year))
        out.extend(q.Period(year, quarter) for quarter in (1, 2, 3, 4))
    return out


def state() -> dict[tuple[object, ...], tuple[int, ...]]:
    """Every total, folded or not, as (scope, area, month, dimension, value) -> measures."""
    sums: dict[tuple[object, ...], list[int]] = {}
    for model in (Tally, TallyChange):
        for row in model.objects.values_list(*tally.KEY, *tally.MEASURES):
            key, values = row[:5], row[5:]
            current = sums.setdefault(key, [0] * len(values))
            for i, v in enumerate(values):
                current[i] += v
    return {k: tuple(v) for k, v in sums.items() if any(v)}


def rebuilt() -> dict[tuple[object, ...], tuple[int, ...]]:
    facts.rebuild_totals()
    return state()


def fact_rows() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    names = [f.name for f in EpisodeFact._meta.concrete_fields if f.name != "refreshed_at"]
    reason_names = ["interview_id", "person_key", "kind", "code", "council", "force", "start_date"]
    return (
        list(EpisodeFact.objects.order_by("episode_id").values_list(*names)),
        sorted(ReasonFact.objects.values_list(*reason_names)),
    )


def test_the_dimensions_are_the_dashboards() -> None:
    assert tuple(q.DIMENSIONS) == tally.BREAKDOWNS


def test_the_hand_worked_area_from_the_totals_and_from_the_facts(area: Area) -> None:
    for scope in scopes():
        for period in periods(2023, 2025):
            assert_same_figures(scope, period)


def test_folding_moves_the_changes_and_keeps_the_figures(area: Area) -> None:
    before = state()
    assert TallyChange.objects.exists()
    assert not Tally.objects.exists()
    assert tally.fold() > 0
    assert not TallyChange.objects.exists()
    assert state() == before
    assert tally.fold() == 0
    # The totals kept change by change are the totals made from scratch.
    assert rebuilt() == before
    assert_same_figures(q.Scope.of(area.council_a), q.Period(2024))


@pytest.mark.django_db
def test_generated_records_and_changes_to_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Synthetic records (three councils, three years), facts rebuilt, then records changed
    one by one (each change refreshes its child's facts and totals): the figures match the
    facts at every step, and the totals kept change by change match a rebuild."""
    from homeward.core import clock

    monkeypatch.setattr(clock, "now", lambda: NOW)
    synthetic.generate(episodes=600, seed=11, councils=3, years=3, now=NOW)
    facts.rebuild()
    assert EpisodeFact.objects.count() == 600
    some = [q.Scope(q.NATION), *scopes()[1:4]]
    for scope in some:
        for period in periods(2023, 2026):
            assert_same_figures(scope, period)

    # Changes through the ORM, each with its event: the child's facts and totals follow.
    episodes = list(Episode.objects.order_by("pk")[:40])
    for n, episode in enumerate(episodes):
        if n % 3 == 0:
            episode.classification = "A" if episode.classification == "M" else "M"
        elif n % 3 == 1 and episode.returned_at is not None:
            episode.returned_at += timedelta(days=40)  # now back in a later month
        else:
            episode.last_seen_at -= timedelta(days=100)  # an earlier quarter
        changes.save_episode(episode)
    done = ReturnInterview.objects.filter(status=InterviewStatus.DONE).order_by("pk")
    for n, interview in enumerate(done[:30]):
        interview.push_factors = ["conflict_home", "boundaries"][: 1 + n % 2]
        interview.pull_factors = ["friends", "partner", "family"][: n % 4]
        interview.risks_found = ["substance_misuse"] if n % 3 else []
        changes.save_interview(interview)
    other = Episode.objects.exclude(child=episodes[0].child).order_by("-pk").first()
    assert other is not None
    changes.link(episodes[0], other)
    episodes[5].delete()
    facts.refresh_child(episodes[5].child_id)  # no service deletes an episode: as a load does
    kept = state()
    assert rebuilt() == kept
    # The facts kept child by child are the facts a batched rebuild makes.
    before = fact_rows()
    facts.rebuild(batch_size=7)
    assert fact_rows() == before
    assert state() == kept
    for scope in some:
        for period in periods(2023, 2026):
            assert_same_figures(scope, period)
    dimensions = Counter(k[3] for k in kept)
    assert dimensions["push"]
    assert dimensions["pull"]
    assert dimensions["risk"]
    assert dimensions["rolling"]
    assert EpisodeFact.objects.filter(linked=True).count() >= 2
