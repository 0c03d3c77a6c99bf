"""A council's child with an allocated worker, and plans written through the real service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import ReturnInterview
from homeward.children.models import Child, WorkerAllocation
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, OrganisationKind, Role, User
from homeward.safeguarding.models import PlanVersion
from homeward.safeguarding.services import plan_rules, plans
from tests import factories

STEPS = ["Ring her aunt first on 07700 900123", "Check Ashcombe station"]


@dataclass
class PlanWorld:
    """Child C of council K, placed in home H (in K's area, policed by P), with a worker."""

    child: Child
    council: Organisation
    home: Organisation
    police: Organisation
    worker: User  # allocated social worker (the plan's owner by default)
    coordinator: User
    social_worker: Actor  # writes the plan
    manager: Actor  # another writer at the same council
    care_staff: Actor
    officer: Actor


def world() -> PlanWorld:
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    home = factories.CareProviderFactory(area_council=council)
    child = factories.ChildFactory(responsible_council=council)
    factories.looked_after(child)
    factories.place(child, provider=home, host=council)
    worker = factories.member(Role.SOCIAL_WORKER, council)
    WorkerAllocation.objects.create(
        child=child,
        worker=worker,
        organisation=council,
        start_date=clock.now().date() - timedelta(days=30),
    )
    return PlanWorld(
        child=child,
        council=council,
        home=home,
        police=police,
        worker=worker,
        coordinator=factories.member(Role.COUNCIL_MISSING_COORDINATOR, council),
        social_worker=Actor.for_user(worker),
        manager=factories.actor(Role.COUNCIL_MANAGER, council),
        care_staff=factories.actor(Role.CARE_STAFF, home),
        officer=factories.actor(Role.POLICE_OFFICER, police),
    )


def in_weeks(weeks: int) -> date:
    return clock.now().astimezone(clock.UK).date() + timedelta(weeks=weeks)


def plan_input(owner: User, **changes: Any) -> plans.PlanInput:
    values: dict[str, Any] = {
        "risks": "Goes to older men's flats in Ashcombe; criminal exploitation suspected",
        "if_missing": list(STEPS),
        "review_date": in_weeks(6),
        "owner_id": owner.pk,
        "agencies": [
            {"agency": "Police", "will_do": "Flag the flats to patrols", "owner": "PC Hale"}
        ],
        "actions": [
            {"action": "Refer to the MACE panel", "owner": "Sam", "due": in_weeks(2), "done": False}
        ],
        "report_after_minutes": 60,
        "change_note": "",
    }
    values.update(changes)
    return plans.PlanInput(**values)


def write_plan(by: Actor, child: Child, owner: User, **changes: Any) -> PlanVersion:
    current = plan_rules.plan_of(child)
    return plans.save_plan(
        by,
        child.pk,
        plan_input(owner, **changes),
        current.current_version if current else None,
    )


def returned(by: Actor, child: Child, hours_ago: float = 30) -> Episode:
    """Report the child missing and record their return six hours later (real services)."""
    episode = factories.report(by, child, hours_ago=hours_ago)
    return episodes.record_return(
        by,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=episode.last_seen_at + timedelta(hours=6), return_method="returned_self"
        ),
    )


def interview_provider(w: PlanWorld, episode: Episode) -> Actor:
    """An interview provider assigned the episode's interview: it sees the child."""
    provider = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Interviews", code="RHI-P"
    )
    coordinator = Actor.for_user(w.coordinator)
    aftercare.assign_provider(coordinator, episode.return_interviews.get().pk, provider.pk)
    return factories.actor(Role.RHI_WORKER, provider)


def interviewed(
    w: PlanWorld, episode: Episode, *, risks: list[str], actions: str = ""
) -> ReturnInterview:
    """The episode's return interview offered, accepted and done, by the coordinator."""
    coordinator = Actor.for_user(w.coordinator)
    interview = episode.return_interviews.get()
    back = episode.returned_at or clock.now()
    interview = aftercare.record_offer(
        coordinator,
        interview.pk,
        interview.version,
        offered_at=back + timedelta(hours=1),
        offered_by="Missing coordinator",
        offer_method="phone",
    )
    interview = aftercare.record_outcome(
        coordinator, interview.pk, interview.version, outcome="accepted"
    )
    return aftercare.record_interview(
        coordinator,
        interview.pk,
        interview.version,
        aftercare.InterviewRecord(
            done_at=back + timedelta(hours=2),
            interviewer_name="Independent worker",
            interviewer_kind="independent",
            child_account="I went to see friends",
            risks_found=risks,
            actions=actions,
        ),
    )
