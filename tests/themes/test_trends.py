"""Themes over time against the hand-worked area (conftest.py), against a recount from the
records after each kind of write, and suppressed outside the council."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from homeward.aftercare.models import InterviewStatus, ReturnInterview
from homeward.core.clock import UK
from homeward.episodes import services as episodes
from homeward.insights import suppression, trends
from homeward.insights.counting import quarter_of
from homeward.insights.cube import NATION, Period, Scope
from homeward.organisations.models import Organisation, Role
from homeward.themes.models import ThemeItem
from homeward.themes.services import edits, runs
from tests import factories
from tests.themes.conftest import Area
from tests.themes.factories import said

Q3 = Period(2025, 3)


def _rows(table: trends.TrendTable) -> dict[str, list[int | str]]:
    return {row.key: row.shown for row in table.rows}


def test_the_trend_of_push_and_pull_factors_is_the_hand_worked_one(area: Area) -> None:
    scope = Scope.of(area.a)
    push = trends.trend(scope, Q3, "push")
    assert push.quarters == ["2024-25 Q3", "2024-25 Q4", "2025-26 Q1", "2025-26 Q2", "2025-26 Q3"]
    assert _rows(push) == {"conflict_home": [0, 0, 1, 0, 3]}
    assert push.rows[0].direction == "up"
    assert push.rows[0].label == "Conflict at home or in placement"
    pull = trends.trend(scope, Q3, "pull")
    assert _rows(pull) == {"friends": [0, 0, 0, 1, 1]}
    assert pull.rows[0].direction == "same"
    risk = trends.trend(scope, Q3, "risk")
    assert _rows(risk) == {"substance_misuse": [0, 0, 0, 0, 1]}
    assert "Up this quarter: Conflict at home or in placement." in push.summary


def test_the_breakdowns_are_the_hand_worked_ones(area: Area) -> None:
    scope = Scope.of(area.a)
    by_sex = trends.breakdown(scope, Q3, "push", "sex")
    assert by_sex.columns == ["Male", "Female", "All mentions"]
    assert by_sex.rows == [("Conflict at home or in placement", [1, 2, 3])]
    by_age = trends.breakdown(scope, Q3, "push", "age_band")
    assert dict(zip(by_age.columns, by_age.rows[0][1], strict=True)) == {
        "0 to 9": 0, "10 to 12": 0, "13 to 15": 2, "16 to 17": 1,
        "18 or over (recording error)": 0, "All mentions": 3,
    }  # fmt: skip
    by_area = trends.breakdown(scope, Q3, "push", "area")
    assert by_area.rows == [("Conflict at home or in placement", [3, 0, 3])]


def test_the_nation_counts_every_council_and_suppresses_small_numbers(area: Area) -> None:
    nation = Scope(NATION)
    exact = trends.trend(nation, Q3, "push")
    assert _rows(exact) == {"conflict_home": [0, 0, 1, 0, 4]}
    shown = trends.trend(nation, Q3, "push", suppress=True)
    assert shown.rows[0].shown == [0, 0, "c", 0, "c"]
    assert shown.rows[0].direction == ""  # a change over hidden counts is not given
    assert shown.totals == suppression.protect([[0, 0, 1, 0, 4]]).published()[-1][:-1]
    assert trends.families_for(nation) == ["push", "pull", "risk"]  # never anyone's words
    by_sex = trends.breakdown(nation, Q3, "push", "sex", suppress=True)
    assert by_sex.rows == [("Conflict at home or in placement", ["c", "c", "c"])]


def test_free_text_themes_are_the_councils_own(area: Area) -> None:
    runs.run(area.a)
    runs.run(area.b)
    # Five pieces of text are too few to group: they wait, until a coordinator places them.
    assert not ThemeItem.objects.filter(council=area.a, theme__isnull=False).exists()
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    item = {i.interview_id: i for i in ThemeItem.objects.filter(council=area.a)}
    arguments = edits.correct_item(
        coordinator, item[area.interviews["I1"].pk].pk, new_name="Arguments"
    ).theme_id
    edits.correct_item(coordinator, item[area.interviews["I2"].pk].pk, arguments)
    edits.correct_item(coordinator, item[area.interviews["I3"].pk].pk, new_name="Older friends")
    edits.correct_item(coordinator, item[area.interviews["I4"].pk].pk, arguments)
    said_a = trends.trend(Scope.of(area.a), Q3, "said")
    assert [(r.label, r.shown) for r in said_a.rows] == [
        ("Arguments", [0, 0, 1, 0, 2]),
        ("Older friends", [0, 0, 0, 0, 1]),
    ]
    assert said_a.rows[0].key == str(arguments)
    assert trends.trend(Scope.of(area.force), Q3, "said").rows == []


# --- a recount from the records after each write ----------------------------------------


def _recount(council: Organisation, period: Period, family: str) -> Counter[tuple[str, str]]:
    """(code, quarter label) straight from the interviews: done, of the council's
    children (the first episode's record), counted in the quarter of the first episode."""
    out: Counter[tuple[str, str]] = Counter()
    field = {"push": "push_factors", "pull": "pull_factors", "risk": "risks_found"}[family]
    labels = [p.label for p in trends.quarters_to(period)]
    for interview in ReturnInterview.objects.filter(status=InterviewStatus.DONE):
        first = interview.episodes.order_by("last_seen_at", "pk").first()
        if first is None or first.child.responsible_council_id != council.pk:
            continue
        year, quarter = quarter_of(first.last_seen_at.astimezone(UK).date())
        label = Period(year, quarter).label
        if label in labels:
            for code in set(getattr(interview, field)):
                out[(code, label)] += 1
    return out


def _figures(council: Organisation, period: Period, family: str) -> Counter[tuple[str, str]]:
    table = trends.trend(Scope.of(council), period, family)
    return Counter(
        {
            (r.key, q): n
            for r in table.rows
            for q, n in zip(table.quarters, r.counts, strict=True)
            if n
        }
    )


def _same(area: Area) -> None:
    for family in ("push", "pull", "risk"):
        assert _figures(area.a, Q3, family) == _recount(area.a, Q3, family), family


def test_the_figures_equal_a_recount_after_every_kind_of_write(area: Area) -> None:
    _same(area)
    # A new interview.
    said(
        area.a,
        datetime(2025, 10, 20, 18, tzinfo=UK),
        account="I do not like it there.",
        push=["unhappy_placement"],
        pull=["family"],
    )
    _same(area)
    # An episode's last seen moved back a quarter.
    episode = area.interviews["I1"].episodes.get()
    worker = factories.actor(Role.SOCIAL_WORKER, area.a)
    episodes.update_episode(
        worker,
        episode.reference,
        episode.version,
        {"last_seen_at": episode.last_seen_at - timedelta(days=60)},
    )
    _same(area)
    # The free-text themes: the theme items counted equal the items of the quarter.
    runs.run(area.a)
    table = trends.trend(Scope.of(area.a), Q3, "said")
    counted = sum(r.counts[-1] for r in table.rows)
    items = {
        i.interview_id
        for i in ThemeItem.objects.filter(
            council=area.a, theme__isnull=False, source="child_account"
        )
        if (first := i.interview.episodes.order_by("last_seen_at").first()) is not None
        and Q3.start <= first.last_seen_at.astimezone(UK).date() < Q3.end
    }
    assert counted == len(items)
