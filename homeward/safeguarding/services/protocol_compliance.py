"""How well homes follow their missing protocols: figures, never children.

Who sees which runs: a home's managers their home's; a council's coordinators and managers
the runs of children it is responsible for (as the placing council), and the runs at homes
in its area or placements it hosts (as the host council). Each figure counts runs:

- followed: every step done (a step not done, with its reason, is not followed);
- minutes to tell the police: from noticing the child was not there to telling the
  police, over the runs where the police were told (median and longest);
- told in time: told within the run's due minutes (the child's plan's, else the home's),
  as a share of all the runs;
- sign-offs: on time (by the due time), late (after it), awaiting (not yet signed off)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from homeward.audit import services as audit
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied
from homeward.organisations.models import OrganisationKind
from homeward.safeguarding import access
from homeward.safeguarding.models.protocols import ProtocolRun


@dataclass
class Figures:
    runs: int = 0
    followed: int = 0
    police_minutes: list[int] = field(default_factory=list)
    told_in_time: int = 0
    on_time: int = 0
    late: int = 0
    awaiting: int = 0

    @property
    def followed_share(self) -> float | None:
        return round(self.followed / self.runs, 3) if self.runs else None

    @property
    def told_in_time_share(self) -> float | None:
        return round(self.told_in_time / self.runs, 3) if self.runs else None

    @property
    def median_police_minutes(self) -> float | None:
        return float(statistics.median(self.police_minutes)) if self.police_minutes else None

    @property
    def longest_police_minutes(self) -> int | None:
        return max(self.police_minutes) if self.police_minutes else None

    def add(self, run: ProtocolRun) -> None:
        steps = list(run.steps.all())
        self.runs += 1
        if steps and all(s.done_at is not None for s in steps):
            self.followed += 1
        if run.police_told_at is not None:
            minutes = int((run.police_told_at - run.noticed_at).total_seconds() // 60)
            self.police_minutes.append(minutes)
            if run.police_due_minutes is not None and minutes <= run.police_due_minutes:
                self.told_in_time += 1
        if run.signed_off_at is None:
            self.awaiting += 1
        elif run.signed_off_at <= run.sign_off_due_at:
            self.on_time += 1
        else:
            self.late += 1


@dataclass
class HomeFigures:
    home_id: int
    home: str
    figures: Figures


@dataclass
class Compliance:
    total: Figures
    homes: list[HomeFigures]


def runs_for(actor: Actor) -> QuerySet[ProtocolRun]:
    """The runs whose figures the actor may see."""
    if not access.may_see_protocol_compliance(actor):
        raise AccessDenied("Your role does not allow you to see protocol figures.")
    org = actor.organisation
    assert org is not None
    runs = ProtocolRun.objects.all()
    if org.kind == OrganisationKind.CARE_PROVIDER:
        return runs.filter(home=org)
    return runs.filter(
        Q(episode__child__responsible_council=org)
        | Q(home__area_council=org)
        | Q(episode__placement__host_council=org)
    ).distinct()


def compliance(actor: Actor) -> Compliance:
    """The figures over every run the actor may see, and per home (by name)."""
    runs = runs_for(actor).select_related("home").prefetch_related("steps").order_by("pk")
    total = Figures()
    homes: dict[int, HomeFigures] = {}
    for run in runs:
        total.add(run)
        entry = homes.setdefault(run.home_id, HomeFigures(run.home_id, run.home.name, Figures()))
        entry.figures.add(run)
    org = actor.organisation
    assert org is not None
    audit.record(actor, "view", "protocol_compliance", org.pk, details={"runs": total.runs})
    return Compliance(total=total, homes=sorted(homes.values(), key=lambda h: h.home))
