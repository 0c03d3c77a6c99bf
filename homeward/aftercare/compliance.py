"""Check and interview compliance for a council or a police force.

Counting rule: the population is the returns (episodes with a return time) in the period
[since, until). A council counts the returns of children it is responsible for; a force
counts the returns from episodes in its area. Each return is measured against its own
check and the interview that covers it (one interview may cover several returns; each of
them then shares its outcome). An interview is done within 72 hours when it was done no
later than 72 elapsed hours after the first return it covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet

from homeward.aftercare.models import (
    CheckStatus,
    CouncilSettings,
    InterviewStatus,
    ReturnInterview,
    SafeAndWellCheck,
)
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.clock import UK
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action, role_allows

DEFAULT_CHECK_DUE_HOURS = 24


@dataclass(frozen=True)
class Compliance:
    returns: int
    check_done: int
    check_not_done: int
    interview_offered: int
    interview_accepted: int
    interview_done: int
    interview_done_within_72h: int
    interview_declined: int
    interview_not_offered: int

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return None if whole == 0 else round(100 * part / whole, 1)

    @property
    def check_rate(self) -> float | None:
        return self.share(self.check_done, self.returns)

    @property
    def offered_rate(self) -> float | None:
        return self.share(self.interview_offered, self.returns)

    @property
    def accepted_rate(self) -> float | None:
        return self.share(self.interview_accepted, self.returns)

    @property
    def within_72h_rate(self) -> float | None:
        return self.share(self.interview_done_within_72h, self.returns)


def _scope(org: Organisation) -> Q:
    if org.kind == OrganisationKind.COUNCIL:
        return Q(child__responsible_council=org)
    if org.kind == OrganisationKind.POLICE:
        return Q(police_force=org)
    raise ValueError("Compliance is measured for a council or a police force")


def returns_in(org: Organisation, since: datetime, until: datetime) -> QuerySet[Episode]:
    return Episode.objects.filter(
        _scope(org), returned_at__isnull=False, returned_at__gte=since, returned_at__lt=until
    )


def compliance(org: Organisation, since: datetime, until: datetime) -> Compliance:
    rows = returns_in(org, since, until).values_list("pk", "safe_and_well_check__status")
    checks = dict(rows)
    interviews: dict[int, ReturnInterview] = {}
    for interview in ReturnInterview.objects.filter(episodes__in=list(checks)).prefetch_related(
        "episodes"
    ):
        for episode in interview.episodes.all():
            if episode.pk in checks:
                interviews.setdefault(episode.pk, interview)
    offered = accepted = done = within = declined = not_offered = 0
    for interview in interviews.values():
        if interview.offered_at is not None:
            offered += 1
        if interview.status in (InterviewStatus.ACCEPTED, InterviewStatus.DONE):
            accepted += 1
        if interview.status == InterviewStatus.DONE:
            done += 1
            if interview.within_72_hours:
                within += 1
        elif interview.status == InterviewStatus.DECLINED:
            declined += 1
        elif interview.status == InterviewStatus.NOT_OFFERED:
            not_offered += 1
    return Compliance(
        returns=len(checks),
        check_done=sum(1 for s in checks.values() if s == CheckStatus.DONE),
        check_not_done=sum(1 for s in checks.values() if s == CheckStatus.NOT_DONE),
        interview_offered=offered,
        interview_accepted=accepted,
        interview_done=done,
        interview_done_within_72h=within,
        interview_declined=declined,
        interview_not_offered=not_offered,
    )


def overdue_checks(org: Organisation, now: datetime | None = None) -> QuerySet[Episode]:
    """Returned episodes with no safe and well check recorded after the deadline set by the
    child's council (24 hours unless that council set another)."""
    now = now or clock.now()
    by_hours: dict[int, list[int]] = {}
    for council_id, hours in CouncilSettings.objects.exclude(
        check_due_hours=DEFAULT_CHECK_DUE_HOURS
    ).values_list("council_id", "check_due_hours"):
        by_hours.setdefault(hours, []).append(council_id)
    overridden = [c for councils in by_hours.values() for c in councils]
    late = Q(returned_at__lt=now - timedelta(hours=DEFAULT_CHECK_DUE_HOURS)) & ~Q(
        child__responsible_council_id__in=overridden
    )
    for hours, councils in by_hours.items():
        late |= Q(
            returned_at__lt=now - timedelta(hours=hours),
            child__responsible_council_id__in=councils,
        )
    return (
        Episode.objects.filter(
            _scope(org),
            late,
            returned_at__isnull=False,
            safe_and_well_check__isnull=True,
        )
        .select_related("child")
        .order_by("returned_at", "pk")
    )


def checks_received(council: Organisation, since: datetime) -> QuerySet[SafeAndWellCheck]:
    """Safe and well checks recorded since ``since`` for the children the council is
    responsible for or hosts in a placement, newest first: what the police shared."""
    return (
        SafeAndWellCheck.objects.filter(
            Q(episode__child__responsible_council=council)
            | Q(episode__child__current_placement__host_council=council),
            recorded_at__gte=since,
        )
        .select_related("episode__child", "organisation")
        .order_by("-recorded_at", "-pk")
    )


def overdue_interviews(org: Organisation, now: datetime | None = None) -> QuerySet[ReturnInterview]:
    """Interviews not finished whose 72 hours have run out."""
    now = now or clock.now()
    if org.kind == OrganisationKind.COUNCIL:
        scope = Q(council=org)
    elif org.kind == OrganisationKind.POLICE:
        scope = Q(episodes__police_force=org)
    else:
        scope = Q(provider=org)
    return (
        ReturnInterview.objects.filter(scope, closed_at__isnull=True, due_at__lt=now)
        .select_related("child", "provider")
        .distinct()
        .order_by("due_at")
    )


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the last day of a shorter month)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def may_see_work_list(actor: Actor) -> bool:
    org = actor.organisation
    return (
        org is not None
        and org.kind in (OrganisationKind.COUNCIL, OrganisationKind.POLICE)
        and role_allows(actor, Action.SEE_AGGREGATES)
        and role_allows(actor, Action.SEE_IDENTITY)
    )


def three_months_before(now: datetime) -> datetime:
    """Midnight (UK time) on the same day three calendar months before: the period of the
    figures on a work list."""
    start = months_before(now.astimezone(UK).date(), 3)
    return datetime(start.year, start.month, start.day, tzinfo=UK)
