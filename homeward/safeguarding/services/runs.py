"""The home's protocol followed for one episode: started when the home reports the child
missing (or by its staff from the episode's page), each step recorded with its time and
who, regulation 40 notifications noted, and the run signed off by a manager.

A run belongs to the home the child lives in now: only that home's staff see it, and
anyone else is told it is not there, whether or not it exists. The run copies the home's
steps when it starts, and the time to tell the police: the child's plan's, else the
home's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.core.validation import has_control
from homeward.episodes.models import Episode
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import OrganisationKind
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding import access
from homeward.safeguarding.events import (
    ProtocolSignedOff,
    ProtocolStarted,
    Regulation40Recorded,
    StepRecorded,
)
from homeward.safeguarding.models.protocols import (
    HomeProtocol,
    ProtocolRun,
    Regulation40Notice,
    Regulation40Recipient,
    StepKind,
    StepRecord,
)
from homeward.safeguarding.services import plan_rules

NOT_FOUND = "No missing protocol was found for this episode."
EARLIEST_BEFORE_LAST_SEEN = timedelta(days=1)


def current_home_id(episode: Episode) -> int | None:
    placement = episode.child.current_placement
    return placement.provider_id if placement is not None else None


def is_staff_of_current_home(actor: Actor, episode: Episode) -> bool:
    org = actor.organisation
    return (
        org is not None
        and (access.may_follow_protocol(actor) or access.may_keep_protocol(actor))
        and current_home_id(episode) == org.pk
    )


def find_episode(actor: Actor, reference: str) -> Episode:
    """The episode, if the actor works at the home the child lives in now."""
    episode = (
        Episode.objects.select_related("child__current_placement")
        .filter(reference=str(reference).upper())
        .first()
    )
    if episode is None or not is_staff_of_current_home(actor, episode):
        raise NotFound(NOT_FOUND)
    return episode


def find_run(actor: Actor, reference: str, *, lock: bool = False) -> ProtocolRun:
    episode = find_episode(actor, reference)
    runs = ProtocolRun.objects.select_related("episode__child__current_placement", "home")
    if lock:
        runs = runs.select_for_update(of=("self",))
    run = runs.filter(episode=episode).first()
    if run is None or actor.organisation is None or run.home_id != actor.organisation.pk:
        raise NotFound(NOT_FOUND)
    return run


def may_start(actor: Actor, episode: Episode) -> bool:
    """Whether the actor could start the home's protocol for this episode now."""
    return (
        access.may_follow_protocol(actor)
        and is_staff_of_current_home(actor, episode)
        and HomeProtocol.objects.filter(home_id=current_home_id(episode)).exists()
        and not ProtocolRun.objects.filter(episode=episode).exists()
    )


def police_due_minutes(episode: Episode, protocol: HomeProtocol) -> int | None:
    """The child's current plan's time to tell the police, else the home's own."""
    version = plan_rules.current_version(episode.child)
    if version is not None and version.report_after_minutes:
        return version.report_after_minutes
    for step in protocol.steps.all():
        if step.kind == StepKind.TELL_POLICE and step.within_minutes:
            return step.within_minutes
    return None


def begin(actor: Actor, episode: Episode, protocol: HomeProtocol) -> ProtocolRun:
    """Start the run (the caller has checked who may): copy the steps, set the times."""
    now = clock.now()
    noticed_at = episode.last_seen_at
    run = ProtocolRun.objects.create(
        episode=episode,
        home_id=protocol.home_id,
        protocol_version=protocol.version,
        noticed_at=noticed_at,
        started_at=now,
        started_by=actor.user,
        police_due_minutes=police_due_minutes(episode, protocol),
        sign_off_due_at=noticed_at + timedelta(hours=protocol.sign_off_hours),
    )
    StepRecord.objects.bulk_create(
        StepRecord(
            run=run,
            position=step.position,
            kind=step.kind,
            text=step.text,
            within_minutes=step.within_minutes,
        )
        for step in protocol.steps.all()
    )
    record_change(
        actor,
        ProtocolStarted(
            aggregate_id=run.pk,
            child_id=episode.child_id,
            episode=episode.reference,
            home=protocol.home_id,
        ),
        action="start_protocol",
        details={"protocol_version": protocol.version},
    )
    return run


@transaction.atomic
@bus.in_unit_of_work
def start_run(actor: Actor, reference: str) -> ProtocolRun:
    """Start the home's protocol for an episode of a child who lives there now."""
    episode = find_episode(actor, reference)
    if not access.may_follow_protocol(actor):
        raise AccessDenied("Your role does not allow you to follow the home's protocol.")
    Episode.objects.select_for_update().filter(pk=episode.pk).first()
    if ProtocolRun.objects.filter(episode=episode).exists():
        raise ValidationFailed({"protocol": "The home's protocol has already been started"})
    protocol = HomeProtocol.objects.filter(home_id=current_home_id(episode)).first()
    if protocol is None:
        raise ValidationFailed(
            {"protocol": "Your home has not written its missing protocol: a manager writes it"}
        )
    return begin(actor, episode, protocol)


def _check_time(
    errors: dict[str, list[str]], field: str, value: datetime | None, what: str, run: ProtocolRun
) -> None:
    if value is None:
        errors[field] = [f"Enter {what}"]
    elif clock.is_future(value):
        errors[field] = [f"{what[0].upper()}{what[1:]} cannot be in the future"]
    elif value < run.episode.last_seen_at - EARLIEST_BEFORE_LAST_SEEN:
        errors[field] = [
            f"{what[0].upper()}{what[1:]} cannot be more than a day before the child was last seen"
        ]


