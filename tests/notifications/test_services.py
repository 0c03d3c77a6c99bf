import pytest

from homeward.core.actor import Actor
from homeward.core.errors import NotFound
from homeward.notifications import services
from tests import factories
from tests.factories import report
from tests.notifications.conftest import Area, drain


def test_inbox_unread_count_and_mark_read(area: Area) -> None:
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    coordinator = Actor.for_user(area.coordinator)
    assert services.unread_count(coordinator) == 1
    item = services.inbox(coordinator).get()
    assert item.title.startswith("Reported missing: HW-")
    services.mark_read(coordinator, item.pk)
    assert services.unread_count(coordinator) == 0


def test_nobody_reads_anothers_notification(area: Area) -> None:
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    item = services.inbox(Actor.for_user(area.coordinator)).get()
    with pytest.raises(NotFound):
        services.mark_read(Actor.for_user(area.worker), item.pk)


def test_who_knew_what_when(area: Area) -> None:
    episode = report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    services.mark_read(
        Actor.for_user(area.coordinator),
        services.inbox(Actor.for_user(area.coordinator)).get().pk,
    )
    rows = list(services.who_knew(area.social_worker, episode.reference))
    by_person = {n.recipient: n for n in rows}
    assert set(by_person) == {
        area.coordinator,
        area.worker,
        area.host_coordinator,
        area.police_coordinator,
        area.home_manager,
    }
    assert by_person[area.coordinator].read_at is not None
    assert by_person[area.worker].read_at is None
    stranger = factories.actor("council_missing_coordinator", factories.CouncilFactory())
    with pytest.raises(NotFound):
        services.who_knew(stranger, episode.reference)
