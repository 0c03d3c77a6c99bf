"""A child placed out of area goes missing: who is told.

The responsible council, the host council the child is placed in, the allocated worker and
the police of the area the child went missing from (unless they reported it) all hear at
once; a host council with no missing coordinator still hears."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from homeward.children.models import Child, WorkerAllocation
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.models import Episode, MissingFrom, ReporterType
from homeward.notifications import rules
from homeward.notifications.models import Notification
from homeward.organisations.models import Membership, Organisation, Role, User
from tests import factories
from tests.factories import report
from tests.notifications.conftest import drain


@dataclass
class OutOfArea:
    """Council R (policed by force A) places a child in a home in council H (force B)."""

    child: Child
    responsible: Organisation
    host: Organisation
    coordinator: User  # R's missing coordinator
    manager: User  # R's manager
    worker: User  # R's social worker allocated to the child
    other_worker: User  # another of R's social workers
    host_coordinator: User
    host_manager: User
    host_workers: list[User]
    force_a: User  # the responsible council's force's coordinator
    force_b: User  # the host area's force's coordinator
    home_manager: User
    home_staff: Actor  # at the home, who reports
    officer_b: Actor  # in force B


@pytest.fixture
def away(db: None) -> OutOfArea:
    force_a, force_b = factories.PoliceForceFactory(), factories.PoliceForceFactory()
    responsible = factories.CouncilFactory(police_force=force_a)
    host = factories.CouncilFactory(police_force=force_b)
    home = factories.CareProviderFactory(area_council=host)
    child = factories.ChildFactory(responsible_council=responsible)
    factories.looked_after(child)
    factories.place(child, provider=home, host=host)
    worker = factories.member(Role.SOCIAL_WORKER, responsible)
    WorkerAllocation.objects.create(
        child=child,
        worker=worker,
        organisation=responsible,
        start_date=clock.now().date() - timedelta(days=60),
    )
    return OutOfArea(
        child=child,
        responsible=responsible,
        host=host,
        coordinator=factories.member(Role.COUNCIL_MISSING_COORDINATOR, responsible),
        manager=factories.member(Role.COUNCIL_MANAGER, responsible),
        worker=worker,
        other_worker=factories.member(Role.SOCIAL_WORKER, responsible),
        host_coordinator=factories.member(Role.COUNCIL_MISSING_COORDINATOR, host),
        host_manager=factories.member(Role.COUNCIL_MANAGER, host),
        host_workers=[factories.member(Role.SOCIAL_WORKER, host) for _ in range(2)],
        force_a=factories.member(Role.POLICE_MISSING_COORDINATOR, force_a),
        force_b=factories.member(Role.POLICE_MISSING_COORDINATOR, force_b),
        home_manager=factories.member(Role.CARE_MANAGER, home),
        home_staff=factories.actor(Role.CARE_STAFF, home),
        officer_b=factories.actor(Role.POLICE_OFFICER, force_b),
    )


def missing_from_placement(by: Actor, away: OutOfArea) -> Episode:
    return report(
        by,
        away.child,
        missing_from=MissingFrom.PLACEMENT,
        reporter_type=ReporterType.HOME_STAFF,
        grade="high",
    )


def told(episode: Episode) -> dict[int, str]:
    """Who was told of the report, with the reason each was given."""
    drain(fire_due_clocks=False)
    return dict(
        Notification.objects.filter(
            episode_reference=episode.reference, event__name="episode.reported"
        ).values_list("recipient", "reason")
    )


def test_the_home_reports_and_all_four_agencies_hear(away: OutOfArea) -> None:
    episode = missing_from_placement(away.home_staff, away)
    assert episode.police_force.pk == away.host.police_force_id  # the host area's force
    assert told(episode) == {
        away.coordinator.pk: rules.COORDINATOR,
        away.worker.pk: rules.WORKER,
        away.host_coordinator.pk: rules.HOST,
        away.force_b.pk: rules.POLICE,
        away.home_manager.pk: rules.HOME,
    }
    # Nobody without a part in it: not the other force, the council's other worker, the
    # managers, the host's social workers, or the person who reported it.


def test_when_the_host_areas_police_report_it_they_are_not_told_again(away: OutOfArea) -> None:
    episode = missing_from_placement(away.officer_b, away)
    people = told(episode)
    assert away.force_b.pk not in people
    assert away.force_a.pk not in people
    assert {away.coordinator.pk, away.worker.pk, away.host_coordinator.pk} <= set(people)


def test_a_host_council_with_no_missing_coordinator_tells_its_manager(away: OutOfArea) -> None:
    Membership.objects.filter(user=away.host_coordinator).update(is_active=False)
    people = told(missing_from_placement(away.home_staff, away))
    assert people[away.host_manager.pk] == rules.HOST_MANAGER
    assert away.host_coordinator.pk not in people
    assert not {w.pk for w in away.host_workers} & set(people)


def test_a_host_council_with_only_social_workers_tells_them(away: OutOfArea) -> None:
    """The demo's Eastwold: social workers only. They heard nothing before."""
    Membership.objects.filter(
        organisation=away.host,
        role__in=[Role.COUNCIL_MISSING_COORDINATOR, Role.COUNCIL_MANAGER],
    ).delete()
    people = told(missing_from_placement(away.home_staff, away))
    for host_worker in away.host_workers:
        assert people[host_worker.pk] == rules.HOST_WORKER
    assert people[away.coordinator.pk] == rules.COORDINATOR


def test_a_responsible_council_with_no_coordinator_tells_its_manager(away: OutOfArea) -> None:
    Membership.objects.filter(user=away.coordinator).delete()
    people = told(missing_from_placement(away.home_staff, away))
    assert people[away.manager.pk] == rules.COORDINATOR_MANAGER
    assert people[away.worker.pk] == rules.WORKER
    assert away.other_worker.pk not in people


def test_a_child_placed_at_home_in_its_own_area_tells_no_host(away: OutOfArea) -> None:
    factories.place(away.child, host=away.responsible)
    people = told(report(Actor.for_user(away.other_worker), away.child))
    assert away.host_coordinator.pk not in people
    assert away.force_b.pk not in people
    assert {away.coordinator.pk, away.worker.pk, away.force_a.pk} <= set(people)


def test_the_host_council_hears_of_the_return_and_regrading_too(away: OutOfArea) -> None:

    from homeward.episodes import services as episodes

    episode = missing_from_placement(away.home_staff, away)
    episodes.regrade(
        away.officer_b,
        episode.reference,
        None,
        episodes.Regrading(grade="medium", rationale="Seen at a friend's house"),
    )
    episodes.record_return(
        away.home_staff,
        episode.reference,
        None,
        episodes.Return(returned_at=clock.now(), return_method="returned_self"),
    )
    drain(fire_due_clocks=False)
    for name in ("episode.regraded", "episode.returned"):
        heard = set(
            Notification.objects.filter(event__name=name).values_list("recipient", flat=True)
        )
        assert {away.host_coordinator.pk, away.coordinator.pk, away.worker.pk} <= heard, name