def _check_text(errors: dict[str, list[str]], field: str, value: str) -> None:
    if has_control(value):
        errors[field] = ["Remove the invisible control characters from this answer"]


def _require_open(run: ProtocolRun, field: str) -> None:
    if run.signed_off_at is not None:
        raise ValidationFailed({field: "The protocol has been signed off: it can no longer change"})


def _bump(run: ProtocolRun, fields: list[str]) -> None:
    run.version += 1
    run.save(update_fields=[*fields, "version"])


@dataclass
class StepResult:
    done: bool
    done_at: datetime | None = None
    not_done_reason: str = ""
    note: str = ""


@transaction.atomic
@bus.in_unit_of_work
def record_step(actor: Actor, reference: str, position: int, result: StepResult) -> StepRecord:
    """Record one step: done (at what time), or not done and why; with a note. Telling the
    police sets when the police were told."""
    run = find_run(actor, reference, lock=True)
    if not access.may_follow_protocol(actor):
        raise AccessDenied("Your role does not allow you to follow the home's protocol.")
    step = run.steps.filter(position=position).first()
    if step is None:
        raise NotFound("The protocol has no such step.")
    _require_open(run, "done")
    name = f"step {step.position} ({step.get_kind_display().lower()})"
    errors: dict[str, list[str]] = {}
    reason = result.not_done_reason.strip()
    if result.done:
        _check_time(errors, "done_at", result.done_at, f"the time of {name}", run)
    elif not reason:
        errors["not_done_reason"] = [f"Enter why {name} was not done"]
    _check_text(errors, "not_done_reason", reason)
    _check_text(errors, "note", result.note)
    if errors:
        raise ValidationFailed(errors)
    step.done_at = result.done_at if result.done else None
    step.not_done_reason = "" if result.done else reason
    step.note = result.note.strip()
    step.recorded_at = clock.now()
    step.recorded_by = actor.user
    step.save()
    if step.kind == StepKind.TELL_POLICE:
        run.police_told_at = step.done_at
    _bump(run, ["police_told_at"])
    record_change(
        actor,
        StepRecorded(
            aggregate_id=run.pk,
            child_id=run.episode.child_id,
            episode=run.episode.reference,
            step=step.position,
            done=result.done,
        ),
        action="record_protocol_step",
        details={"step": step.position, "done": result.done},
    )
    return step


def unrecorded(run: ProtocolRun) -> list[StepRecord]:
    return [s for s in run.steps.all() if s.done_at is None and not s.not_done_reason]


@transaction.atomic
@bus.in_unit_of_work
def sign_off(actor: Actor, reference: str, note: str) -> ProtocolRun:
    """A manager of the home signs the run off, once every step is recorded."""
    run = find_run(actor, reference, lock=True)
    if not role_allows(actor, Action.SIGN_OFF_PROTOCOL):
        raise AccessDenied("Only the home's care managers sign off its protocol.")
    _require_open(run, "note")
    errors: dict[str, list[str]] = {}
    missing = unrecorded(run)
    if missing:
        names = ", ".join(f"step {s.position} ({s.get_kind_display().lower()})" for s in missing)
        errors["note"] = [f"Record every step before signing off: {names} not recorded yet"]
    elif not note.strip():
        errors["note"] = ["Enter a note for the sign-off"]
    _check_text(errors, "note", note)
    if errors:
        raise ValidationFailed(errors)
    run.signed_off_at = clock.now()
    run.signed_off_by = actor.user
    run.sign_off_note = note.strip()
    _bump(run, ["signed_off_at", "signed_off_by", "sign_off_note"])
    on_time = run.signed_off_at <= run.sign_off_due_at
    record_change(
        actor,
        ProtocolSignedOff(
            aggregate_id=run.pk,
            child_id=run.episode.child_id,
            episode=run.episode.reference,
            on_time=on_time,
        ),
        action="sign_off_protocol",
        details={"on_time": on_time},
    )
    return run


@dataclass
class NoticeInput:
    recipient: str
    notified_at: datetime | None
    reason: str
    reference: str = ""


@transaction.atomic
@bus.in_unit_of_work
def record_notice(actor: Actor, reference: str, notice: NoticeInput) -> Regulation40Notice:
    """Note a regulation 40 notification the home made about the episode."""
    run = find_run(actor, reference, lock=True)
    org = actor.organisation
    if org is None or org.kind != OrganisationKind.CARE_PROVIDER:
        raise NotFound(NOT_FOUND)
    errors: dict[str, list[str]] = {}
    if notice.recipient not in Regulation40Recipient.values:
        errors["recipient"] = ["Select who was notified: Ofsted or the placing council"]
    _check_time(errors, "notified_at", notice.notified_at, "when they were notified", run)
    if not notice.reason.strip():
        errors["reason"] = ["Enter why regulation 40 applies"]
    if len(notice.reference) > 60:
        errors["reference"] = ["The reference must be 60 characters or fewer"]
    for field in ("reason", "reference"):
        _check_text(errors, field, getattr(notice, field))
    if errors:
        raise ValidationFailed(errors)
    assert notice.notified_at is not None
    row = Regulation40Notice.objects.create(
        run=run,
        recipient=notice.recipient,
        notified_at=notice.notified_at,
        reason=notice.reason.strip(),
        reference=notice.reference.strip(),
        recorded_at=clock.now(),
        recorded_by=actor.user,
    )
    _bump(run, [])
    record_change(
        actor,
        Regulation40Recorded(
            aggregate_id=run.pk,
            child_id=run.episode.child_id,
            episode=run.episode.reference,
            recipient=notice.recipient,
        ),
        action="record_regulation_40",
        details={"recipient": notice.recipient},
    )
    return row
