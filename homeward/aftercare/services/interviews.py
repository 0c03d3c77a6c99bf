"""Recording a return interview: who does it, the offer, its outcome, what the child said."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from homeward.aftercare.codes import (
    InterviewerKind,
    InterviewOutcome,
    OfferMethod,
    PullFactor,
    PushFactor,
    RiskFound,
)
from homeward.aftercare.events import InterviewUpdated
from homeward.aftercare.models import InterviewStatus, ReturnInterview
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.core.validation import text_errors
from homeward.events.change import record_change
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action

# What the fields are called in messages (the web forms call them the same).
INTERVIEW_NAMES = {
    "offered_by": "Who offered the interview",
    "interviewer_name": "The interviewer's name",
    "done_location": "Where the interview was done",
    "child_account": "The child's account",
    "factors_detail": "More about why the child went missing",
    "what_would_help": "What would help",
    "shared_with": "Who it has been shared with",
}


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


_RECORD_FIELDS = (
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
)


def _record_errors(interview: ReturnInterview, record: InterviewRecord) -> dict[str, list[str]]:
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
    return {**text_errors(ReturnInterview, vars(record), INTERVIEW_NAMES), **errors}


@transaction.atomic
def record_interview(
    actor: Actor, interview_id: object, expected_version: int | None, record: InterviewRecord
) -> ReturnInterview:
    interview = _interview_for(actor, interview_id, expected_version)
    errors = _record_errors(interview, record)
    if errors:
        raise ValidationFailed(errors)
    interview.status = InterviewStatus.DONE
    interview.closed_at = clock.now()
    fields = ["status", "closed_at"]
    for name in _RECORD_FIELDS:
        value = getattr(record, name)
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, list):
            value = sorted(set(value))
        setattr(interview, name, value)
        fields.append(name)
    return _save(actor, interview, fields, "record_interview")
