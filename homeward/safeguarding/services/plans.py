"""The child's individual risk management plan: writing a version, and the audited reads.

A plan is written on one child record and belongs to the resolved child: it is found from
any record linked as the same child (``child__person_id``). Each save makes the next
version; an earlier version is never changed. Who writes: ``Action.KEEP_PLAN`` at the
council responsible for the child (or for a record linked as the child). Who reads: anyone
who sees the child and whose kind reaches plans (``access.may_see_profiles``): homes, police
and councils, never a return-interview provider."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from homeward.audit import services as audit
from homeward.children.models import Child
from homeward.children.visibility import get_child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.core.validation import HIDDEN_CONTROL, LONG_TEXT, too_long
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Organisation
from homeward.safeguarding import access
from homeward.safeguarding.events import PlanSaved
from homeward.safeguarding.models import PlanVersion, RiskPlan
from homeward.safeguarding.services.plan_rules import (
    finish_review,
    may_keep,
    open_reviews_of,
    owner_choices,
    plan_of,
)

ROW_TEXT = 300  # one agency's, action's or step's words
MAX_ROWS = 30
MAX_REPORT_AFTER = 7 * 24 * 60  # a week, in minutes

# What each part of a version is called where the history lists what changed.
FIELD_LABELS = {
    "risks": "Risks",
    "agencies": "What each agency will do",
    "actions": "Actions",
    "if_missing": "What to do if this child goes missing",
    "report_after_minutes": "When to tell the police",
    "review_date": "Review date",
    "owner": "Named owner",
}
AGENCY_FIELDS = {"agency": "the agency", "will_do": "what they will do", "owner": "who owns it"}
ACTION_FIELDS = {"action": "the action", "owner": "who owns it"}


@dataclass
class PlanInput:
    """What a version says; the web form and the API schema are built into this."""

    risks: str
    if_missing: list[str]
    review_date: date | None
    owner_id: int | None
    agencies: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    report_after_minutes: int | None = None
    change_note: str = ""


@dataclass
class PlanRead:
    child: Child
    plan: RiskPlan | None
    version: PlanVersion | None
    may_edit: bool


# --- who may --------------------------------------------------------------------------------


def _seen_child(actor: Actor, child_id: object) -> Child:
    """The child, for someone whose kind reaches plans; NotFound for anyone else."""
    if not access.may_see_profiles(actor):
        raise NotFound("No child was found.")
    return get_child(actor, child_id, related=("responsible_council",))


# --- reading --------------------------------------------------------------------------------


def read_plan(actor: Actor, child_id: object) -> PlanRead:
    """The child's current plan (or none yet): an audited read."""
    child = _seen_child(actor, child_id)
    plan = plan_of(child)
    version = None
    if plan is not None:
        version = (
            plan.versions.select_related("owner", "changed_by", "changed_by_organisation")
            .filter(number=plan.current_version)
            .first()
        )
    audit.record(
        actor,
        "view",
        "risk_plan",
        plan.pk if plan else "",
        child_id=child.pk,
        details={"version": plan.current_version if plan else None},
    )
    return PlanRead(child=child, plan=plan, version=version, may_edit=may_keep(actor, child))


@dataclass
class VersionChange:
    version: PlanVersion
    changed: list[str]


def changed_fields(before: PlanVersion | None, after: PlanVersion) -> list[str]:
    """What a version changed against the one before (nothing listed for the first)."""
    if before is None:
        return []
    key = {"owner": "owner_id"}
    return [
        label
        for name, label in FIELD_LABELS.items()
        if getattr(before, key.get(name, name)) != getattr(after, key.get(name, name))
    ]


def read_versions(actor: Actor, child_id: object) -> tuple[PlanRead, list[VersionChange]]:
    """Every version of the child's plan, newest first, each with what it changed."""
    read = read_plan(actor, child_id)
    if read.plan is None:
        return read, []
    versions = list(
        read.plan.versions.select_related(
            "owner", "changed_by", "changed_by_organisation"
        ).order_by("number")
    )
    changes = [
        VersionChange(v, changed_fields(versions[i - 1] if i else None, v))
        for i, v in enumerate(versions)
    ]
    return read, changes[::-1]


