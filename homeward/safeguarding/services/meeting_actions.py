"""What a meeting decides and who is to do what: decisions (about an agenda item or a child,
or the meeting as a whole) and actions, each with an owner (a user at the council or at an
agency with a member at the meeting) and a due date. An action is tracked until its owner
(or the council) marks it done; the worker's sweep flags it once when its due date passes
(``ActionOverdue``, told to the owner), and the owner's work list shows it until done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.core.validation import text_errors
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Membership, User
from homeward.safeguarding.events import (
    ActionDone,
    ActionOverdue,
    ActionRecorded,
    DecisionRecorded,
)
from homeward.safeguarding.models import Meeting, MeetingAction, MeetingDecision
from homeward.safeguarding.services import meetings

MOST_AHEAD_DAYS = 366 * 2


@dataclass
class DecisionInput:
    text: str
    agenda_item: str = ""


@dataclass
class ActionInput:
    text: str
    owner_id: int | None
    due_on: date | None
    owner_organisation_id: int | None = None
    agenda_item: str = ""
    decision_id: int | None = None


def _agenda_child(meeting: Meeting, key: str, errors: dict[str, list[str]]) -> int | None:
    """The child an agenda item is about (none for a notice, hotspot or person)."""
    if not key:
        return meeting.child_id
    for item in meeting.agenda:
        if item.get("key") == key:
            return item.get("child") or meeting.child_id
    errors["agenda_item"] = ["Select an item on this meeting's agenda"]
    return None


def owner_choices(meeting: Meeting) -> list[Membership]:
    """Who may own an action: people working at the council or at an organisation with a
    member at the meeting (active memberships, one a person and organisation)."""
    orgs = {meeting.council_id, *meeting.members.values_list("organisation_id", flat=True)}
    found = (
        Membership.objects.filter(organisation_id__in=orgs, is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__first_name", "user__last_name", "pk")
    )
    seen: set[tuple[int, int]] = set()
    unique = []
    for m in found:
        if (m.user_id, m.organisation_id) not in seen:
            seen.add((m.user_id, m.organisation_id))
            unique.append(m)
    return unique


def record_decision(actor: Actor, meeting_id: object, data: DecisionInput) -> MeetingDecision:
    errors = text_errors(MeetingDecision, {"text": data.text}, {"text": "The decision"})
    if not data.text.strip():
        errors["text"] = ["Enter the decision"]
    with transaction.atomic(), bus.unit_of_work():
        meeting = meetings.for_change(actor, meeting_id)
        child = _agenda_child(meeting, data.agenda_item, errors)
        if errors:
            raise ValidationFailed(errors)
        decision = MeetingDecision.objects.create(
            meeting=meeting,
            child_id=child,
            agenda_item=data.agenda_item,
            text=data.text.strip(),
            recorded_at=clock.now(),
            recorded_by=actor.user,
        )
        record_change(
            actor,
            DecisionRecorded(
                aggregate_id=meeting.pk,
                child_id=child,
                council=meeting.council_id,
                meeting=meeting.pk,
                decision=decision.pk,
            ),
            action="record_decision",
            details={"decision": decision.pk, "agenda_item": data.agenda_item},
        )
    return decision


def _action_errors(meeting: Meeting, data: ActionInput) -> tuple[dict[str, list[str]], int | None]:
    errors = text_errors(MeetingAction, {"text": data.text}, {"text": "The action"})
    if not data.text.strip():
        errors["text"] = ["Enter the action"]
    if data.due_on is None:
        errors["due_on"] = ["Enter the date it is due"]
    elif data.due_on < meeting.created_at.astimezone(clock.UK).date():
        errors["due_on"] = ["The due date must be on or after the day the meeting was opened"]
    elif (data.due_on - clock.now().date()).days > MOST_AHEAD_DAYS:
        errors["due_on"] = ["The due date must be within two years"]
    choices = {(m.user_id, m.organisation_id) for m in owner_choices(meeting)}
    org = data.owner_organisation_id
    if data.owner_id is None:
        errors["owner"] = ["Select who owns the action"]
    elif org is None:
        orgs = sorted(o for u, o in choices if u == data.owner_id)
        org = meeting.council_id if meeting.council_id in orgs else (orgs[0] if orgs else None)
    if data.owner_id is not None and (data.owner_id, org) not in choices:
        errors["owner"] = [
            "Select someone at the council or at an agency with a member at the meeting"
        ]
    if data.decision_id is not None and not meeting.decisions.filter(pk=data.decision_id).exists():
        errors["decision"] = ["Select a decision of this meeting"]
    return errors, org


def record_action(actor: Actor, meeting_id: object, data: ActionInput) -> MeetingAction:
    with transaction.atomic(), bus.unit_of_work():
        meeting = meetings.for_change(actor, meeting_id)
        errors, org = _action_errors(meeting, data)
        child = _agenda_child(meeting, data.agenda_item, errors)
        if errors:
            raise ValidationFailed(errors)
        assert data.owner_id is not None
        assert org is not None
        assert data.due_on is not None
        action = MeetingAction.objects.create(
            meeting=meeting,
            decision_id=data.decision_id,
            child_id=child,
            text=data.text.strip(),
            owner_id=data.owner_id,
            owner_organisation_id=org,
            due_on=data.due_on,
            recorded_at=clock.now(),
            recorded_by=actor.user,
        )
        record_change(
            actor,
            _event(ActionRecorded, action),
            action="record_meeting_action",
            details={"due_on": data.due_on.isoformat()},
        )
    return action


def _event(cls: type[ActionRecorded | ActionDone | ActionOverdue], action: MeetingAction):  # type: ignore[no-untyped-def]
    return cls(
        aggregate_id=action.pk,
        child_id=action.child_id,
        meeting=action.meeting_id,
        owner=action.owner_id,
        owner_organisation=action.owner_organisation_id,
        due_on=action.due_on.isoformat(),
    )


# --- the owner's side ----------------------------------------------------------------------


def may_mark_done(actor: Actor, action: MeetingAction) -> bool:
    mine = actor.user is not None and action.owner_id == actor.user.pk
    return action.done_at is None and (mine or meetings.may_hold(actor, action.meeting.council_id))


def actions_owned(user: User | None) -> QuerySet[MeetingAction]:
    """The user's open actions, soonest due first."""
    if user is None:
        return MeetingAction.objects.none()
    return (
        MeetingAction.objects.filter(owner=user, done_at__isnull=True)
        .select_related("meeting__council", "owner_organisation", "child")
        .order_by("due_on", "pk")
    )


