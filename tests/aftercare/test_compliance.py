"""Compliance figures against a small fixture whose answers were worked out by hand.

The fixture, for one council in October 2026 (all times UTC):

  return  check      interview (covers)         outcome
  R1      done       I1 (R1)                    done 20 h after return       -> within 72 h
  R2      done       I2 (R2)                    done 80 h after return       -> late
  R3      not done   I3 (R3)                    offered, declined
  R4      none       I4 (R4, R5)                not offered (reason)
  R5      done       I4 (as R4: one interview covers both)
  R6      none       I6 (R6)                    pending, due long ago        -> overdue
  R7      done       (another council's child: not counted)
  R8      returned 1 Nov: outside the period

By hand: returns 6 (R1-R6); checks done 3 (R1, R2, R5) = 50.0%; not done 1;
offered 3 (R1, R2, R3) = 50.0%; accepted 2 (R1, R2) = 33.3%; done 2; within 72 h 1 = 16.7%;
declined 1; not offered 2 (R4, R5 share I4). Overdue checks now: R4, R6 (and R8 if past
the deadline: it is, returned 1 Nov). Overdue interviews now: I6 and R8's interview.
"""

from datetime import UTC, datetime, timedelta

import pytest

from homeward.aftercare import compliance
from homeward.aftercare import services as aftercare
from homeward.aftercare.models import CouncilSettings, ReturnInterview
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.factories import report, returned_at

OCT = datetime(2026, 10, 1, tzinfo=UTC)
NOV = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def world(
    council: Organisation, police: Organisation
) -> tuple[dict[str, Episode], Organisation, Organisation]:
    sw = factories.actor(Role.SOCIAL_WORKER, council)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    officer = factories.actor(Role.POLICE_OFFICER, police)
    made: dict[str, Episode] = {}

    def back(name: str, day: int, child: Child | None = None, actor: Actor = sw) -> Episode:
        child = child or factories.ChildFactory(responsible_council=actor.organisation)
        seen = OCT + timedelta(days=day)
        episode = report(actor, child, last_seen_at=seen)
        made[name] = episodes.record_return(
            actor,
            episode.reference,
            episode.version,
            episodes.Return(returned_at=seen + timedelta(hours=4), return_method="returned_self"),
        )
        return made[name]

    def check(name: str, done: bool = True) -> None:
        aftercare.record_check(
            officer,
            made[name].reference,
            aftercare.CheckDetails(
                done=done,
                conducted_at=returned_at(made[name]) + timedelta(hours=1),
                child_account="Was at a friend's",
                not_done_reason="" if done else "Child refused",
            ),
        )

    def interview(name: str) -> ReturnInterview:
        return made[name].return_interviews.get()

    def do(name: str, hours: int) -> None:
        i = interview(name)
        i = aftercare.record_offer(
            coordinator,
            i.pk,
            i.version,
            offered_at=returned_at(made[name]) + timedelta(hours=1),
            offered_by="Coordinator",
            offer_method="phone",
        )
        i = aftercare.record_outcome(coordinator, i.pk, i.version, outcome="accepted")
        aftercare.record_interview(
            coordinator,
            i.pk,
            i.version,
            aftercare.InterviewRecord(
                done_at=returned_at(made[name]) + timedelta(hours=hours),
                interviewer_name="RHI",
                interviewer_kind="independent",
                child_account="I was fine",
            ),
        )

    back("R1", 1)
    check("R1")
    do("R1", 20)
    back("R2", 3)
    check("R2")
    do("R2", 80)
    back("R3", 5)
    check("R3", done=False)
    i3 = interview("R3")
    i3 = aftercare.record_offer(
        coordinator,
        i3.pk,
        i3.version,
        offered_at=returned_at(made["R3"]) + timedelta(hours=2),
        offered_by="Coordinator",
        offer_method="text",
    )
    aftercare.record_outcome(coordinator, i3.pk, i3.version, outcome="declined")
    twice = factories.ChildFactory(responsible_council=council)
    back("R4", 10, child=twice)
    back("R5", 11, child=twice)  # covered by R4's interview, still open then
    check("R5")
    i4 = interview("R4")
    aftercare.record_outcome(
        coordinator, i4.pk, i4.version, outcome="not_offered", reason="Moved to a secure placement"
    )
    back("R6", 20)
    other = factories.CouncilFactory(police_force=police)
    back("R7", 12, actor=factories.actor(Role.SOCIAL_WORKER, other))
    check("R7")
    back("R8", 31)
    return made, council, police


def test_council_figures_match_the_hand_worked_answers(
    world: tuple[dict[str, Episode], Organisation, Organisation],
) -> None:
    made, council, _ = world
    assert made["R4"].return_interviews.get() == made["R5"].return_interviews.get()
    figures = compliance.compliance(council, OCT, NOV)
    assert figures == compliance.Compliance(
        returns=6,
        check_done=3,
        check_not_done=1,
        interview_offered=3,
        interview_accepted=2,
        interview_done=2,
        interview_done_within_72h=1,
        interview_declined=1,
        interview_not_offered=2,
    )
    assert (
        figures.check_rate,
        figures.offered_rate,
        figures.accepted_rate,
        figures.within_72h_rate,
    ) == (50.0, 50.0, 33.3, 16.7)


def test_force_counts_every_return_in_its_area(
    world: tuple[dict[str, Episode], Organisation, Organisation],
) -> None:
    _, _, police = world
    figures = compliance.compliance(police, OCT, NOV)
    assert (figures.returns, figures.check_done) == (7, 4)  # R1-R7; R7's council differs


def test_overdue_lists(world: tuple[dict[str, Episode], Organisation, Organisation]) -> None:
    made, council, _ = world
    assert list(compliance.overdue_checks(council)) == [made["R4"], made["R6"], made["R8"]]
    overdue = list(compliance.overdue_interviews(council))
    assert overdue == [made["R6"].return_interviews.get(), made["R8"].return_interviews.get()]
    assert ReturnInterview.objects.count() == 8 - 1  # R4 and R5 share one


def test_the_forces_overdue_checks_follow_each_childs_councils_deadline(
    world: tuple[dict[str, Episode], Organisation, Organisation],
) -> None:
    made, council, police = world
    CouncilSettings.objects.update_or_create(council=council, defaults={"check_due_hours": 72})
    other = factories.CouncilFactory(police_force=police)  # keeps the default 24 hours
    sw = factories.actor(Role.SOCIAL_WORKER, other)
    r8 = made["R8"]
    elsewhere = report(
        sw, factories.ChildFactory(responsible_council=other), last_seen_at=r8.last_seen_at
    )
    episodes.record_return(
        sw,
        elsewhere.reference,
        elsewhere.version,
        episodes.Return(returned_at=r8.returned_at, return_method="returned_self"),
    )

    thirty_hours_on = compliance.overdue_checks(police, now=returned_at(r8) + timedelta(hours=30))
    assert list(thirty_hours_on) == [made["R4"], made["R6"], elsewhere]
    three_days_on = compliance.overdue_checks(police, now=returned_at(r8) + timedelta(hours=73))
    assert list(three_days_on) == [made["R4"], made["R6"], r8, elsewhere]
    assert list(compliance.overdue_checks(council, now=returned_at(r8) + timedelta(hours=30))) == [
        made["R4"],
        made["R6"],
    ]


def test_no_returns_gives_no_rate(council: Organisation) -> None:
    figures = compliance.compliance(council, OCT, NOV)
    assert figures.returns == 0
    assert figures.check_rate is None
