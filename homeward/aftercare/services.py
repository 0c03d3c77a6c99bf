"""The write side for safe and well checks and return home interviews.

On every return Homeward opens (or extends) the child's return interview, due 72 hours
after the return. An episode can only be closed once its check and its interview are
recorded: done, or not done with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet

from homeward.aftercare.codes import (
    Disclosure,
    InterviewerKind,
    InterviewOutcome,
    OfferMethod,
    PullFactor,
    PushFactor,
    RiskFound,
)
from homeward.aftercare.events import CheckRecorded, InterviewOpened, InterviewUpdated
from homeward.aftercare.models import (
    CheckStatus,
    CouncilSettings,
    InterviewStatus,
    ReturnInterview,
    SafeAndWellCheck,
)
from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.core.validation import text_errors
from homeward.episodes import visibility
from homeward.episodes.models import Episode, EpisodeStatus
from homeward.events.change import record_change
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action

INTERVIEW_DUE = timedelta(hours=72)
# What the fields are called in messages (the web forms call them the same).
CHECK_NAMES = {
    "officer_name": "The officer's name",
    "location": "Where the check was done",
    "child_account": "What the child said",
    "concerns": "Other concerns",
    "shared_with": "Who it has been shared with",
    "not_done_reason": "Why the check was not done",
}
INTERVIEW_NAMES = {
    "offered_by": "Who offered the interview",
    "interviewer_name": "The interviewer's name",
    "done_location": "Where the interview was done",
    "child_account": "The child's account",
    "factors_detail": "More about why the child went missing",
    "what_would_help": "What would help",
    "shared_with": "Who it has been shared with",
}


def settings_for(council: Organisation) -> CouncilSettings:
    found = CouncilSettings.objects.filter(council=council).select_related("interview_provider")
    return found.first() or CouncilSettings(council=council)


def interview_due(returned_at: datetime) -> datetime:
    """72 elapsed hours after the return (so a clock change does not move it)."""
    return returned_at + INTERVIEW_DUE


# --- opened by the return ----------------------------------------------------------------


def open_interview_for_return(actor: Actor, episode: Episode) -> ReturnInterview:
    """Called inside record_return's transaction. A child with an interview not yet done
    gets this episode added to it (one interview may cover several episodes)."""
    assert episode.returned_at is not None
    child = episode.child
    pending = (
        ReturnInterview.objects.select_for_update()
        .filter(child=child, closed_at__isnull=True)
        .order_by("due_at")
        .first()
    )
    if pending is not None:
        pending.episodes.add(episode)
        audit.record(
            actor,
            "extend_interview",
            "return_interview",
            pending.pk,
            child_id=child.pk,
            details={"episode": episode.reference},
        )
        return pending
    council = child.responsible_council
    provider = settings_for(council).interview_provider or council
    interview = ReturnInterview.objects.create(
        child=child,
        council=council,
        provider=provider,
        due_at=interview_due(episode.returned_at),
        created_at=clock.now(),
    )
    interview.episodes.add(episode)
    record_change(
        actor,
        InterviewOpened(
            aggregate_id=interview.pk,
            child_id=child.pk,
            due_at=interview.due_at.isoformat(),
            provider=provider.pk,
        ),
        action="open_interview",
        details={"episode": episode.reference},
    )
    return interview


# --- safe and well check -----------------------------------------------------------------


@dataclass
class CheckDetails:
    done: bool
    conducted_at: datetime | None = None
    officer_name: str = ""
    location: str = ""
    child_account: str = ""
    injuries_or_harm: str = ""
    disclosures: list[str] = field(default_factory=list)
    disclosure_details: str = ""
    concerns: str = ""
    shared_with: str = ""
    not_done_reason: str = ""


@transaction.atomic
def record_check(actor: Actor, reference: str, details: CheckDetails) -> SafeAndWellCheck:
    episode = visibility.get_episode(actor, reference, Action.RECORD_CHECK)
    episode = Episode.objects.select_for_update().select_related("child").get(pk=episode.pk)
    errors: dict[str, list[str]] = {}
    if episode.status == EpisodeStatus.MISSING or episode.returned_at is None:
        errors["status"] = ["Record the child's return before the safe and well check"]
    elif SafeAndWellCheck.objects.filter(episode=episode).exists():
        errors["status"] = ["The safe and well check for this episode is already recorded"]
    if details.done:
        if details.conducted_at is None:
            errors["conducted_at"] = ["Enter when the check was done"]
        elif clock.is_future(details.conducted_at):
            errors["conducted_at"] = ["When the check was done cannot be in the future"]
        elif episode.returned_at and details.conducted_at < episode.returned_at:
            errors["conducted_at"] = ["The check cannot be before the child returned"]
        if not details.child_account.strip():
            errors["child_account"] = [
                "Enter what the child said, in their own words (or that they chose not to speak)"
            ]
        unknown = set(details.disclosures) - set(Disclosure.values)
        if unknown:
            errors["disclosures"] = ["Select disclosures from the list"]
    elif not details.not_done_reason.strip():
        errors["not_done_reason"] = ["Enter why the safe and well check was not done"]
    errors = {**text_errors(SafeAndWellCheck, vars(details), CHECK_NAMES), **errors}
    if errors:
        raise ValidationFailed(errors)
    assert actor.organisation is not None
    check = SafeAndWellCheck.objects.create(
        episode=episode,
        status=CheckStatus.DONE if details.done else CheckStatus.NOT_DONE,
        conducted_at=details.conducted_at if details.done else None,
        officer_name=(details.officer_name.strip() or actor.label) if details.done else "",
        location=details.location.strip(),
        child_account=details.child_account.strip(),
        injuries_or_harm=details.injuries_or_harm.strip(),
        disclosures=sorted(set(details.disclosures)),
        disclosure_details=details.disclosure_details.strip(),
        concerns=details.concerns.strip(),
        shared_with=details.shared_with.strip(),
        not_done_reason="" if details.done else details.not_done_reason.strip(),
        organisation=actor.organisation,
        recorded_by=actor.user,
        recorded_at=clock.now(),
    )
    # Shared at once: the responsible and host councils see it on the child's page and
    # in their coordinator's work list; the event tells them.
    record_change(
        actor,
        CheckRecorded(
            aggregate_id=episode.reference,
            child_id=episode.child_id,
            status=check.status,
            disclosures=check.disclosures,
        ),
        action="record_check",
        details={"check": check.pk, "status": check.status},
    )
    return check


# --- return interview ------------------------------------------------------------------


def _find_interview(actor: Actor, interview_id: object, *, lock: bool) -> ReturnInterview:
    """The interview, if the actor's organisation does it or is its council; otherwise
    NotFound, whatever the reason, so that nobody learns it exists."""
    try:
        pk = int(str(interview_id))
    except ValueError:
        raise NotFound("No return interview was found.") from None
    if not 1 <= pk < 2**63:
        raise NotFound("No return interview was found.")
    org = actor.organisation
    found = ReturnInterview.objects.select_related("child", "council", "provider")
    if lock:
        found = found.select_for_update(of=("self",))
    interview = found.filter(pk=pk).first()
    if (
        interview is None
        or org is None
        or org.pk not in (interview.provider_id, interview.council_id)
    ):
        raise NotFound("No return interview was found.")
    return interview


def _interview_for(
    actor: Actor,
    interview_id: object,
    expected_version: int | None,
) -> ReturnInterview:
    """The interview, locked for a change, if the actor's organisation does it or is its
    council and their role records interviews."""
    interview = _find_interview(actor, interview_id, lock=True)
    if not policy.role_allows(actor, Action.RECORD_INTERVIEW):
        raise AccessDenied("Your role does not allow you to record return interviews.")
    if expected_version is not None and interview.version != expected_version:
        raise StaleEdit(
            "This return interview was changed after you opened it. Your changes have not "
            "been saved. Check the current details and try again.",
            changed_fields=[],
            current_version=interview.version,
        )
    return interview


def _save(
    actor: Actor, interview: ReturnInterview, fields: list[str], action: str
) -> ReturnInterview:
    interview.version += 1
    interview.save(update_fields=[*fields, "version", "updated_at"])
    record_change(
        actor,
        InterviewUpdated(
            aggregate_id=interview.pk, child_id=interview.child_id, status=interview.status
        ),
        action=action,
        details={"version": interview.version, "fields": fields},
    )
    return interview


def _check_when(
    errors: dict[str, list[str]],
    name: str,
    value: datetime | None,
    label: str,
    interview: ReturnInterview,
) -> None:
    if value is None:
        errors[name] = [f"Enter {label}"]
    elif clock.is_future(value):
        errors[name] = [f"{label[0].upper()}{label[1:]} cannot be in the future"]
    else:
        first_return = min(
            (e.returned_at for e in interview.episodes.all() if e.returned_at), default=None
        )
        if first_return and value < first_return:
            errors[name] = [f"{label[0].upper()}{label[1:]} cannot be before the child returned"]


@transaction.atomic
def assign_provider(
    actor: Actor, interview_id: object, provider_id: int, expected_version: int | None = None
) -> ReturnInterview:
    policy.require_role(actor, Action.MANAGE_INTERVIEWS)
    interview = _interview_for(actor, interview_id, expected_version)
    if actor.organisation is None or actor.organisation.pk != interview.council_id:
        raise AccessDenied("Only the child's council assigns its return interviews.")
    provider = Organisation.objects.filter(
        pk=provider_id, kind__in=[OrganisationKind.RHI_PROVIDER, OrganisationKind.COUNCIL]
    ).first()
    if provider is None or (
        provider.kind == OrganisationKind.COUNCIL and provider.pk != interview.council_id
    ):
        raise ValidationFailed(
            {"provider": "Choose a return interview provider, or the council itself"}
        )
    if interview.closed_at is not None:
        raise ValidationFailed({"provider": "This interview is finished"})
    interview.provider = provider
    return _save(actor, interview, ["provider"], "assign_interview")


@transaction.atomic
def record_offer(
    actor: Actor,
    interview_id: object,
    expected_version: int | None,
    *,
    offered_at: datetime | None,
    offered_by: str,
    offer_method: str,
) -> ReturnInterview:
    interview = _interview_for(actor, interview_id, expected_version)
    errors: dict[str, list[str]] = {}
    if interview.closed_at is not None:
        errors["status"] = ["This interview is finished"]
    _check_when(errors, "offered_at", offered_at, "when it was offered", interview)
    if not offered_by.strip():
        errors["offered_by"] = ["Enter who offered the interview"]
    if offer_method not in OfferMethod.values:
        errors["offer_method"] = ["Select how the interview was offered"]
    errors = {**text_errors(ReturnInterview, {"offered_by": offered_by}, INTERVIEW_NAMES), **errors}
    if errors:
        raise ValidationFailed(errors)
    interview.offered_at = offered_at
    interview.offered_by = offered_by.strip()
    interview.offer_method = offer_method
    if interview.status == InterviewStatus.PENDING:
        interview.status = InterviewStatus.OFFERED
    return _save(
        actor, interview, ["offered_at", "offered_by", "offer_method", "status"], "record_offer"
    )


@transaction.atomic
def record_outcome(
    actor: Actor,
    interview_id: object,
    expected_version: int | None,
    *,
    outcome: str,
    reason: str = "",
) -> ReturnInterview:
    """Accepted, declined (with the child's reason if given) or not offered (why)."""
    interview = _interview_for(actor, interview_id, expected_version)
    errors: dict[str, list[str]] = {}
    if interview.closed_at is not None:
        errors["status"] = ["This interview is finished"]
    if outcome not in InterviewOutcome.values:
        errors["outcome"] = ["Select accepted, declined or not offered"]
    elif outcome in (InterviewOutcome.ACCEPTED, InterviewOutcome.DECLINED) and (
        interview.offered_at is None
    ):
        errors["outcome"] = ["Record when and how the interview was offered first"]
    elif outcome == InterviewOutcome.NOT_OFFERED and not reason.strip():
        errors["reason"] = ["Enter why the interview was not offered"]
    elif outcome == InterviewOutcome.NOT_OFFERED and interview.offered_at is not None:
        errors["outcome"] = ["The interview was offered: record accepted or declined"]
    if "\x00" in reason:
        errors["reason"] = ["Remove the invisible control characters from this answer"]
    if errors:
        raise ValidationFailed(errors)
    interview.outcome = outcome
    interview.outcome_reason = reason.strip()
    fields = ["outcome", "outcome_reason", "status"]
    if outcome == InterviewOutcome.ACCEPTED:
        interview.status = InterviewStatus.ACCEPTED
    else:
        interview.status = (
            InterviewStatus.DECLINED
            if outcome == InterviewOutcome.DECLINED
            else InterviewStatus.NOT_OFFERED
        )
        interview.closed_at = clock.now()
        fields.append("closed_at")
    return _save(actor, interview, fields, "record_outcome")


@dataclass
class InterviewRecord:
    done_at: datetime | None
    interviewer_name: str
    interviewer_kind: str
    child_account: str
    done_location: str = ""
    push_factors: list[str] = field(default_factory=list)
    pull_factors: list[str] = field(default_factory=list)
    factors_detail: str = ""
    risks_found: list[str] = field(default_factory=list)
    what_would_help: str = ""
    actions: str = ""
    shared_with: str = ""
    quote_consent: bool = False


@transaction.atomic
def record_interview(
    actor: Actor, interview_id: object, expected_version: int | None, record: InterviewRecord
) -> ReturnInterview:
    interview = _interview_for(actor, interview_id, expected_version)
    errors: dict[str, list[str]] = {}
    if interview.closed_at is not None:
        errors["status"] = ["This interview is finished"]
    elif interview.outcome != InterviewOutcome.ACCEPTED:
        errors["status"] = ["Record that the child accepted the interview first"]
    _check_when(errors, "done_at", record.done_at, "when the interview was done", interview)
    if (
        "done_at" not in errors
        and record.done_at
        and interview.offered_at
        and record.done_at < interview.offered_at
    ):
        errors["done_at"] = ["The interview cannot be before it was offered"]
    if not record.interviewer_name.strip():
        errors["interviewer_name"] = ["Enter who did the interview"]
    if record.interviewer_kind not in InterviewerKind.values:
        errors["interviewer_kind"] = [
            "Select whether the interviewer was independent or a trusted person the child chose"
        ]
    if not record.child_account.strip():
        errors["child_account"] = ["Enter the child's account in their own words"]
    for name, allowed in (
        ("push_factors", PushFactor.values),
        ("pull_factors", PullFactor.values),
        ("risks_found", RiskFound.values),
    ):
        if set(getattr(record, name)) - set(allowed):
            errors[name] = ["Select from the list"]
    errors = {**text_errors(ReturnInterview, vars(record), INTERVIEW_NAMES), **errors}
    if errors:
        raise ValidationFailed(errors)
    interview.status = InterviewStatus.DONE
    interview.closed_at = clock.now()
    fields = ["status", "closed_at"]
    for name in (
        "done_at",
        "interviewer_name",
        "interviewer_kind",
        "child_account",
        "done_location",
        "push_factors",
        "pull_factors",
        "factors_detail",
        "risks_found",
        "what_would_help",
        "actions",
        "shared_with",
        "quote_consent",
    ):
        value = getattr(record, name)
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, list):
            value = sorted(set(value))
        setattr(interview, name, value)
        fields.append(name)
    return _save(actor, interview, fields, "record_interview")


# --- what is still outstanding ------------------------------------------------------------


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
