"""Bulk loads leave the figures right themselves: ``refresh_children`` makes many children's
facts and totals in batches, and ``deferred`` gathers the refreshes of a load that saves
through the ORM and does each child once, at the end, inside the load's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pytest
from django.db import transaction

from homeward.aftercare.models import ReturnInterview
from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child, LegalStatus
from homeward.core import clock
from homeward.episodes.models import Episode
from homeward.insights import facts
from homeward.insights.models import EpisodeFact, ReasonFact
from homeward.seed import synthetic
from tests.insights import changes, recount

NOW = datetime(2026, 5, 15, 11, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(monkeypatch: pytest.MonkeyPatch) -> list[Child]:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    synthetic.generate(episodes=400, seed=7, councils=2, years=2, now=NOW)
    return list(Child.objects.filter(episodes__isnull=False).distinct().order_by("pk"))


def test_refreshing_children_after_changes_behind_the_services_back(generated: list[Child]) -> None:
    """Rows changed without signals (as a bulk load writes them): the figures are stale
    until the load refreshes those children, then they are a recount again, including a
    child whose every episode went to another, and that other child's first facts."""
    changed, emptied = generated[0], generated[1]
    newcomer = Child.objects.filter(episodes__isnull=True).order_by("pk").first()
    assert newcomer is not None
    Episode.objects.filter(child=changed).update(classification="A", risk_grade="high")
    LegalStatus.objects.bulk_create(
        [LegalStatus(child=changed, status=LegalStatusKind.CHILD_PROTECTION, start_date=NOW.date())]
    )
    moved = Episode.objects.filter(child=emptied).update(child=newcomer)
    ReturnInterview.objects.filter(child=emptied).update(child=newcomer)
    with pytest.raises(AssertionError):
        recount.assert_facts_and_totals_are_a_recount()

    held = facts.refresh_children([changed.pk, emptied.pk, newcomer.pk])

    assert held == changed.episodes.count() + moved
    assert not EpisodeFact.objects.filter(person_key=emptied.person_id).exists()
    assert EpisodeFact.objects.filter(person_key=newcomer.person_id).count() == moved
    mine = EpisodeFact.objects.filter(person_key=changed.person_id)
    assert set(mine.values_list("classification", "risk_grade")) == {("A", "high")}
    recount.assert_figures_are_a_recount()


def test_deferred_refreshes_each_child_once_when_the_block_ends(
    generated: list[Child], monkeypatch: pytest.MonkeyPatch
) -> None:
    child = generated[0]
    episode_ids = list(child.episodes.values_list("pk", flat=True))
    batches: list[list[int]] = []
    compute = facts.compute_facts

    def counted(
        children: list[Child], now: datetime, persons: Iterable[int] = ()
    ) -> dict[int, tuple[list[EpisodeFact], list[ReasonFact]]]:
        batches.append([c.pk for c in children])
        return compute(children, now, persons)

    monkeypatch.setattr(facts, "compute_facts", counted)
    with transaction.atomic(), facts.deferred():
        for episode in Episode.objects.filter(pk__in=episode_ids):
            episode.risk_grade = "high"
            changes.save_episode(episode)  # each change asks for a refresh of the child
        # Not yet: the figures change with the load, at its end.
        assert set(
            EpisodeFact.objects.filter(person_key=child.person_id).values_list(
                "risk_grade", flat=True
            )
        ) != {"high"}

    assert batches == [[child.pk]]
    assert set(
        EpisodeFact.objects.filter(person_key=child.person_id).values_list("risk_grade", flat=True)
    ) == {"high"}
    recount.assert_facts_and_totals_are_a_recount()


def test_a_failed_load_refreshes_nothing_and_leaves_the_figures_right(
    generated: list[Child],
) -> None:
    child = generated[0]
    before = list(EpisodeFact.objects.filter(person_key=child.person_id).values_list("risk_grade"))

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic(), facts.deferred():  # noqa: PT012 (the whole load)
        first = Episode.objects.filter(child=child).first()
        assert first is not None
        changes.save_episode(first)
        for episode in Episode.objects.filter(child=child):
            episode.risk_grade = "high"
            changes.save_episode(episode)
        raise Refused

    assert (
        list(EpisodeFact.objects.filter(person_key=child.person_id).values_list("risk_grade"))
        == before
    )
    recount.assert_facts_and_totals_are_a_recount()
    # Outside a deferred block, a change refreshes at once again.
    one = Episode.objects.filter(child=child).first()
    assert one is not None
    one.risk_grade = "very_low"
    changes.save_episode(one)
    assert EpisodeFact.objects.get(episode_id=one.pk).risk_grade == "very_low"
