"""The figures for the hand-worked area in conftest.py (read its docstring first)."""

from datetime import datetime

from homeward.aftercare import compliance as aftercare_compliance
from homeward.insights import queries as q
from homeward.insights.counting import LONDON
from homeward.insights.models import EpisodeFact
from tests.insights.conftest import Area

YEAR = q.Period(2024)


def rows(table: q.Table) -> dict[str, tuple[int, int]]:
    return {r.key: (r.episodes, r.children) for r in table.rows}


def test_each_episode_has_one_fact_kept_as_it_changes(area: Area) -> None:
    """Six episodes, six facts. R1 was reported away and changed to missing."""
    assert EpisodeFact.objects.count() == 6
    r1 = EpisodeFact.objects.get(episode_id=area.episodes["R1"].pk)
    assert (r1.classification_start, r1.classification) == ("A", "M")
    assert r1.legal_status == "looked_after"
    assert r1.out_of_area


def test_council_counts_its_own_children(area: Area) -> None:
    """Council A: Tamsin's 3 episodes and Rowan's 2 = 5 episodes, 2 children; Tamsin is
    the one repeat child (3 in the year). Kit belongs to council B."""
    scope = q.Scope.of(area.council_a)
    head = q.headline(scope, YEAR)
    assert (head.episodes, head.children, head.repeat_children) == (5, 2, 1)
    assert q.headline(q.Scope.of(area.council_b), YEAR).children == 1


def test_episode_spanning_31_march_counts_in_the_year_it_started(area: Area) -> None:
    """T3 started 30 March 2025: it is in 2024-25 (and its quarter Q4), not 2025-26."""
    scope = q.Scope.of(area.council_a)
    assert q.headline(scope, q.Period(2024, 4)).episodes == 1
    assert q.headline(scope, q.Period(2025)).episodes == 0


def test_open_at_the_end_of_the_period(area: Area) -> None:
    """Council A in 2024-25: T1 10 h and R2 5 h under 24 h; T2 30 h in 24-48 h; R1 10
    days over 7 days; T3 came back after 31 March: open at the end. Returned in the
    period: 4, mean (10 + 30 + 240 + 5) / 4 = 71.25 h, 3 of them within 48 h."""
    table = q.duration(q.Scope.of(area.council_a), YEAR)
    assert {r.key: r.episodes for r in table.rows} == {
        "lt24h": 2, "24-48h": 1, "2-7d": 0, "gt7d": 1, "open": 1,
    }  # fmt: skip
    # As children, each once at their first episode: Tamsin's T1 (10 h), Rowan's R1 (10 days).
    assert {r.key: r.children for r in table.rows} == {
        "lt24h": 1, "24-48h": 0, "2-7d": 0, "gt7d": 1, "open": 0,
    }  # fmt: skip
    assert table.extra["returned"] == 4
    assert table.extra["mean_hours"] == 71.2  # rounded to one place
    assert table.extra["within_48h"] == 3


def test_a_child_turning_16_is_counted_once(area: Area) -> None:
    """Tamsin's T1 (age 15) is in 13-15; T2 and T3 (16) in 16-17. As a child she is
    counted once, at her first episode: 13-15. Rowan (12) is 10-12 twice."""
    table = q.breakdown(q.Scope.of(area.council_a), YEAR, "age_band")
    assert rows(table) == {
        "0-9": (0, 0), "10-12": (2, 1), "13-15": (1, 1), "16-17": (2, 0), "18+": (0, 0),
    }  # fmt: skip
    assert table.total_children == 2


def test_a_child_with_episodes_in_two_areas(area: Area) -> None:
    """Rowan went missing in force G's area (R1, from the placement) and force F's (R2).
    Force F: T1-T3 and R2 = 4 episodes, 2 children. Force G: R1 and K1 = 2 episodes, 2
    children. The nation: 6 episodes, 3 children: Rowan once."""
    f = q.headline(q.Scope.of(area.force_f), YEAR)
    g = q.headline(q.Scope.of(area.force_g), YEAR)
    nation = q.headline(q.Scope(q.NATION), YEAR)
    assert (f.episodes, f.children) == (4, 2)
    assert (g.episodes, g.children) == (2, 2)
    assert (nation.episodes, nation.children) == (6, 3)