def read_version(actor: Actor, child_id: object, number: object) -> tuple[PlanRead, PlanVersion]:
    """One version of the plan, earlier or current, in full (audited with its number)."""
    child = _seen_child(actor, child_id)
    plan = plan_of(child)
    try:
        wanted = int(str(number))
    except ValueError:
        raise NotFound("No such version of the plan was found.") from None
    found = (
        plan.versions.select_related("owner", "changed_by", "changed_by_organisation")
        .filter(number=wanted)
        .first()
        if plan is not None and 0 < wanted < 2**31
        else None
    )
    if plan is None or found is None:
        raise NotFound("No such version of the plan was found.")
    audit.record(
        actor, "view", "risk_plan", plan.pk, child_id=child.pk, details={"version": wanted}
    )
    return PlanRead(child=child, plan=plan, version=found, may_edit=may_keep(actor, child)), found


# --- writing --------------------------------------------------------------------------------


def _text_problem(value: str, what: str, limit: int) -> str | None:
    if "\x00" in value:
        return HIDDEN_CONTROL
    if len(value) > limit:
        return too_long(what, limit)
    return None


def _clean_rows(
    rows: list[dict[str, Any]], name: str, row_word: str, required: dict[str, str]
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, list[str]]]:
    """Rows with anything in them, with their place in the input, and messages naming the
    row ("Agency 2: enter what they will do"). Errors are keyed ``<name>-<index>-<field>``,
    the formset's field names."""
    kept: list[tuple[int, dict[str, Any]]] = []
    errors: dict[str, list[str]] = {}
    if len(rows) > MAX_ROWS:
        return [], {name: [f"Enter {MAX_ROWS} rows or fewer"]}
    for index, row in enumerate(rows):
        texts = {k: str(row.get(k) or "").strip() for k in required}
        extra = {k: v for k, v in row.items() if k not in required}
        if not any(texts.values()) and not extra.get("due") and not extra.get("done"):
            continue
        label = f"{row_word} {index + 1}"
        for key, what in required.items():
            problem = None if texts[key] else f"{label}: enter {what}"
            problem = problem or _text_problem(texts[key], f"{label}: {what}", ROW_TEXT)
            if problem:
                errors[f"{name}-{index}-{key}"] = [problem]
        kept.append((index, {**extra, **texts}))
    return kept, errors


