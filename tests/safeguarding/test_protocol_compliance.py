"""The compliance figures against runs whose times were chosen, and worked out by hand.

Every child was noticed missing at T (three hours ago). Homes A and B keep the same three
steps (search; ring the child; tell the police within 45 minutes). Council P places all
three children; child 1's placement is hosted by council H2; home B is in council H's area.

- run 1 (home A, child 1): every step done; police told at T+30 (due 45: in time);
  signed off before it was due: on time.
- run 2 (home A, child 2): the plan says tell the police within 20 minutes; ringing the
  child not done (no phone): not followed; police told at T+50 (due 20: late); signed off
  after it was due: late.
- run 3 (home B, child 3): nothing recorded: not followed, police not told, awaiting.

All three: 3 runs; followed 1 (1/3 = 0.333); minutes to tell the police [30, 50]: median
40, longest 50; told in time 1 (1/3 = 0.333); sign-offs 1 on time, 1 late, 1 awaiting.
Home A: 2 runs, followed 1 (0.5), median 40, longest 50, in time 1 (0.5), 1/1/0.
Home B: 1 run, followed 0, no police minutes, in time 0, 0/0/1.
Home A's manager sees home A only; council P all three; H2 run 1 (its hosted
placement); H run 3 (a home in its area); a council unconnected none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied
from homeward.organisations.models import Role
from homeward.safeguarding.models.protocols import ProtocolRun
from homeward.safeguarding.services import protocols, runs
from homeward.safeguarding.services.protocol_compliance import compliance
from homeward.safeguarding.services.runs import StepResult
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_protocol import STEPS, a_plan

pytestmark = pytest.mark.django_db


@dataclass
class World:
    manager: Actor
    staff: Actor
    placing: Actor
    host: Actor
    host2: Actor


@pytest.fixture
def world() -> World:
    t = clock.now() - timedelta(hours=3)
    placing = factories.CouncilFactory()
    host, host2 = factories.CouncilFactory(), factories.CouncilFactory()
    home_a = factories.CareProviderFactory(area_council=placing, name="Alder House")
    home_b = factories.CareProviderFactory(area_council=host, name="Birch Lodge")
    staff, managers = {}, {}
    for home in (home_a, home_b):
        staff[home.pk] = factories.actor(Role.CARE_STAFF, home)
        managers[home.pk] = factories.actor(Role.CARE_MANAGER, home)
        protocols.save_home_protocol(managers[home.pk], list(STEPS), sign_off_hours=24)
    children = []
    for home, hosted_by in ((home_a, host2), (home_a, placing), (home_b, host)):
        child = factories.ChildFactory(responsible_council=placing)
        factories.looked_after(child)
        factories.place(child, provider=home, host=hosted_by)
        children.append(child)
    a_plan(children[1], minutes=20)
    refs = [
        factories.report(staff[h.pk], c, last_seen_at=t, reporter_type="home_staff").reference
        for h, c in zip((home_a, home_a, home_b), children, strict=True)
    ]
    a_staff, a_manager = staff[home_a.pk], managers[home_a.pk]

    def at(minutes: int) -> StepResult:
        return StepResult(done=True, done_at=t + timedelta(minutes=minutes))

    for position, minutes in ((1, 5), (2, 10), (3, 30)):
        runs.record_step(a_staff, refs[0], position, at(minutes))
    runs.sign_off(a_manager, refs[0], "Followed well")
    runs.record_step(a_staff, refs[1], 1, at(5))
    runs.record_step(a_staff, refs[1], 2, StepResult(done=False, not_done_reason="No phone"))
    runs.record_step(a_staff, refs[1], 3, at(50))
    ProtocolRun.objects.filter(episode__reference=refs[1]).update(sign_off_due_at=t)
    runs.sign_off(a_manager, refs[1], "Police told late")
    return World(
        manager=a_manager,
        staff=a_staff,
        placing=factories.actor(Role.COUNCIL_MISSING_COORDINATOR, placing),
        host=factories.actor(Role.COUNCIL_MISSING_COORDINATOR, host),
        host2=factories.actor(Role.COUNCIL_MANAGER, host2),
    )


def test_the_figures_are_the_hand_worked_ones(world: World) -> None:
    found = compliance(world.placing)
    total = found.total
    assert (total.runs, total.followed, total.followed_share) == (3, 1, 0.333)
    assert (total.median_police_minutes, total.longest_police_minutes) == (40.0, 50)
    assert (total.told_in_time, total.told_in_time_share) == (1, 0.333)
    assert (total.on_time, total.late, total.awaiting) == (1, 1, 1)
    a, b = found.homes
    assert a.home == "Alder House"
    assert b.home == "Birch Lodge"
    assert (a.figures.runs, a.figures.followed, a.figures.followed_share) == (2, 1, 0.5)
    assert (a.figures.median_police_minutes, a.figures.longest_police_minutes) == (40.0, 50)
    assert (a.figures.told_in_time, a.figures.on_time, a.figures.late) == (1, 1, 1)
    assert (b.figures.runs, b.figures.followed, b.figures.median_police_minutes) == (1, 0, None)
    assert (b.figures.told_in_time, b.figures.awaiting) == (0, 1)


def test_each_sees_the_runs_it_answers_for(world: World) -> None:
    assert compliance(world.manager).total.runs == 2
    assert compliance(world.host).total.runs == 1
    assert compliance(world.host2).total.runs == 1
    assert compliance(world.host2).homes[0].home == "Alder House"
    outsider = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
    assert compliance(outsider).total.runs == 0
    with pytest.raises(AccessDenied):
        compliance(world.staff)


def test_the_page_shows_the_figures(world: World) -> None:
    client = Client()
    client.force_login(user_of(world.placing))
    page = client.get("/protocols/compliance").content.decode()
    assert "median 40, longest 50" in page
    assert "1 on time, 1 late, 1 awaiting" in page
    staff = Client()
    staff.force_login(user_of(world.staff))
    assert staff.get("/protocols/compliance").status_code == 403
