from collections.abc import Callable
from datetime import timedelta

import pytest

from homeward.core import clock
from homeward.episodes import services as episodes
from homeward.events.models import DomainEvent
from homeward.notifications import clocks
from homeward.notifications.models import Clock, Notification
from tests.factories import report
from tests.notifications.conftest import Area, drain


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Move Homeward's clock forward."""
    real = clock.now

    def move(**delta: float) -> None:
        monkeypatch.setattr(clock, "now", lambda: real() + timedelta(**delta))

    return move


def test_high_risk_episode_starts_manager_reviews_and_escalations(area: Area) -> None:
    episode = report(
        area.social_worker,
        area.child,
        grade="high",
        hours_ago=1,
        reported_at=clock.now() - timedelta(minutes=30),
    )
    drain()
    keys = set(Clock.objects.values_list("key", flat=True))
    ref = episode.reference
    assert {f"high_risk:{ref}:2", f"high_risk:{ref}:24", f"high_risk:{ref}:48"} <= keys
    assert {f"long:{ref}:24", f"long:{ref}:48", f"long:{ref}:72"} <= keys


def test_a_due_clock_fires_once_and_tells_the_right_people(
    area: Area, later: Callable[..., None]
) -> None:
    report(
        area.social_worker,
        area.child,
        grade="high",
        hours_ago=1,
        reported_at=clock.now() - timedelta(minutes=30),
    )
    drain()
    later(hours=2)
    drain()
    review = DomainEvent.objects.get(name="episode.high_risk_review_due")
    told = set(Notification.objects.filter(event=review).values_list("recipient", flat=True))
    assert told == {area.manager.pk, area.police_coordinator.pk}
    fired = Clock.objects.get(key__endswith=":2", kind="high_risk_review")
    assert clocks.fire(fired.pk) == "already"
    assert DomainEvent.objects.filter(name="episode.high_risk_review_due").count() == 1


def test_a_clock_no_longer_needed_fires_nothing(area: Area, later: Callable[..., None]) -> None:
    episode = report(
        area.social_worker,
        area.child,
        grade="high",
        hours_ago=1,
        reported_at=clock.now() - timedelta(minutes=30),
    )
    drain()
    episodes.record_return(
        area.social_worker,
        episode.reference,
        None,
        episodes.Return(returned_at=clock.now(), return_method="returned_self"),
    )
    later(hours=3)
    drain()
    assert not DomainEvent.objects.filter(name="episode.high_risk_review_due").exists()
    assert Clock.objects.get(kind="high_risk_review", key__endswith=":2").outcome == "not_needed"


def test_interview_due_and_overdue(area: Area, later: Callable[..., None]) -> None:
    episode = report(area.social_worker, area.child)
    episodes.record_return(
        area.social_worker,
        episode.reference,
        None,
        episodes.Return(
            returned_at=clock.now() - timedelta(minutes=5), return_method="returned_self"
        ),
    )
    drain()
    later(hours=49)
    drain()
    assert DomainEvent.objects.filter(name="aftercare.interview_due").count() == 1
    assert not DomainEvent.objects.filter(name="aftercare.interview_overdue").exists()
    later(hours=73)
    drain()
    overdue = DomainEvent.objects.get(name="aftercare.interview_overdue")
    told = set(Notification.objects.filter(event=overdue).values_list("recipient", flat=True))
    assert told == {area.coordinator.pk, area.manager.pk}
    check = DomainEvent.objects.get(name="aftercare.check_overdue")
    told = set(Notification.objects.filter(event=check).values_list("recipient", flat=True))
    assert told == {area.coordinator.pk, area.police_coordinator.pk}