def _due(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _clean_actions(
    rows: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    kept, errors = _clean_rows(rows, "actions", "Action", ACTION_FIELDS)
    out = []
    for index, row in kept:
        due = _due(row.get("due"))
        if due is None:
            errors[f"actions-{index}-due"] = [f"Action {index + 1}: enter the date it is due"]
        out.append(
            {
                "action": row["action"],
                "owner": row["owner"],
                "due": due.isoformat() if due else None,
                "done": bool(row.get("done")),
            }
        )
    return out, errors


def _steps(data: PlanInput, errors: dict[str, list[str]]) -> list[str]:
    steps = [s.strip() for s in data.if_missing if s and s.strip()]
    if not steps:
        errors["if_missing"] = ["Enter what to do if this child goes missing, one step a line"]
    elif len(steps) > MAX_ROWS:
        errors["if_missing"] = [f"Enter {MAX_ROWS} steps or fewer"]
    else:
        for n, step in enumerate(steps, 1):
            if problem := _text_problem(step, f"Step {n}", ROW_TEXT):
                errors["if_missing"] = [problem]
                break
    return steps


def _when(data: PlanInput, errors: dict[str, list[str]]) -> None:
    minutes = data.report_after_minutes
    if minutes is not None and not 1 <= minutes <= MAX_REPORT_AFTER:
        errors["report_after_minutes"] = [
            f"The time before telling the police must be between 1 and {MAX_REPORT_AFTER} minutes"
        ]
    today = clock.now().astimezone(clock.UK).date()
    if data.review_date is None:
        errors["review_date"] = ["Enter the date the plan is to be reviewed"]
    elif data.review_date < today:
        errors["review_date"] = ["The review date must be today or in the future"]


def _validate(
    data: PlanInput, council: Organisation, first: bool
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    risks = data.risks.strip()
    if not risks:
        errors["risks"] = ["Enter the risks to this child"]
    elif problem := _text_problem(risks, "The risks", LONG_TEXT):
        errors["risks"] = [problem]
    steps = _steps(data, errors)
    _when(data, errors)
    owner = None
    if data.owner_id is not None:
        owner = next((u for u in owner_choices(council) if u.pk == data.owner_id), None)
    if owner is None:
        errors["owner"] = [f"Select the plan's named owner, someone at {council.name}"]
    note = data.change_note.strip()
    if not first and not note:
        errors["change_note"] = ["Enter what changed and why"]
    elif problem := _text_problem(note, "What changed and why", LONG_TEXT):
        errors["change_note"] = [problem]
    agencies, agency_errors = _clean_rows(data.agencies, "agencies", "Agency", AGENCY_FIELDS)
    actions, action_errors = _clean_actions(data.actions)
    clean = {
        "risks": risks,
        "if_missing": steps,
        "report_after_minutes": data.report_after_minutes,
        "review_date": data.review_date,
        "owner": owner,
        "change_note": note,
        "agencies": [{k: r[k] for k in AGENCY_FIELDS} for _, r in agencies],
        "actions": actions,
    }
    return clean, {**errors, **agency_errors, **action_errors}


def _stale(plan: RiskPlan | None, version: int | None) -> None:
    current = plan.current_version if plan else 0
    if (version or 0) != current:
        raise StaleEdit(
            "Someone else saved this plan after you opened it. Your changes have not been "
            "saved. Check the current plan and try again.",
            changed_fields=[],
            current_version=current,
        )


@transaction.atomic
@bus.in_unit_of_work
def save_plan(
    actor: Actor,
    child_id: object,
    data: PlanInput,
    version: int | None,
    *,
    review_id: int | None = None,
) -> PlanVersion:
    """Write version 1 of the child's plan, or the next version after ``version`` (the one
    the writer saw; StaleEdit if another was saved since). ``review_id``: the review this
    completes."""
    child = _seen_child(actor, child_id)
    if not may_keep(actor, child):
        raise AccessDenied("Only the child's council can write or change their plan.")
    council = actor.organisation
    assert council is not None
    existing = plan_of(child)
    plan = (
        RiskPlan.objects.select_for_update().get(pk=existing.pk) if existing is not None else None
    )
    _stale(plan, version)
    clean, errors = _validate(data, council, first=plan is None)
    if errors:
        raise ValidationFailed(errors)
    now = clock.now()
    if plan is None:
        plan = RiskPlan(child=child, created_at=now, current_version=0)
    plan.owner_organisation = council
    plan.owner = clean["owner"]
    plan.review_date = clean["review_date"]
    plan.current_version += 1
    plan.updated_at = now
    plan.save()
    saved = PlanVersion.objects.create(
        plan=plan,
        number=plan.current_version,
        changed_at=now,
        changed_by=actor.user,
        changed_by_organisation=council,
        **clean,
    )
    record_change(
        actor,
        PlanSaved(
            aggregate_id=plan.pk, child_id=child.pk, version=saved.number, owner=plan.owner_id
        ),
        action="save_plan",
        details={"version": saved.number},
    )
    _after_save(actor, child, plan, saved, review_id)
    return saved


def _after_save(
    actor: Actor, child: Child, plan: RiskPlan, saved: PlanVersion, review_id: int | None
) -> None:
    """A first plan answers the child's "write a plan" tasks (they now review this plan);
    a save made from a review completes it."""
    reviews = {r.pk: r for r in open_reviews_of(child)}
    for review in reviews.values():
        if review.plan_id is None:
            review.plan = plan
            review.save(update_fields=["plan"])
    if review_id is None:
        return
    done = reviews.get(review_id)
    if done is None:
        raise ValidationFailed({"review": "This review is already done, or is not this child's"})
    finish_review(actor, done, saved.change_note or "Plan written", saved.number)
