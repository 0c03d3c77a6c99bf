"""What a meeting records once opened: its members and who came, its minutes, its agenda
built again (until it is held), and holding or cancelling it. Each by the council's
missing coordinators and managers (``meetings.for_change``), each audited; holding and
cancelling are evented."""

from __future__ import annotations

from django.db import transaction

from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.core.validation import text_errors
from homeward.events import bus
from homeward.events.change import record_change
from homeward.safeguarding.events import MeetingCancelled, MeetingHeld
from homeward.safeguarding.models import Meeting, MeetingMember, MeetingStatus
from homeward.safeguarding.services import agenda
from homeward.safeguarding.services.meetings import (
    MAX_MEMBERS,
    MemberInput,
    _member_errors,
    _org,
    for_change,
)


def rebuild_agenda(actor: Actor, meeting_id: object) -> Meeting:
    """Build the agenda again from the records as they are now, up to now: only until the
    meeting is held."""
    with transaction.atomic(), bus.unit_of_work():
        meeting = for_change(actor, meeting_id, planned=True)
        meeting.period_end = clock.now()
        agenda.store(meeting)
        audit.record(
            actor, "rebuild_agenda", "meeting", meeting.pk, details={"items": len(meeting.agenda)}
        )
    return meeting


def add_member(actor: Actor, meeting_id: object, member: MemberInput) -> MeetingMember:
    errors = _member_errors(0, member)
    if errors:
        raise ValidationFailed({k.replace("members-0-", ""): v for k, v in errors.items()})
    with transaction.atomic(), bus.unit_of_work():
        meeting = for_change(actor, meeting_id)
        if meeting.members.count() >= MAX_MEMBERS:
            raise ValidationFailed({"name": [f"A meeting has at most {MAX_MEMBERS} members"]})
        added = MeetingMember.objects.create(
            meeting=meeting,
            organisation_id=_org(member),
            user_id=member.user_id,
            name=member.name.strip(),
            role=member.role.strip(),
        )
        audit.record(actor, "add_meeting_member", "meeting", meeting.pk)
    return added


ATTENDANCE = {"attended": (True, False), "apologies": (False, True), "absent": (False, False)}


def record_attendance(actor: Actor, meeting_id: object, marks: dict[int, str]) -> Meeting:
    """Who came (``attended``), who sent apologies, who did not come (``absent``), by
    member id. Members not named keep what they had."""
    errors = {
        f"member-{pk}": ["Select whether they came, sent apologies or did not come"]
        for pk, mark in marks.items()
        if mark not in ATTENDANCE
    }
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(), bus.unit_of_work():
        meeting = for_change(actor, meeting_id)
        members = {m.pk: m for m in meeting.members.all()}
        unknown = [pk for pk in marks if pk not in members]
        if unknown:
            raise ValidationFailed({f"member-{unknown[0]}": ["No such member of this meeting"]})
        for pk, mark in marks.items():
            members[pk].attended, members[pk].apologies = ATTENDANCE[mark]
        MeetingMember.objects.bulk_update([members[pk] for pk in marks], ["attended", "apologies"])
        audit.record(
            actor, "record_attendance", "meeting", meeting.pk, details={"marked": len(marks)}
        )
    return meeting


def save_minutes(actor: Actor, meeting_id: object, minutes: str) -> Meeting:
    errors = text_errors(Meeting, {"minutes": minutes}, {"minutes": "The minutes"})
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(), bus.unit_of_work():
        meeting = for_change(actor, meeting_id)
        meeting.minutes = minutes.strip()
        meeting.save(update_fields=["minutes"])
        audit.record(actor, "save_minutes", "meeting", meeting.pk)
    return meeting


def hold_meeting(actor: Actor, meeting_id: object) -> Meeting:
    """Record that the meeting took place: its agenda is kept as it was built."""
    with transaction.atomic(), bus.unit_of_work():
        meeting = for_change(actor, meeting_id, planned=True)
        if meeting.scheduled_for > clock.now():
            raise ValidationFailed(
                {"status": ["The meeting has not started yet: record it as held once it has"]}
            )
        meeting.status = MeetingStatus.HELD
        meeting.held_at = clock.now()
        meeting.save(update_fields=["status", "held_at"])
        record_change(
            actor,
            MeetingHeld(
                aggregate_id=meeting.pk,
                child_id=meeting.child_id,
                council=meeting.council_id,
                meeting=meeting.pk,
                attended=meeting.members.filter(attended=True).count(),
                decisions=meeting.decisions.count(),
                actions=meeting.actions.count(),
            ),
            action="hold_meeting",
        )
    return meeting


def cancel_meeting(actor: Actor, meeting_id: object, reason: str) -> Meeting:
    errors = text_errors(Meeting, {"reason": reason}, {"reason": "The reason"})
    if not reason.strip():
        errors["reason"] = ["Enter why the meeting is cancelled"]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(), bus.unit_of_work():
        meeting = for_change(actor, meeting_id, planned=True)
        meeting.status = MeetingStatus.CANCELLED
        meeting.reason = f"{meeting.reason}\nCancelled: {reason.strip()}".strip()
        meeting.save(update_fields=["status", "reason"])
        record_change(
            actor,
            MeetingCancelled(
                aggregate_id=meeting.pk,
                child_id=meeting.child_id,
                council=meeting.council_id,
                meeting=meeting.pk,
            ),
            action="cancel_meeting",
        )
    return meeting
