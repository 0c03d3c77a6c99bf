"""Each event reaches exactly the people who must know, and nobody else."""

from collections.abc import Callable
from datetime import timedelta

import pytest

from homeward.aftercare import services as aftercare
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Episode
from homeward.linkage.services import link_records
from homeward.notifications.models import Notification
from tests.factories import ChildFactory, record_aftercare, report
from tests.notifications.conftest import Area, drain

EVERYONE = {"coordinator", "worker", "host_coordinator", "police_coordinator", "home_manager"}


def told(area: Area, name_fragment: str) -> set[str]:
    users = Notification.objects.filter(event__name=name_fragment).values_list(
        "recipient", flat=True
    )
    names = {
        field
        for field in (
            "coordinator",
            "manager",
            "worker",
            "host_coordinator",
            "police_coordinator",
            "home_manager",
            "home_staff",
            "stranger_coordinator",
            "stranger_police",
        )
        if getattr(area, field).pk in set(users)
    }
    return names


def aftercare_done(episode: Episode) -> str:
    record_aftercare(episode)
    return episode.reference


def returned(area: Area, grade: str = "medium") -> Episode:
    episode = report(area.social_worker, area.child, grade=grade)
    return episodes.record_return(
        area.social_worker,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=clock.now() - timedelta(hours=1), return_method="returned_self"
        ),
    )


CASES: list[tuple[str, Callable[[Area], object], set[str]]] = [
    ("episode.reported", lambda a: report(a.social_worker, a.child), EVERYONE),
    (
        "episode.regraded",
        lambda a: episodes.regrade(
            a.officer,
            report(a.social_worker, a.child).reference,
            None,
            episodes.Regrading(grade="high", rationale="Intelligence"),
        ),
        EVERYONE,
    ),
    ("episode.returned", returned, EVERYONE),
    (
        "episode.closed",
        lambda a: episodes.close_episode(a.social_worker, aftercare_done(returned(a)), None),
        {"coordinator", "worker"},
    ),
    (
        "aftercare.check_recorded",
        lambda a: aftercare.record_check(
            a.officer,
            returned(a).reference,
            aftercare.CheckDetails(done=False, not_done_reason="Refused"),
        ),
        {"coordinator", "worker", "host_coordinator"},
    ),
    ("aftercare.interview_opened", returned, {"coordinator"}),
]


@pytest.mark.parametrize(("event", "action", "expected"), CASES, ids=[c[0] for c in CASES])
def test_event_reaches_exactly_the_expected_people(
    area: Area, event: str, action: Callable[[Area], object], expected: set[str]
) -> None:
    action(area)
    drain(fire_due_clocks=False)
    assert told(area, event) == expected


def test_police_are_not_told_of_their_own_report(area: Area) -> None:
    report(area.officer, area.child)
    drain(fire_due_clocks=False)
    assert "police_coordinator" not in told(area, "episode.reported")
    assert {"coordinator", "worker"} <= told(area, "episode.reported")


def test_a_moved_child_is_no_longer_told_to_the_old_home(area: Area) -> None:
    from tests import factories

    factories.place(
        area.child, provider=factories.CareProviderFactory(), host=area.child.responsible_council
    )
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    assert told(area, "episode.reported") == {"coordinator", "worker", "police_coordinator"}


def missing_and_back(area: Area, child: Child, days_ago: int) -> None:
    episode = report(area.social_worker, child, hours_ago=24 * days_ago)
    episodes.record_return(
        area.social_worker,
        episode.reference,
        None,
        episodes.Return(
            returned_at=episode.last_seen_at + timedelta(hours=3), return_method="returned_self"
        ),
    )


def test_repeat_threshold_prompts_plan_review(area: Area) -> None:
    for days_ago in (40, 20):
        missing_and_back(area, area.child, days_ago)
    drain(fire_due_clocks=False)
    assert not told(area, "child.repeat_threshold_reached")
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    assert told(area, "child.repeat_threshold_reached") == {"coordinator", "worker", "manager"}


def test_repeat_threshold_counts_the_episodes_of_every_linked_record(area: Area) -> None:
    """Two episodes on the police's second record of the child and one on the council's
    are three episodes of one child: the threshold is reached."""
    police_record = ChildFactory(
        responsible_council=area.child.responsible_council,
        first_name=area.child.first_name,
        last_name=area.child.last_name,
        date_of_birth=area.child.date_of_birth,
    )
    link_records(Actor.system(), area.child.pk, police_record.pk, reason="Same", automatic=True)
    for days_ago in (40, 20):
        missing_and_back(area, police_record, days_ago)
    drain(fire_due_clocks=False)
    assert not told(area, "child.repeat_threshold_reached")
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    assert told(area, "child.repeat_threshold_reached") == {"coordinator", "worker", "manager"}


def test_a_duplicate_delivery_is_suppressed(area: Area) -> None:
    from homeward.events.models import DomainEvent
    from homeward.notifications import delivery

    report(area.social_worker, area.child)
    event = DomainEvent.objects.get(name="episode.reported")
    first = delivery.deliver(event.pk)
    again = delivery.deliver(event.pk)
    assert first == 5
    assert again == 0
    assert Notification.objects.filter(event=event).count() == 5
