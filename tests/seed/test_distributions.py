"""One set of distributions: the demo and the generator draw from the same tables, so a
change to one table shows in both loads."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.test import override_settings

from homeward.aftercare.models import InterviewStatus, ReturnInterview
from homeward.children.models import Child
from homeward.episodes.models import Episode, RiskAssessment
from homeward.seed import demo, synthetic
from homeward.seed import distributions as dist
from tests.factories import returned_at

NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
pytestmark = pytest.mark.django_db


def load_demo() -> None:
    with override_settings(PASSWORD_HASHERS=MD5):
        demo.load(seed=7, children=30, episodes=120, now=NOW)


def generate() -> None:
    synthetic.generate(episodes=300, seed=5, councils=2, now=NOW)


@pytest.fixture(params=["demo", "generator"])
def loader(request: pytest.FixtureRequest) -> Callable[[], None]:
    return load_demo if request.param == "demo" else generate


def initial_grades() -> Counter[str]:
    first: dict[int, str] = {}
    for risk in RiskAssessment.objects.order_by("decided_at", "pk"):
        first.setdefault(risk.episode_id, risk.grade)
    return Counter(first.values())


def test_both_draw_ethnicity_from_the_one_mix(
    loader: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dist, "ETHNICITY_MIX", {"MWAS": 1.0})
    loader()
    assert set(Child.objects.values_list("ethnicity", flat=True)) == {"MWAS"}


def test_both_draw_the_first_risk_grade_from_the_one_table(
    loader: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    for table in ("GRADES", "GRADES_UNDER_13", "GRADES_FREQUENT"):
        monkeypatch.setattr(dist, table, {"very_low": 1.0})
    loader()
    assert set(initial_grades()) == {"very_low"}


def test_both_draw_the_return_method_from_the_one_table(
    loader: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dist, "RETURN_METHODS", {"brought_back": 1.0})
    loader()
    methods = set(Episode.objects.exclude(returned_at=None).values_list("return_method", flat=True))
    assert methods == {"brought_back"}


def test_both_time_their_interviews_from_the_one_course(
    loader: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dist, "INTERVIEW_NOT_OFFERED", 0.0)
    monkeypatch.setattr(dist, "INTERVIEW_DECLINED", 0.0)
    monkeypatch.setattr(dist, "INTERVIEW_IN_TIME", 1.0)
    loader()
    interviews = list(ReturnInterview.objects.all())
    statuses = Counter(i.status for i in interviews)
    assert statuses[InterviewStatus.DONE] > 0
    assert not statuses[InterviewStatus.DECLINED]
    assert not statuses[InterviewStatus.NOT_OFFERED]
    assert all(i.within_72_hours for i in interviews if i.done_at)


def test_both_draw_durations_from_the_one_function(
    loader: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dist, "duration_minutes", lambda rng: rng.randint(50, 70))
    loader()
    returned = Episode.objects.exclude(returned_at=None)
    assert returned.exists()
    longest = max(returned_at(e) - e.last_seen_at for e in returned)
    # The demo falls back to short episodes when one does not fit; none is long.
    assert longest <= timedelta(hours=4)


def test_the_same_seed_gives_the_same_draws() -> None:
    one, two = random.Random(9), random.Random(9)
    assert [dist.duration_minutes(one) for _ in range(50)] == [
        dist.duration_minutes(two) for _ in range(50)
    ]
    course = dist.interview_course(random.Random(3), 0, 10**6)
    assert course == dist.interview_course(random.Random(3), 0, 10**6)


def test_the_same_seed_gives_the_same_area(loader: Callable[[], None]) -> None:
    def children() -> list[tuple[object, ...]]:
        return list(
            Child.objects.order_by("pk").values_list(
                "first_name", "last_name", "date_of_birth", "ethnicity", "upn", "nhs_number"
            )
        )

    with transaction.atomic():
        loader()
        first = children()
        transaction.set_rollback(True)
    assert not Child.objects.exists()
    loader()
    assert children() == first
