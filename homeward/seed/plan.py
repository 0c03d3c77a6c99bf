"""What the demo area contains, planned in memory before a row is written: children with
their legal statuses, placements and workers over time, their episodes (in whole minutes
of the demo's clock), checks and interviews."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from homeward.aftercare.models import InterviewStatus, ReturnInterview
from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child, Placement
from homeward.core import clock
from homeward.episodes.models import Episode
from homeward.organisations.models import Membership, Organisation, User
from homeward.seed.area import COUNCILS, HOMES, CouncilSpec, DemoLogin, HomeSpec
from homeward.seed.distributions import CheckCourse
from homeward.seed.timebase import Clock

LAC = LegalStatusKind.LOOKED_AFTER
CIN = LegalStatusKind.CHILD_IN_NEED
CP = LegalStatusKind.CHILD_PROTECTION
GAP = 6 * 60  # at least six hours between two episodes of one child


@dataclass
class StatusPlan:
    status: str
    start: date
    end: date | None = None


@dataclass
class PlacementPlan:
    placement_type: str
    home: HomeSpec | None
    host: CouncilSpec
    district: str
    start: date
    end: date | None = None
    row: Placement | None = None


@dataclass
class AllocationPlan:
    worker: str
    start: date
    end: date | None = None


@dataclass
class ChildPlan:
    index: int
    council: CouncilSpec
    first_name: str
    last_name: str
    sex: str
    dob: date
    ethnicity: str
    profile: str
    upn: str = ""
    nhs_number: str = ""
    aliases: list[str] = field(default_factory=list)
    statuses: list[StatusPlan] = field(default_factory=list)
    placements: list[PlacementPlan] = field(default_factory=list)
    allocations: list[AllocationPlan] = field(default_factory=list)
    window_start: int = 0  # first minute an episode may start
    weight: float = 0.0
    wanted: int = 0  # episodes this child will have
    busy: list[tuple[int, int]] = field(default_factory=list)  # minutes, with margins
    row: Child | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        dob = self.dob
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def status_on(self, day: date) -> str:
        """As Child.legal_status_on: the newest status covering the day."""
        for status in sorted(self.statuses, key=lambda s: s.start, reverse=True):
            if status.start <= day and (status.end is None or status.end >= day):
                return status.status
        return LegalStatusKind.NONE

    def placement_on(self, day: date) -> PlacementPlan | None:
        for placement in sorted(self.placements, key=lambda p: p.start, reverse=True):
            if placement.start <= day and (placement.end is None or placement.end >= day):
                return placement
        return None

    def worker_on(self, day: date) -> str | None:
        for allocation in sorted(self.allocations, key=lambda a: a.start, reverse=True):
            if allocation.start <= day and (allocation.end is None or allocation.end >= day):
                return allocation.worker
        return None

    @property
    def current_placement(self) -> PlacementPlan | None:
        if self.placements and self.placements[-1].end is None:
            return self.placements[-1]
        return None

    def is_free(self, start: int, end: int) -> bool:
        return all(end <= b_start or start >= b_end for b_start, b_end in self.busy)

    def reserve(self, start: int, end: int) -> None:
        self.busy.append((start - GAP, end + GAP))


@dataclass
class EpisodePlan:
    child: ChildPlan
    start: int
    end: int | None  # None: still missing
    outing: int | None = None  # children who went missing together share an outing
    row: Episode | None = None
    check: CheckCourse | None = None
    interview: InterviewPlan | None = None


@dataclass
class InterviewPlan:
    child: ChildPlan
    first_return: int
    status: str = InterviewStatus.PENDING
    outcome: str = ""
    offered: int | None = None
    decided: int | None = None
    done: int | None = None
    closed: int | None = None
    episodes: list[EpisodePlan] = field(default_factory=list)
    row: ReturnInterview | None = None


@dataclass
class DemoResult:
    seed: int
    seconds: float
    counts: dict[str, int]
    logins: list[DemoLogin]
    other_social_workers: list[str]
    other_coordinators: list[str] = field(default_factory=list)


class Area:
    """The demo area as it is planned, then the rows it was written as."""

    def __init__(self, seed: int, now: datetime | None = None) -> None:
        self.seed = seed
        self.clock = Clock(now or clock.now())
        self.councils = {c.key: c for c in COUNCILS}
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self.memberships: dict[str, Membership] = {}
        self.children: list[ChildPlan] = []
        self.episodes: list[EpisodePlan] = []
        self.main_council = COUNCILS[0]
        self.care_home = HOMES[0]
        self.home_stays: dict[str, list[tuple[date, date]]] = {h.key: [] for h in HOMES}
        self.interviews: list[InterviewPlan] = []

    def rng(self, part: str) -> random.Random:
        """A separate stream per part, so changing one size does not reshuffle the rest."""
        return random.Random(f"homeward-demo:{self.seed}:{part}")
