""" "You said, we did": link a theme (a free-text theme of the council, or a standard code
such as "push:conflict_home") to what answered it: a decision or an action of one of the
council's meetings, or an action in a child's risk management plan the coordinator can
see. The link carries a short summary written for the board (no names: the board report
shows it), and the day it was answered. Audited and evented; by the coordinator only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from homeward.children.visibility import visible_children
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Organisation
from homeward.safeguarding.models import MeetingAction, MeetingDecision, PlanVersion
from homeward.themes import coded
from homeward.themes.access import council_for
from homeward.themes.events import ThemeLinked
from homeward.themes.models import LinkKind, Theme, ThemeLink

MAX_SUMMARY = 300


@dataclass
class LinkInput:
    theme: str  # "theme-12" or "push:conflict_home"
    kind: str  # LinkKind value
    target: int | None  # the decision's, action's or plan version's id
    summary: str
    answered_on: date | None = None
    plan_action: int | None = None  # which action of the plan version (0-based)


def _theme(council: Organisation, ref: str) -> tuple[Theme | None, str, str]:
    ref = (ref or "").strip()
    if ref.startswith("theme-"):
        theme = Theme.objects.filter(
            pk=int(ref[6:]) if ref[6:].isdigit() else 0, council=council, merged_into=None
        ).first()
        if theme is None:
            raise ValidationFailed({"theme": ["Choose one of the council's themes"]})
        return theme, "", ""
    kind, _, code = ref.partition(":")
    if kind in coded.KINDS and code in coded.KINDS[kind][1]:
        return None, kind, code
    raise ValidationFailed({"theme": ["Choose the theme this answers"]})


def _target(actor: Actor, council: Organisation, data: LinkInput) -> dict[str, object]:
    missing = {"target": ["Choose what answered the theme"]}
    if data.target is None:
        raise ValidationFailed(missing)
    if data.kind == LinkKind.DECISION:
        decision = MeetingDecision.objects.filter(pk=data.target, meeting__council=council).first()
        if decision is None:
            raise ValidationFailed(missing)
        return {"decision": decision}
    if data.kind == LinkKind.ACTION:
        action = MeetingAction.objects.filter(pk=data.target, meeting__council=council).first()
        if action is None:
            raise ValidationFailed(missing)
        return {"action": action}
    if data.kind == LinkKind.PLAN:
        version = (
            PlanVersion.objects.select_related("plan")
            .filter(pk=data.target, plan__child__in=visible_children(actor))
            .first()
        )
        if version is None:
            raise ValidationFailed(missing)
        index = data.plan_action
        if index is None or not 0 <= index < len(version.actions or []):
            raise ValidationFailed({"plan_action": ["Choose one of the plan's actions"]})
        return {"plan_version": version, "plan_action": index}
    raise ValidationFailed(
        {"kind": ["Choose a meeting decision, a meeting action or a plan action"]}
    )


def _summary(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationFailed({"summary": ["Say in a sentence what was done, for the board"]})
    if len(text) > MAX_SUMMARY:
        raise ValidationFailed(
            {"summary": [f"The summary must be {MAX_SUMMARY} characters or fewer"]}
        )
    return text


def link(actor: Actor, data: LinkInput) -> ThemeLink:
    council = council_for(actor, keep=True)
    if actor.user is None:
        raise ValidationFailed({"theme": ["A link is made by a person"]})
    errors: dict[str, list[str]] = {}
    if data.answered_on is not None and data.answered_on > clock.now().astimezone(clock.UK).date():
        errors["answered_on"] = ["The date it was done must be today or in the past"]
    for check in (lambda: _theme(council, data.theme), lambda: _summary(data.summary)):
        try:
            check()
        except ValidationFailed as failed:
            errors.update(failed.errors)
    if errors:
        raise ValidationFailed(errors)
    theme, kind, code = _theme(council, data.theme)
    with transaction.atomic(), bus.unit_of_work():
        target = _target(actor, council, data)
        made = ThemeLink.objects.create(
            council=council,
            theme=theme,
            coded_kind=kind,
            coded_code=code,
            kind=data.kind,
            summary=_summary(data.summary),
            answered_on=data.answered_on or clock.now().astimezone(clock.UK).date(),
            created_at=clock.now(),
            created_by=actor.user,
            **target,
        )
        target_id = data.target or 0
        record_change(
            actor,
            ThemeLinked(aggregate_id=made.pk, council=council.pk, kind=data.kind, target=target_id),
            action="link_theme",
        )
    return made
