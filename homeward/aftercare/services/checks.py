"""The interview a return opens, and the safe and well check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from homeward.aftercare.codes import Disclosure
from homeward.aftercare.events import CheckRecorded, InterviewOpened
from homeward.aftercare.models import (
    CheckStatus,
    CouncilSettings,
    ReturnInterview,
    SafeAndWellCheck,
)
from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.core.validation import text_errors
from homeward.episodes import visibility
from homeward.episodes.models import Episode, EpisodeStatus
from homeward.events.change import record_change
from homeward.organisations.models import Organisation
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
    episode = visibility.get_episode(actor, reference, Action.RECORD_CHECK, for_update=True)
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
