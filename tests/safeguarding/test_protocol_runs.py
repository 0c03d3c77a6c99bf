"""A run of the home's protocol: started by the home's report, its steps copied, the time
to tell the police from the child's plan, steps recorded, signed off by a manager only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homeward.core import clock
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.organisations.models import Role
from homeward.safeguarding.models.protocols import ProtocolRun, StepKind
from homeward.safeguarding.services import protocols, runs
from homeward.safeguarding.services.protocols import StepInput
from homeward.safeguarding.services.runs import NoticeInput, StepResult
from tests import factories
from tests.safeguarding.factories_protocol import a_home, a_plan, a_profile, reported, run_of

pytestmark = pytest.mark.django_db


def done(minutes_ago: float) -> StepResult:
    return StepResult(done=True, done_at=clock.now() - timedelta(minutes=minutes_ago))


def test_the_homes_report_starts_its_protocol_with_the_steps_copied() -> None:
    world = a_home()
    episode = reported(world, hours_ago=3)
    run = run_of(episode)
    assert run.home == world.home
    assert run.noticed_at == episode.last_seen_at
    assert run.sign_off_due_at == episode.last_seen_at + timedelta(hours=24)
    assert [(s.position, s.kind, s.text) for s in run.steps.all()] == [
        (1, StepKind.SEARCH, "Search the home and the garden"),
        (2, StepKind.RING_CHILD, "Ring the child's phone"),
        (3, StepKind.TELL_POLICE, "Ring 101"),
    ]


def test_changing_the_homes_protocol_later_does_not_change_the_run() -> None:
    world = a_home()
    run = run_of(reported(world))
    protocols.save_home_protocol(
        world.manager, [StepInput(StepKind.OTHER, "Something new")], sign_off_hours=48
    )
    run.refresh_from_db()
    assert run.protocol_version == 1
    assert [s.text for s in run.steps.all()] == [
        "Search the home and the garden",
        "Ring the child's phone",
        "Ring 101",
    ]
    assert run.sign_off_due_at == run.noticed_at + timedelta(hours=24)


def test_the_time_to_tell_the_police_comes_from_the_childs_current_plan() -> None:
    world = a_home()
    a_plan(world.child, minutes=20)
    assert run_of(reported(world)).police_due_minutes == 20


def test_without_a_plan_time_the_homes_tell_police_step_gives_it() -> None:
    world = a_home()
    a_plan(world.child, minutes=None)
    assert run_of(reported(world)).police_due_minutes == 45


def test_a_report_by_someone_else_or_a_home_without_a_protocol_starts_nothing() -> None:
    world = a_home()
    factories.report(factories.actor(Role.SOCIAL_WORKER, world.council), world.child)
    assert not ProtocolRun.objects.exists()
    bare = a_home(protocol=False)
    reported(bare)
    assert not ProtocolRun.objects.exists()


def test_staff_start_it_from_the_episode_once_the_home_has_a_protocol() -> None:
    world = a_home(protocol=False)
    episode = reported(world)
    protocols.save_home_protocol(world.manager, list(protocols.default_steps()), sign_off_hours=12)
    run = runs.start_run(world.staff, episode.reference)
    assert run.police_due_minutes == 60  # the default tell-police step's time
    with pytest.raises(ValidationFailed):
        runs.start_run(world.staff, episode.reference)


def test_telling_the_police_sets_when_they_were_told() -> None:
    world = a_home()
    episode = reported(world)
    at = clock.now() - timedelta(minutes=30)
    runs.record_step(world.staff, episode.reference, 3, StepResult(done=True, done_at=at))
    assert run_of(episode).police_told_at == at


def test_a_steps_time_may_not_be_in_the_future_or_long_before_the_child_was_seen() -> None:
    world = a_home()
    episode = reported(world, hours_ago=2)
    with pytest.raises(ValidationFailed) as future:
        runs.record_step(world.staff, episode.reference, 2, done(-60))
    assert future.value.errors["done_at"] == [
        "The time of step 2 (ring the child) cannot be in the future"
    ]
    with pytest.raises(ValidationFailed) as early:
        runs.record_step(world.staff, episode.reference, 1, done(60 * 27))
    assert "more than a day before the child was last seen" in early.value.errors["done_at"][0]
    with pytest.raises(ValidationFailed) as why:
        runs.record_step(world.staff, episode.reference, 1, StepResult(done=False))
    assert why.value.errors["not_done_reason"] == [
        "Enter why step 1 (search the home and grounds) was not done"
    ]


def test_sign_off_is_refused_until_every_step_is_recorded() -> None:
    world = a_home()
    episode = reported(world)
    runs.record_step(world.staff, episode.reference, 1, done(90))
    with pytest.raises(ValidationFailed) as refused:
        runs.sign_off(world.manager, episode.reference, "All fine")
    assert "step 2 (ring the child), step 3 (tell the police)" in refused.value.errors["note"][0]
    runs.record_step(
        world.staff, episode.reference, 2, StepResult(done=False, not_done_reason="No phone")
    )
    runs.record_step(world.staff, episode.reference, 3, done(30))
    run = runs.sign_off(world.manager, episode.reference, "Followed well")
    assert run.signed_off_at is not None
    assert run.signed_off_at <= run.sign_off_due_at
    with pytest.raises(ValidationFailed):
        runs.record_step(world.staff, episode.reference, 1, done(10))


def test_care_staff_may_not_sign_off() -> None:
    world = a_home()
    episode = reported(world)
    for position in (1, 2, 3):
        runs.record_step(world.staff, episode.reference, position, done(20))
    with pytest.raises(AccessDenied):
        runs.sign_off(world.staff, episode.reference, "Done")
    assert run_of(episode).signed_off_at is None


def test_a_home_that_is_not_the_childs_home_now_cannot_see_the_run() -> None:
    world = a_home()
    episode = reported(world)
    other = a_home()
    factories.place(world.child, provider=other.home, host=world.council)
    for actor in (world.staff, world.manager, other.staff):
        with pytest.raises(NotFound):
            protocols.read_run(actor, episode.reference)


def test_the_run_shows_the_childs_plan_and_the_people_to_ring() -> None:
    world = a_home()
    a_plan(world.child, minutes=20, if_missing=["Ring her aunt first"])
    a_profile(world.child)
    page = protocols.read_run(world.staff, reported(world).reference)
    assert page.plan.if_missing == ["Ring her aunt first"]
    assert page.plan.report_after_minutes == 20
    assert page.plan.associates == [
        {"name": "Aunt Rosalind", "relationship": "Aunt", "phone": "07700 900123"}
    ]


def test_a_regulation_40_notification_is_recorded_with_why() -> None:
    world = a_home()
    episode = reported(world)
    with pytest.raises(ValidationFailed) as refused:
        runs.record_notice(
            world.staff, episode.reference, NoticeInput("ofsted", clock.now(), reason="")
        )
    assert refused.value.errors["reason"] == ["Enter why regulation 40 applies"]
    runs.record_notice(
        world.staff,
        episode.reference,
        NoticeInput("ofsted", clock.now(), reason="Police called about suspected exploitation"),
    )
    assert [n.recipient for n in run_of(episode).notices.all()] == ["ofsted"]
