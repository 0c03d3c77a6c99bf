"""A hand-worked fixture for case audits: three episodes of council C's children whose
evidence on each question is known (docs/case-audit.md gives the rules), recorded through
the real services.

    question   E1 (all done)  E2 (late, not shared)  E3 (still missing)
    risk       met            partly                 met
    check      met            not met                not applicable
    interview  met            partly                 not applicable
    words      met            met                    not applicable
    plan       met            not met                not met
    meeting    not applicable partly                 partly
    board      met            met                    met
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from homeward.aftercare import services as aftercare
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Episode
from homeward.insights import board, counting
from homeward.organisations.models import Organisation, Role
from homeward.safeguarding.services import plans
from tests import factories
from tests.factories import report, returned_at

EXPECTED = {
    "E1": {
        "risk": "met",
        "check": "met",
        "interview": "met",
        "words": "met",
        "plan": "met",
        "meeting": "na",
        "board": "met",
    },
    "E2": {
        "risk": "partly",
        "check": "not_met",
        "interview": "partly",
        "words": "met",
        "plan": "not_met",
        "meeting": "partly",
        "board": "met",
    },
    "E3": {
        "risk": "met",
        "check": "na",
        "interview": "na",
        "words": "na",
        "plan": "not_met",
        "meeting": "partly",
        "board": "met",
    },
}


@dataclass
class World:
    council: Organisation
    police: Organisation
    coordinator: Actor
    children: dict[str, Child]
    episodes: dict[str, Episode]


def _back(actor: Actor, episode: Episode, hours_after: float) -> Episode:
    return episodes.record_return(
        actor,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=episode.last_seen_at + timedelta(hours=hours_after),
            return_method="returned_self",
        ),
    )


def _interview(coordinator: Actor, episode: Episode, done_after: float, account: str) -> None:
    i = episode.return_interviews.get()
    i = aftercare.record_offer(
        coordinator,
        i.pk,
        i.version,
        offered_at=returned_at(episode) + timedelta(hours=1),
        offered_by="Missing coordinator",
        offer_method="phone",
    )
    i = aftercare.record_outcome(coordinator, i.pk, i.version, outcome="accepted")
    aftercare.record_interview(
        coordinator,
        i.pk,
        i.version,
        aftercare.InterviewRecord(
            done_at=returned_at(episode) + timedelta(hours=done_after),
            interviewer_name="Independent interviewer",
            interviewer_kind="independent",
            child_account=account,
        ),
    )


def build() -> World:
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    sw = factories.actor(Role.SOCIAL_WORKER, council)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    officer = factories.actor(Role.POLICE_OFFICER, police)
    kids: dict[str, Child] = {
        k: factories.ChildFactory(responsible_council=council) for k in ("E1", "E2", "E3")
    }
    made: dict[str, Episode] = {}
    # E1: assessed once (nothing changed), check done and shared, interview done in 20 h
    # with the child's account, the plan written after, no threshold.
    e1 = _back(sw, report(sw, kids["E1"], hours_ago=100), 5)
    aftercare.record_check(
        officer,
        e1.reference,
        aftercare.CheckDetails(
            done=True,
            conducted_at=returned_at(e1) + timedelta(hours=1),
            officer_name="PC Amber",
            child_account="I stayed at a friend's",
            shared_with="Social worker",
        ),
    )
    _interview(coordinator, e1, 20, "I was upset about home")
    plans.save_plan(
        sw,
        kids["E1"].pk,
        plans.PlanInput(
            risks="Goes to a friend's when upset",
            if_missing=["Ring the friend's mother"],
            review_date=clock.now().date() + timedelta(days=60),
            owner_id=sw.user.pk if sw.user else None,
        ),
        None,
    )
    made["E1"] = e1
    # E2: graded high (the escalation opens a strategy meeting, still planned), a sighting
    # and no re-grading, check not done, interview done 80 h after the return.
    e2 = report(sw, kids["E2"], hours_ago=200, grade="high")
    episodes.add_timeline_entry(
        sw, e2.reference, "sighting", e2.last_seen_at + timedelta(hours=2), "Seen in town"
    )
    e2 = _back(sw, Episode.objects.get(pk=e2.pk), 10)
    aftercare.record_check(
        officer, e2.reference, aftercare.CheckDetails(done=False, not_done_reason="Refused")
    )
    _interview(coordinator, e2, 80, "Nobody listens to me")
    made["E2"] = e2
    # E3: still missing; a sighting, then re-graded high (a strategy meeting is opened).
    e3 = report(sw, kids["E3"], hours_ago=30)
    episodes.add_timeline_entry(
        sw, e3.reference, "sighting", clock.now() - timedelta(hours=20), "Seen at the station"
    )
    e3 = Episode.objects.get(pk=e3.pk)
    episodes.regrade(
        officer,
        e3.reference,
        e3.version,
        episodes.Regrading(grade="high", rationale="Seen with an adult of concern"),
    )
    made["E3"] = Episode.objects.get(pk=e3.pk)
    quarters = {
        counting.quarter_of(e.last_seen_at.astimezone(clock.UK).date()) for e in made.values()
    }
    for year, quarter in sorted(quarters):
        board.generate(council, year, quarter)
    return World(council, police, coordinator, kids, made)
