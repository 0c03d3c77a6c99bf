"""One child, two records: a council's and a police force's, linked as one person.

Jo is known to council A (born 1 March 2010) and to force F, whose record was made by a
call handler (council A, provisional; born 1 January 2008, as the caller guessed it). Kit
(council B) is another child, to show the rest of the figures stay as they are.

  C1  council record, 1 Jun 2024 10:00 -> 20:00 (10 h), force F, age 14 (13-15)
  P1  police record, 5 Jun 2024 08:00 -> 6 Jun 14:00 (30 h), force F, age 16 (16-17)
  C2  council record, 20 Jun 2024 10:00 -> 16:00, force F
  P2  police record, 25 Jun 2024 10:00 -> 16:00, went missing in force G's area
  K1  Kit, 10 Jun 2024 10:00 -> 14:00, force G

Each record alone has two episodes in the quarter (April to June 2024): no repeat missing,
no rolling repeat (3 in 90 days). Linked, Jo has four: a repeat runner in council A and
nationally, and under the rolling rule from C2 (the 3rd in 90 days) on; in force F three
(C1, P1, C2: a repeat there too), in force G one. Jo is counted once everywhere, with the
values of the first episode: C1 (under 24 hours, age 13-15)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from homeward.children.models import Child
from homeward.episodes.models import Episode
from homeward.insights import facts, tally
from homeward.insights import queries as q
from homeward.insights.models import EpisodeFact, ReasonFact, Tally, TallyChange
from homeward.organisations.models import Role
from tests import factories
from tests.insights import changes, recount
from tests.insights.conftest import _return, at

pytestmark = pytest.mark.django_db

Q1 = q.Period(2024, 1)
YEAR = q.Period(2024)


class Jo:
    def __init__(self) -> None:
        self.force_f = factories.PoliceForceFactory(name="Force F")
        self.force_g = factories.PoliceForceFactory(name="Force G")
        self.council_a = factories.CouncilFactory(name="Council A", police_force=self.force_f)
        self.council_b = factories.CouncilFactory(name="Council B", police_force=self.force_g)
        sw_a = factories.actor(Role.SOCIAL_WORKER, self.council_a)
        sw_b = factories.actor(Role.SOCIAL_WORKER, self.council_b)
        officer = factories.actor(Role.POLICE_OFFICER, self.force_f)
        self.council_record = factories.ChildFactory(
            date_of_birth=date(2010, 3, 1), responsible_council=self.council_a
        )
        self.police_record = factories.ChildFactory(
            date_of_birth=date(2008, 1, 1),
            responsible_council=self.council_a,
            responsible_council_provisional=True,
            added_by_organisation=self.force_f,
        )
        self.kit = factories.ChildFactory(responsible_council=self.council_b)
        self.episodes: dict[str, Episode] = {}
        for name, actor, child, start, back in (
            ("C1", sw_a, self.council_record, at(2024, 6, 1, 10), at(2024, 6, 1, 20)),
            ("P1", officer, self.police_record, at(2024, 6, 5, 8), at(2024, 6, 6, 14)),
            ("K1", sw_b, self.kit, at(2024, 6, 10, 10), at(2024, 6, 10, 14)),
            ("C2", sw_a, self.council_record, at(2024, 6, 20, 10), at(2024, 6, 20, 16)),
            ("P2", officer, self.police_record, at(2024, 6, 25, 10), at(2024, 6, 25, 16)),
        ):
            episode = factories.report(actor, child, last_seen_at=start)
            self.episodes[name] = _return(actor, episode, back)
        # P2: the child went missing in force G's area, the force it was reported to.
        p2 = self.episodes["P2"]
        p2.refresh_from_db()
        p2.police_force = self.force_g
        changes.save_episode(p2)
        for child in (self.council_record, self.police_record, self.kit):
            child.refresh_from_db()

    def link(self) -> int:
        person = changes.link_records(self.council_record, self.police_record)
        for child in (self.council_record, self.police_record):
            child.refresh_from_db()
        return person


@pytest.fixture
def jo() -> Jo:
    return Jo()


def figures(scope: q.Scope, period: q.Period) -> dict[str, Any]:
    head = q.headline(scope, period)
    repeats = q.repeats(scope, period)
    return {
        "episodes": head.episodes,
        "children": head.children,
        "repeat": head.repeat_children,
        "rolling": repeats.extra["rolling_children"],
        "by_episodes": {r.key: r.children for r in repeats.rows if r.children},
        "duration": {r.key: r.children for r in q.duration(scope, period).rows if r.children},
        "age": {
            r.key: r.children for r in q.breakdown(scope, period, "age_band").rows if r.children
        },
        "months": {r.key: r.children for r in q.by_month(scope, period).rows if r.children},
    }


def everywhere(jo: Jo) -> dict[str, dict[str, Any]]:
    out = {}
    for name, org in (
        ("nation", None),
        ("council A", jo.council_a),
        ("council B", jo.council_b),
        ("force F", jo.force_f),
        ("force G", jo.force_g),
    ):
        for period in (Q1, YEAR):
            out[f"{name} {period.label}"] = figures(q.Scope.of(org), period)
    return out


def snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], dict[Any, Any]]:
    """Every fact (but when it was written), every reason fact, every total."""
    names = [f.attname for f in EpisodeFact._meta.concrete_fields if f.name != "refreshed_at"]
    reasons = [f.attname for f in ReasonFact._meta.concrete_fields if not f.primary_key]
    return (
        list(EpisodeFact.objects.order_by("episode_id").values_list(*names)),
        sorted(ReasonFact.objects.values_list(*reasons)),
        recount.stored_totals(),
    )


def test_a_child_recorded_by_police_and_council_is_counted_once(jo: Jo) -> None:
    before = everywhere(jo)
    nation = before["nation 2024-25 Q1"]
    assert (nation["episodes"], nation["children"], nation["repeat"], nation["rolling"]) == (
        5,
        3,
        0,
        0,
    )
    assert nation["by_episodes"] == {"1": 1, "2": 2}
    assert nation["duration"] == {"lt24h": 2, "24-48h": 1}
    assert before["council A 2024-25 Q1"]["children"] == 2
    assert before["force F 2024-25 Q1"]["children"] == 2

    person = jo.link()

    assert jo.council_record.person_id == jo.police_record.person_id == person
    after = everywhere(jo)
    for period in (Q1, YEAR):
        label = period.label
        assert after[f"nation {label}"] | {"age": None, "months": None} == {
            "episodes": 5,
            "children": 2,
            "repeat": 1,
            "rolling": 1,
            "by_episodes": {"1": 1, "3-5": 1},
            "duration": {"lt24h": 2},
            "age": None,
            "months": None,
        }
        assert after[f"council A {label}"] | {"age": None, "months": None} == {
            "episodes": 4,
            "children": 1,
            "repeat": 1,
            "rolling": 1,
            "by_episodes": {"3-5": 1},
            "duration": {"lt24h": 1},
            "age": None,
            "months": None,
        }
        # Force F saw C1, P1 and C2: one child, three episodes; force G P2 (and Kit).
        assert after[f"force F {label}"]["children"] == 1
        assert after[f"force F {label}"]["by_episodes"] == {"3-5": 1}
        assert after[f"force F {label}"]["rolling"] == 1
        assert after[f"force G {label}"]["children"] == 2
        assert after[f"force G {label}"]["by_episodes"] == {"1": 2}
        assert after[f"council B {label}"] == before[f"council B {label}"]
    # Counted once, in the band of the first episode (C1, the council record: 13-15), while
    # each episode keeps its own record's age (P1, P2: 16-17 on the police record's dob).
    assert after["council A 2024-25 Q1"]["age"] == {"13-15": 1}
    assert after["council A 2024-25 Q1"]["months"] == {"2024-06-01": 1}
    ages = q.breakdown(q.Scope.of(jo.council_a), Q1, "age_band").rows
    assert {r.key: r.episodes for r in ages if r.episodes} == {"13-15": 2, "16-17": 2}
    assert set(EpisodeFact.objects.filter(council=jo.council_a).values_list("person_key")) == {
        (person,)
    }
    recount.assert_figures_are_a_recount()


def test_unlinking_restores_both_records_and_every_figure_exactly(jo: Jo) -> None:
    before, figures_before = snapshot(), everywhere(jo)
    jo.link()
    assert snapshot() != before
    changes.unlink_record(jo.police_record)

    jo.police_record.refresh_from_db()
    jo.council_record.refresh_from_db()
    assert jo.police_record.person_id == jo.police_record.own_person_id
    assert jo.council_record.person_id == jo.council_record.own_person_id
    assert snapshot() == before
    assert everywhere(jo) == figures_before
    recount.assert_figures_are_a_recount()


def test_unlinking_moves_the_figures_when_the_event_names_only_the_record(jo: Jo) -> None:
    """The facts of the record's episodes are still under the person it left: the refresh
    finds that person from them and refreshes it too."""
    before = snapshot()
    jo.link()
    changes.unlink_record(jo.police_record, announce=[jo.police_record.pk])
    assert snapshot() == before


def test_the_person_left_behind_is_the_lowest_own_person(jo: Jo) -> None:
    """Unlinking the record whose own person the group had: the other records move to a
    person of their own, and the facts under the old key go with them."""
    first, second = sorted((jo.council_record, jo.police_record), key=lambda c: c.own_person_id)
    before = snapshot()
    jo.link()
    changes.unlink_record(first)
    assert snapshot() == before
    assert not EpisodeFact.objects.exclude(
        person_key__in=Child.objects.values("own_person_id")
    ).exists()
    assert second.own_person_id in set(EpisodeFact.objects.values_list("person_key", flat=True))


def test_a_recount_after_linking_equals_the_live_figures(jo: Jo) -> None:
    jo.link()
    live, figures_live = snapshot(), everywhere(jo)
    tally.fold()
    facts.rebuild(batch_size=1)
    assert snapshot() == live
    assert everywhere(jo) == figures_live
    facts.rebuild()
    assert snapshot() == live
    recount.assert_figures_are_a_recount()


def test_a_change_to_one_record_refreshes_the_whole_person(jo: Jo) -> None:
    """Moving C1 out of the quarter: P1 becomes the person's first episode (24-48 hours,
    16-17) in council A, and the person is no longer a repeat runner there in Q1."""
    jo.link()
    c1 = jo.episodes["C1"]
    c1.refresh_from_db()
    c1.last_seen_at = datetime(2024, 3, 1, 10, tzinfo=UTC)
    c1.returned_at = datetime(2024, 3, 1, 20, tzinfo=UTC)
    changes.save_episode(c1)
    council = figures(q.Scope.of(jo.council_a), Q1)
    assert council["children"] == 1
    assert council["repeat"] == 1  # P1, C2, P2
    assert council["duration"] == {"24-48h": 1}
    assert council["age"] == {"16-17": 1}
    recount.assert_figures_are_a_recount()


def test_records_of_one_person_in_two_councils_count_in_each(jo: Jo) -> None:
    """The police record's provisional council was council B's: each council counts the
    child once, with its own record's episodes; the nation once."""
    police = jo.police_record
    police.responsible_council = jo.council_b
    police.save()
    facts.refresh_child(police.pk)
    jo.link()
    assert figures(q.Scope.of(jo.council_a), Q1)["children"] == 1
    assert figures(q.Scope.of(jo.council_b), Q1)["children"] == 2  # Jo and Kit
    assert figures(q.Scope.of(jo.council_b), Q1)["by_episodes"] == {"1": 1, "2": 1}
    assert figures(q.Scope(q.NATION), Q1)["children"] == 2
    assert Tally.objects.exists() or TallyChange.objects.exists()
    recount.assert_figures_are_a_recount()
