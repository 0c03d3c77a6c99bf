"""A children's home's missing protocol (Children's Homes Regulations 2015, regulation 34):
the steps its staff take when a child is not where they should be, in order, and how soon
a manager signs off each time they are followed.

The home's care managers write it (``Action.KEEP_PROTOCOL``); its care staff read it.
Each save is a new version: a run copies the steps when it starts, so changing the
protocol never rewrites what was done before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, StaleEdit, ValidationFailed
from homeward.core.validation import HIDDEN_CONTROL
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Organisation
from homeward.safeguarding import access
from homeward.safeguarding.events import ProtocolSaved
from homeward.safeguarding.models.profiles import MissingProfile
from homeward.safeguarding.models.protocols import (
    HomeProtocol,
    ProtocolRun,
    ProtocolStep,
    Regulation40Notice,
    StepKind,
    StepRecord,
)
from homeward.safeguarding.services import plan_rules
from homeward.safeguarding.services.runs import find_run

MAX_STEPS = 30
MAX_WITHIN_MINUTES = 7 * 24 * 60
MAX_SIGN_OFF_HOURS = 7 * 24
DEFAULT_POLICE_MINUTES = 60


@dataclass
class StepInput:
    kind: str
    text: str
    within_minutes: int | None = None


def default_steps() -> list[StepInput]:
    """What a home with no protocol is offered to start from."""
    return [
        StepInput(StepKind.SEARCH, "Search the home and the grounds, and the child's room"),
        StepInput(StepKind.RING_CHILD, "Ring the child's mobile phone and send a message"),
        StepInput(
            StepKind.RING_CONTACTS,
            "Ring the people in the child's missing profile, in the order it gives",
        ),
        StepInput(
            StepKind.TELL_POLICE,
            "Tell the police: ring 101, or 999 if the child is at immediate risk",
            DEFAULT_POLICE_MINUTES,
        ),
        StepInput(StepKind.TELL_COUNCIL, "Tell the placing council's social worker or duty team"),
    ]


def default_sign_off_hours() -> int:
    return int(settings.HOMEWARD_PROTOCOL_SIGN_OFF_HOURS)


def home_of(actor: Actor) -> Organisation:
    """The actor's home, if they work at one and their role reads its protocol."""
    if not (access.may_follow_protocol(actor) or access.may_keep_protocol(actor)):
        raise AccessDenied("Only a children's home's staff read its missing protocol.")
    assert actor.organisation is not None
    return actor.organisation


def protocol_of(home_id: int) -> HomeProtocol | None:
    return HomeProtocol.objects.filter(home_id=home_id).prefetch_related("steps").first()


def read_home_protocol(actor: Actor) -> HomeProtocol | None:
    """The actor's home's protocol (None if it has not written one). No child's data."""
    return protocol_of(home_of(actor).pk)