def test_incidents_count_children_missing_together_once(area: Area) -> None:
    """R2 and K1 are linked: 6 episodes are 5 incidents nationally."""
    assert q.headline(q.Scope(q.NATION), YEAR).incidents == 5


def test_classification_looked_after_and_area(area: Area) -> None:
    """Council A: all 5 episodes end as M (R1 changed from A). Looked after on the day:
    Rowan's 2. Out of area: Rowan's 2 (placed in council B's area)."""
    scope = q.Scope.of(area.council_a)
    assert rows(q.breakdown(scope, YEAR, "classification")) == {"M": (5, 2), "A": (0, 0)}
    legal = rows(q.breakdown(scope, YEAR, "legal_status"))
    assert legal["looked_after"] == (2, 1)
    assert legal["none"] == (3, 1)
    assert rows(q.area(scope, YEAR)) == {"in": (3, 1), "out": (2, 1)}


def test_force_sees_visiting_children(area: Area) -> None:
    """Force G's 2 episodes: R1 (Rowan, council A, covered by force F) is visiting; K1
    (Kit, council B, covered by G) is its own."""
    assert rows(q.area(q.Scope.of(area.force_g), YEAR)) == {
        "own": (1, 1), "visiting": (1, 1),
    }  # fmt: skip


def test_repeats_and_worker_continuity(area: Area) -> None:
    """Council A: Tamsin 3 episodes (3-5 band), Rowan 2. Tamsin had 2 worker changes in
    the year, Rowan none."""
    scope = q.Scope.of(area.council_a)
    repeats = q.repeats(scope, YEAR)
    assert {r.key: r.children for r in repeats.rows}["3-5"] == 1
    assert repeats.extra["repeat_children"] == 1
    continuity = {r.key: (r.children, r.extra["changed"], r.extra["mean_changes"])
                  for r in q.continuity(scope, YEAR).rows}  # fmt: skip
    assert continuity == {"1": (0, 0, None), "2": (1, 0, 0.0), "3+": (1, 1, 2.0)}


def test_compliance_follows_the_aftercare_rules(area: Area) -> None:
    """Council A's returns in 2024-25: T1, T2, R1, R2 (T3 came back in April 2025).
    Checks: T1 done, R1 not done. Interviews: T1's offered, accepted, done in 72 h; R1 and
    R2 share one, offered and declined; T2's is pending. The same figures as
    homeward/aftercare/compliance.py gives."""
    comp = q.compliance(q.Scope.of(area.council_a), YEAR)
    assert (comp.returns, comp.check_done, comp.check_not_done) == (4, 1, 1)
    assert (comp.interview_offered, comp.interview_accepted, comp.interview_done) == (3, 1, 1)
    assert (comp.interview_done_within_72h, comp.interview_declined) == (1, 2)
    assert comp.within_72h_rate == 25.0
    since = datetime(2024, 4, 1, tzinfo=LONDON)
    until = datetime(2025, 4, 1, tzinfo=LONDON)
    for org in (area.council_a, area.force_f, area.force_g):
        expected = aftercare_compliance.compliance(org, since, until)
        assert q.compliance(q.Scope.of(org), YEAR) == expected


def test_reasons_from_return_interviews(area: Area) -> None:
    """One done interview (T1): conflict at home, friends, substance misuse."""
    scope = q.Scope.of(area.council_a)
    push = q.reasons(scope, YEAR, "push")
    assert [(r.key, r.episodes) for r in push.rows] == [("conflict_home", 1)]
    assert [r.key for r in q.reasons(scope, YEAR, "risk").rows] == ["substance_misuse"]


def test_months(area: Area) -> None:
    """Council A by month: May 1 (T1), July 1 (R1), August 1 (R2), November 1 (T2),
    March 1 (T3)."""
    months = {r.key: r.episodes for r in q.by_month(q.Scope.of(area.council_a), YEAR).rows}
    assert {k: v for k, v in months.items() if v} == {
        "2024-05-01": 1, "2024-07-01": 1, "2024-08-01": 1, "2024-11-01": 1, "2025-03-01": 1,
    }  # fmt: skip