def my_actions(actor: Actor) -> list[MeetingAction]:
    """The actor's open actions from every meeting (the work list), soonest due first."""
    return list(actions_owned(actor.user))


def get_action(actor: Actor, action_id: object) -> MeetingAction:
    """An action its owner, or someone who may read its meeting, may see."""
    try:
        pk = int(str(action_id))
    except ValueError:
        raise NotFound("No action was found.") from None
    found = (
        MeetingAction.objects.select_related("meeting__council", "owner", "owner_organisation")
        .filter(pk=pk)
        .first()
        if 0 < pk < 2**63
        else None
    )
    if found is None:
        raise NotFound("No action was found.")
    mine = actor.user is not None and found.owner_id == actor.user.pk
    if not mine and not meetings.meetings_for(actor).filter(pk=found.meeting_id).exists():
        raise NotFound("No action was found.")
    return found


def mark_done(actor: Actor, action_id: object, note: str) -> MeetingAction:
    errors = text_errors(MeetingAction, {"done_note": note}, {"done_note": "What was done"})
    if not note.strip():
        errors["done_note"] = ["Enter what was done"]
    with transaction.atomic(), bus.unit_of_work():
        action = get_action(actor, action_id)
        action = (
            MeetingAction.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=action.pk)
        )
        if action.done_at is not None:
            raise ValidationFailed({"done_note": ["This action is already done"]})
        if not may_mark_done(actor, action):
            raise AccessDenied("Only the action's owner or the council marks it done.")
        if errors:
            raise ValidationFailed(errors)
        action.done_at = clock.now()
        action.done_note = note.strip()
        action.done_by = actor.user
        action.save(update_fields=["done_at", "done_note", "done_by"])
        record_change(actor, _event(ActionDone, action), action="complete_meeting_action")
    return action


def is_overdue(action: MeetingAction, today: date | None = None) -> bool:
    today = today or clock.now().astimezone(clock.UK).date()
    return action.done_at is None and action.due_on < today


# --- the worker's sweep --------------------------------------------------------------------


@transaction.atomic
@bus.in_unit_of_work
def flag_overdue(today: date | None = None) -> int:
    """Flag each open action past its due date, once (``overdue_flagged_at``): its owner is
    told. Running it again flags nothing new. Returns how many were flagged."""
    today = today or clock.now().astimezone(clock.UK).date()
    due = (
        MeetingAction.objects.select_for_update(skip_locked=True)
        .filter(done_at__isnull=True, overdue_flagged_at__isnull=True, due_on__lt=today)
        .order_by("pk")
    )
    flagged = 0
    now = clock.now()
    for action in due:
        action.overdue_flagged_at = now
        action.save(update_fields=["overdue_flagged_at"])
        record_change(
            Actor.system(),
            _event(ActionOverdue, action),
            action="flag_meeting_action",
            details={"due_on": action.due_on.isoformat()},
        )
        flagged += 1
    return flagged
