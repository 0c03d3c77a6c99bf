"""What is still outstanding after a return, and the audited reads of interviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from homeward.aftercare.models import InterviewStatus, ReturnInterview, SafeAndWellCheck
from homeward.aftercare.services.checks import settings_for
from homeward.aftercare.services.interviews import _find_interview
from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied
from homeward.episodes.models import Episode
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action


@dataclass
class Outstanding:
    check: str  # "done", "not_done" or "outstanding"
    interview: str  # an InterviewStatus value, or "none"
    interview_id: int | None

    @property
    def blocks_closing(self) -> list[str]:
        reasons = []
        if self.check == "outstanding":
            reasons.append("the safe and well check is not recorded")
        if self.interview not in {
            InterviewStatus.DONE,
            InterviewStatus.DECLINED,
            InterviewStatus.NOT_OFFERED,
        }:
            reasons.append("the return interview is not recorded")
        return reasons


def outstanding(episode: Episode) -> Outstanding:
    check = SafeAndWellCheck.objects.filter(episode=episode).values_list("status", flat=True)
    interview = episode.return_interviews.order_by("due_at").first()
    return Outstanding(
        check=check[0] if check else "outstanding",
        interview=interview.status if interview else "none",
        interview_id=interview.pk if interview else None,
    )


def interviews_for(actor: Actor) -> QuerySet[ReturnInterview]:
    """Interviews the actor's organisation does or commissions, soonest due first."""
    org = actor.organisation
    if org is None or not policy.role_allows(actor, Action.RECORD_INTERVIEW):
        return ReturnInterview.objects.none()
    if org.kind == OrganisationKind.RHI_PROVIDER:
        return ReturnInterview.objects.filter(provider=org).select_related("child")
    return ReturnInterview.objects.filter(council=org).select_related("child", "provider")


# --- reading ------------------------------------------------------------------------------


def read_interview(actor: Actor, interview_id: object) -> ReturnInterview:
    """One interview, for its council's staff and its provider's workers: an audited read
    of the child. Anyone else gets NotFound, whether or not it exists."""
    interview = _find_interview(actor, interview_id, lock=False)
    if not policy.role_allows(actor, Action.SEE_IDENTITY):
        raise AccessDenied("Your role does not allow you to see return interviews.")
    audit.record(actor, "view", "return_interview", interview.pk, child_id=interview.child_id)
    return interview


def list_interviews(
    actor: Actor, *, status: str | None = None, overdue: bool | None = None
) -> QuerySet[ReturnInterview]:
    """The interviews of the actor's organisation (the provider's own, or the council's),
    due soonest first. ``overdue``: not finished and past the 72 hours (True), or not
    (False). Audit the children shown with audit_listed."""
    policy.require_role(actor, Action.RECORD_INTERVIEW)
    found = interviews_for(actor).select_related("child", "council", "provider")
    if status:
        found = found.filter(status=status)
    if overdue is not None:
        late = Q(closed_at__isnull=True, due_at__lt=clock.now())
        found = found.filter(late) if overdue else found.exclude(late)
    return found.order_by("due_at", "pk")


def audit_listed(actor: Actor, interviews: list[ReturnInterview]) -> None:
    """A list that names children is a read of each of them."""
    audit.record_many_reads(
        actor, "child", sorted({i.child_id for i in interviews}), action="list_result"
    )


def provider_choices(interview: ReturnInterview) -> list[Organisation]:
    """Who the council may assign: the council itself, then every interview provider."""
    providers = Organisation.objects.filter(kind=OrganisationKind.RHI_PROVIDER).order_by("name")
    return [interview.council, *providers]


def is_overdue(interview: ReturnInterview, now: datetime | None = None) -> bool:
    return interview.closed_at is None and interview.due_at < (now or clock.now())


def check_due_at(episode: Episode) -> datetime | None:
    """When the safe and well check counts as overdue (the child's council's setting)."""
    if episode.returned_at is None:
        return None
    hours = settings_for(episode.child.responsible_council).check_due_hours
    return episode.returned_at + timedelta(hours=hours)


@dataclass
class EpisodeAftercare:
    """What happened after an episode's return, for the episode page and read model."""

    check: SafeAndWellCheck | None
    check_due_at: datetime | None
    interview: ReturnInterview | None

    @property
    def check_overdue(self) -> bool:
        return (
            self.check is None and self.check_due_at is not None and self.check_due_at < clock.now()
        )

    @property
    def interview_overdue(self) -> bool:
        return self.interview is not None and is_overdue(self.interview)


def episode_aftercare(episode: Episode) -> EpisodeAftercare:
    """The episode's check and the interview covering it (no permission check: the caller
    has already read the episode)."""
    check = (
        SafeAndWellCheck.objects.filter(episode=episode)
        .select_related("organisation", "recorded_by")
        .first()
    )
    interview = (
        episode.return_interviews.select_related("council", "provider").order_by("due_at").first()
    )
    return EpisodeAftercare(check=check, check_due_at=check_due_at(episode), interview=interview)
