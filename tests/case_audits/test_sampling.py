"""The sample is reproducible from its seed, and stratified in proportion."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from homeward.case_audits import sampling
from homeward.case_audits.models import SampledCase
from homeward.case_audits.services import audits
from homeward.core import clock
from homeward.organisations.models import Role
from tests import factories
from tests.factories import report

pytestmark = pytest.mark.django_db


def _council_with_episodes(looked_after: int, not_looked_after: int) -> tuple[object, object]:
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    sw = factories.actor(Role.SOCIAL_WORKER, council)
    for n in range(looked_after + not_looked_after):
        child = factories.ChildFactory(responsible_council=council)
        if n < looked_after:
            factories.looked_after(child)
        report(sw, child, hours_ago=2 + n)
    return council, factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)


def _draw(actor: object, council: object, seed: int, size: int, strata: list[str]) -> list[int]:
    today = clock.now().astimezone(clock.UK).date()
    audit = audits.open_audit(
        actor,  # type: ignore[arg-type]
        audits.AuditInput(
            council_id=council.pk,  # type: ignore[attr-defined]
            title=f"Seed {seed}",
            unit="episodes",
            period_start=today - timedelta(days=10),
            period_end=today,
            size=size,
            strata=strata,
            seed=seed,
        ),
    )
    assert audit.seed == seed
    return list(audit.cases.order_by("position").values_list("episode_id", flat=True))


def test_the_same_seed_draws_the_same_sample_and_another_seed_another() -> None:
    council, coordinator = _council_with_episodes(12, 18)
    first = _draw(coordinator, council, 41, 10, [])
    again = _draw(coordinator, council, 41, 10, [])
    other = _draw(coordinator, council, 42, 10, [])
    print("seeds 41, 41, 42:", first, again, other)
    assert first == again
    assert len(set(first)) == 10
    assert set(other) != set(first)


def test_a_stratified_sample_takes_each_group_in_proportion() -> None:
    council, coordinator = _council_with_episodes(12, 18)  # 40% looked after
    drawn = _draw(coordinator, council, 5, 10, ["looked_after"])
    strata = Counter(
        SampledCase.objects.filter(episode_id__in=drawn).values_list("stratum", flat=True)
    )
    assert strata == {"looked_after=yes": 4, "looked_after=no": 6}


def test_allocation_is_proportional_with_the_largest_remainders() -> None:
    assert sampling.allocate({"a": 5, "b": 3, "c": 2}, 5) == {"a": 3, "b": 1, "c": 1}
    assert sampling.allocate({"a": 1, "b": 1, "c": 1}, 2) == {"a": 1, "b": 1, "c": 0}
    assert sampling.allocate({"a": 2, "b": 1}, 10) == {"a": 2, "b": 1}  # all there is
    assert sum(sampling.allocate({"x": 7, "y": 13, "z": 29}, 20).values()) == 20


def test_the_draw_is_a_pure_function_of_seed_and_population() -> None:
    people = [
        sampling.Candidate(k, k, k, k % 3 == 0, k % 5 == 0, k % 2 == 0) for k in range(1, 101)
    ]
    shuffled = list(reversed(people))
    strata = ["looked_after", "repeat"]
    one = [d.candidate.key for d in sampling.draw(people, 20, strata, 99)]
    two = [d.candidate.key for d in sampling.draw(shuffled, 20, strata, 99)]
    assert one == two
    groups = Counter(d.stratum for d in sampling.draw(people, 20, strata, 99))
    sizes = Counter(c.stratum(strata) for c in people)
    assert groups == sampling.allocate(dict(sizes), 20)