def _step_errors(index: int, step: StepInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    label = f"Step {index + 1}"
    if step.kind not in StepKind.values:
        errors[f"steps.{index}.kind"] = [f"{label}: select what kind of step it is"]
    text = step.text.strip()
    if not text:
        errors[f"steps.{index}.text"] = [f"{label}: enter what staff do"]
    elif len(text) > 300:
        errors[f"steps.{index}.text"] = [f"{label}: what staff do must be 300 characters or fewer"]
    elif "\x00" in text:
        errors[f"steps.{index}.text"] = [f"{label}: {HIDDEN_CONTROL}"]
    minutes = step.within_minutes
    if minutes is not None and not 1 <= minutes <= MAX_WITHIN_MINUTES:
        errors[f"steps.{index}.within_minutes"] = [
            f"{label}: the minutes must be between 1 and {MAX_WITHIN_MINUTES}"
        ]
    return errors


def _validate(steps: list[StepInput], sign_off_hours: int | None) -> None:
    errors: dict[str, list[str]] = {}
    if not steps:
        errors["steps"] = ["Enter at least one step"]
    elif len(steps) > MAX_STEPS:
        errors["steps"] = [f"A protocol can have up to {MAX_STEPS} steps"]
    for index, step in enumerate(steps):
        errors.update(_step_errors(index, step))
    if sign_off_hours is None:
        errors["sign_off_hours"] = ["Enter how many hours a manager has to sign off"]
    elif not 1 <= sign_off_hours <= MAX_SIGN_OFF_HOURS:
        errors["sign_off_hours"] = [
            f"The hours to sign off must be between 1 and {MAX_SIGN_OFF_HOURS}"
        ]
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
@bus.in_unit_of_work
def save_home_protocol(
    actor: Actor,
    steps: list[StepInput],
    *,
    sign_off_hours: int | None,
    expected_version: int | None = None,
) -> HomeProtocol:
    """Write the actor's home's protocol: its steps in the order given, replacing the last
    version (runs already started keep the steps they copied)."""
    if not access.may_keep_protocol(actor):
        raise AccessDenied("Only a home's care managers write its missing protocol.")
    home = actor.organisation
    assert home is not None
    _validate(steps, sign_off_hours)
    assert sign_off_hours is not None
    protocol = HomeProtocol.objects.select_for_update().filter(home=home).first()
    stale = protocol is not None and expected_version not in (None, protocol.version)
    if protocol is not None and stale:
        raise StaleEdit(
            "Someone changed the home's protocol after you opened it. Your changes have "
            "not been saved. Check the current steps and try again.",
            changed_fields=["steps"],
            current_version=protocol.version,
        )
    now = clock.now()
    created = protocol is None
    if protocol is None:
        protocol = HomeProtocol(home=home, version=1)
    else:
        protocol.version += 1
    protocol.sign_off_hours = sign_off_hours
    protocol.updated_at = now
    protocol.updated_by = actor.user
    protocol.save()
    protocol.steps.all().delete()
    ProtocolStep.objects.bulk_create(
        ProtocolStep(
            protocol=protocol,
            position=index + 1,
            kind=step.kind,
            text=step.text.strip(),
            within_minutes=step.within_minutes,
        )
        for index, step in enumerate(steps)
    )
    record_change(
        actor,
        ProtocolSaved(
            aggregate_id=protocol.pk, home=home.pk, version=protocol.version, steps=len(steps)
        ),
        action="save_protocol",
        details={"version": protocol.version, "steps": len(steps), "created": created},
    )
    return protocol


# --- a run, with the child's plan beside it -----------------------------------------------


@dataclass
class PlanBeside:
    """What the child's plan and profile say to do when they go missing."""

    plan_version: int | None
    if_missing: list[str]
    report_after_minutes: int | None
    associates: list[dict[str, str]]


def _step_text(item: object) -> str:
    if isinstance(item, dict):
        for key in ("step", "text", "action"):
            if item.get(key):
                return str(item[key])
        return ""
    return str(item or "")


def plan_beside(person_id: int) -> PlanBeside:
    """The current plan version's "if missing" steps and time to tell the police, and the
    people in the profile to ring: read from the resolved child's records."""
    version = plan_rules.current_version_of(person_id)
    profile = MissingProfile.objects.filter(child__person_id=person_id).first()
    associates = [
        {
            "name": str(a.get("name", "")),
            "relationship": str(a.get("relationship", "")),
            "phone": str(a.get("phone", "")),
        }
        for a in (profile.associates if profile is not None else [])
        if isinstance(a, dict)
    ]
    return PlanBeside(
        plan_version=version.number if version is not None else None,
        if_missing=[t for t in (_step_text(i) for i in (version.if_missing or [])) if t]
        if version is not None
        else [],
        report_after_minutes=version.report_after_minutes if version is not None else None,
        associates=associates,
    )


@dataclass
class RunPage:
    run: ProtocolRun
    steps: list[StepRecord]
    notices: list[Regulation40Notice]
    plan: PlanBeside
    police_due_at: datetime | None


def read_run(actor: Actor, reference: str) -> RunPage:
    """The run of an episode, for the staff of the home the child lives in now, with the
    child's plan beside it: an audited read of the child."""
    run = find_run(actor, reference)
    episode = run.episode
    audit.record(actor, "view", "protocol_run", run.pk, child_id=episode.child_id)
    due = (
        run.noticed_at + timedelta(minutes=run.police_due_minutes)
        if run.police_due_minutes
        else None
    )
    return RunPage(
        run=run,
        steps=list(run.steps.select_related("recorded_by")),
        notices=list(run.notices.select_related("recorded_by")),
        plan=plan_beside(episode.child.person_id),
        police_due_at=due,
    )
