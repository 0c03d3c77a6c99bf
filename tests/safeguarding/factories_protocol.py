"""A children's home with its staff, its protocol and a child who lives there; the child's
risk plan and profile, written straight to the models (test set-up only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, Role
from homeward.safeguarding.models.plans import PlanVersion, RiskPlan
from homeward.safeguarding.models.profiles import MissingProfile
from homeward.safeguarding.models.protocols import ProtocolRun, StepKind
from homeward.safeguarding.services import protocols
from homeward.safeguarding.services.protocols import StepInput
from tests import factories
from tests.actors import user_of

STEPS = [
    StepInput(StepKind.SEARCH, "Search the home and the garden"),
    StepInput(StepKind.RING_CHILD, "Ring the child's phone", 15),
    StepInput(StepKind.TELL_POLICE, "Ring 101", 45),
]


@dataclass
class Home:
    council: Organisation
    home: Organisation
    child: Child
    staff: Actor
    manager: Actor


def a_home(*, protocol: bool = True, sign_off_hours: int = 24) -> Home:
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    home = factories.CareProviderFactory(area_council=council)
    child = factories.ChildFactory(responsible_council=council)
    factories.looked_after(child)
    factories.place(child, provider=home, host=council)
    staff = factories.actor(Role.CARE_STAFF, home)
    manager = factories.actor(Role.CARE_MANAGER, home)
    if protocol:
        protocols.save_home_protocol(manager, list(STEPS), sign_off_hours=sign_off_hours)
    return Home(council, home, child, staff, manager)


def a_plan(child: Child, *, minutes: int | None, if_missing: list[str] | None = None) -> RiskPlan:
    now = clock.now()
    owner = user_of(factories.actor(Role.SOCIAL_WORKER, child.responsible_council))
    plan = RiskPlan.objects.create(
        child=child,
        owner_organisation=child.responsible_council,
        owner=owner,
        review_date=now.date() + timedelta(days=90),
        current_version=2,
        created_at=now,
        updated_at=now,
    )
    for number, after in ((1, 999), (2, minutes)):
        PlanVersion.objects.create(
            plan=plan,
            number=number,
            risks="Exploitation by older men near the station",
            if_missing=if_missing or ["Ring her aunt first", "Check the station"],
            report_after_minutes=after,
            review_date=plan.review_date,
            owner=owner,
            changed_at=now,
        )
    return plan


def a_profile(child: Child) -> MissingProfile:
    now = clock.now()
    return MissingProfile.objects.create(
        child=child,
        owner=child.responsible_council,
        review_date=now.date() + timedelta(days=90),
        associates=[
            {"name": "Aunt Rosalind", "relationship": "Aunt", "phone": "07700 900123", "notes": ""}
        ],
        created_at=now,
        updated_at=now,
    )


def reported(world: Home, *, hours_ago: float = 2) -> Episode:
    return factories.report(
        world.staff, world.child, hours_ago=hours_ago, reporter_type="home_staff"
    )


def run_of(episode: Episode) -> ProtocolRun:
    return ProtocolRun.objects.get(episode=episode)
