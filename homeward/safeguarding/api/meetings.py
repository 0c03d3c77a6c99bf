"""/api/v1/meetings: a council's multi-agency meetings: list, open, read (with the agenda
as the reader's organisation may see it), members, attendance, minutes, hold and cancel.
Rebuilding the agenda, the pack as a PDF, decisions and actions: ``meeting_actions``.

Thin: the same services as the pages (``homeward.safeguarding.services.meetings``)."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from homeward.core.api import actor_of, respond
from homeward.core.errors import ValidationFailed
from homeward.core.idempotency import idempotent
from homeward.core.responses import respond_page
from homeward.core.schemas import Id, InputSchema, LongText, When, limit_of
from homeward.core.validation import LONG_TEXT
from homeward.safeguarding.models import Meeting, MeetingMember
from homeward.safeguarding.services import agenda, agenda_shown, meeting_records, meetings
from homeward.safeguarding.services.meeting_actions import is_overdue

router = Router()
MEETINGS = ["multi-agency meetings"]


class MeetingPaging(Schema):
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 25


class MeetingSummaryOut(Schema):
    id: int
    council_id: int
    kind: str = Field(description="panel, exploitation or strategy")
    kind_label: str
    status: str = Field(description="planned, held or cancelled")
    scheduled_for: datetime
    location: str
    agenda_items: int
    opened_by_rules: bool = Field(description="true: opened by the escalation rules")

    @classmethod
    def build(cls, m: Meeting) -> "MeetingSummaryOut":
        return cls(
            id=m.pk,
            council_id=m.council_id,
            kind=m.kind,
            kind_label=m.get_kind_display(),
            status=m.status,
            scheduled_for=m.scheduled_for,
            location=m.location,
            agenda_items=len(m.agenda),
            opened_by_rules=bool(m.source_key),
        )


class MeetingPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[MeetingSummaryOut]


class MeetingMemberOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    user_id: int | None
    name: str
    role: str
    attendance: str = Field(description="attended, apologies, absent, or blank: not taken")


class AgendaChildOut(Schema):
    child_id: int | None = Field(description="null: a child your organisation may not see")
    label: str


class AgendaItemOut(Schema):
    key: str
    label: str
    detail: str
    episode: str
    children: list[AgendaChildOut]


class AgendaSectionOut(Schema):
    key: str
    title: str
    items: list[AgendaItemOut]


class MeetingDecisionOut(Schema):
    id: int
    text: str
    agenda_item: str
    child_id: int | None
    recorded_at: datetime


class MeetingActionOut(Schema):
    id: int
    meeting_id: int
    text: str
    child_id: int | None
    owner_id: int
    owner_organisation_id: int
    due_on: Any
    overdue: bool
    done_at: datetime | None
    done_note: str


class MeetingOut(MeetingSummaryOut):
    child_id: int | None = Field(description="A strategy meeting's child, if you may see them")
    chair: str
    reason: str
    minutes: str
    period_start: datetime
    period_end: datetime
    agenda_built_at: datetime | None
    held_at: datetime | None
    members: list[MeetingMemberOut]
    agenda: list[AgendaSectionOut]
    decisions: list[MeetingDecisionOut]
    actions: list[MeetingActionOut]


def _attendance(m: MeetingMember) -> str:
    if m.attended is None:
        return ""
    return "attended" if m.attended else "apologies" if m.apologies else "absent"


def action_out(a: Any, seen: set[int]) -> MeetingActionOut:
    return MeetingActionOut(
        id=a.pk,
        meeting_id=a.meeting_id,
        text=a.text,
        child_id=a.child_id if a.child_id in seen else None,
        owner_id=a.owner_id,
        owner_organisation_id=a.owner_organisation_id,
        due_on=a.due_on,
        overdue=is_overdue(a),
        done_at=a.done_at,
        done_note=a.done_note,
    )


def meeting_out(request: HttpRequest, meeting: Meeting) -> MeetingOut:
    actor = actor_of(request)
    names = agenda_shown.names_for(actor, meeting, agenda.child_ids(meeting))
    seen = names.visible
    sections = [
        AgendaSectionOut(
            key=s.key,
            title=s.title,
            items=[
                AgendaItemOut(
                    key=i.key,
                    label=i.label,
                    detail=i.detail,
                    episode=i.episode,
                    children=[
                        AgendaChildOut(child_id=c.child_id, label=c.label) for c in i.children
                    ],
                )
                for i in s.items
            ],
        )
        for s in agenda_shown.shown(actor, meeting, names)
    ]
    summary = MeetingSummaryOut.build(meeting).dict()
    return MeetingOut(
        **summary,
        child_id=meeting.child_id if meeting.child_id in seen else None,
        chair=meeting.chair,
        reason=meeting.reason,
        minutes=meeting.minutes,
        period_start=meeting.period_start,
        period_end=meeting.period_end,
        agenda_built_at=meeting.agenda_built_at,
        held_at=meeting.held_at,
        members=[
            MeetingMemberOut(
                id=m.pk,
                organisation_id=m.organisation_id,
                organisation=m.organisation.name,
                user_id=m.user_id,
                name=m.name,
                role=m.role,
                attendance=_attendance(m),
            )
            for m in meetings.members_of(meeting)
        ],
        agenda=sections,
        decisions=[
            MeetingDecisionOut(
                id=d.pk,
                text=d.text,
                agenda_item=d.agenda_item,
                child_id=d.child_id if d.child_id in seen else None,
                recorded_at=d.recorded_at,
            )
            for d in meeting.decisions.order_by("recorded_at", "pk")
        ],
        actions=[action_out(a, seen) for a in meeting.actions.order_by("due_on", "pk")],
    )


class MeetingMemberIn(InputSchema):
    organisation_id: Id
    name: Annotated[str, limit_of(MeetingMember, "name")]
    role: Annotated[str, limit_of(MeetingMember, "role")] = ""
    user_id: Id | None = None


class MeetingIn(InputSchema):
    kind: str = Field(description="panel, exploitation or strategy")
    scheduled_for: When
    location: Annotated[str, limit_of(Meeting, "location")] = ""
    chair: Annotated[str, limit_of(Meeting, "chair")] = ""
    child_id: Id | None = Field(None, description="A strategy meeting's child")
    reason: LongText = ""
    members: list[MeetingMemberIn] = Field(default=[], max_length=meetings.MAX_MEMBERS)


def _member(m: MeetingMemberIn) -> meetings.MemberInput:
    return meetings.MemberInput(m.organisation_id, m.name, m.role, m.user_id)


@router.get(
    "/meetings",
    response={200: MeetingPageOut},
    tags=MEETINGS,
    summary="The meetings you take part in",
    description="Your council's meetings, and those your organisation has a member at, "
    "newest first. Names no child.",
)
def list_meetings(request: HttpRequest, paging: Query[MeetingPaging]) -> HttpResponse:
    found = meetings.list_meetings(actor_of(request))
    return respond_page(found, paging, MeetingPageOut, MeetingSummaryOut.build)


@router.post(
    "/meetings",
    response={201: MeetingOut},
    tags=MEETINGS,
    summary="Open a meeting, its agenda built from the records",
    description="For the council's missing coordinators and managers. The agenda covers the "
    "period since the council's last held meeting of the kind (three months, for the "
    "first). A strategy meeting names its child.",
)
@idempotent(atomic=False)  # the answer is an audited read of the meeting
def open_meeting(request: HttpRequest, payload: MeetingIn) -> HttpResponse:
    actor = actor_of(request)
    meeting = meetings.open_meeting(
        actor,
        meetings.MeetingInput(
            kind=payload.kind,
            scheduled_for=payload.scheduled_for,
            location=payload.location,
            chair=payload.chair,
            child_id=payload.child_id,
            reason=payload.reason,
            members=[_member(m) for m in payload.members],
        ),
    )
    read = meetings.read_meeting(actor, meeting.pk)
    return respond(meeting_out(request, read), 201, location=f"/api/v1/meetings/{meeting.pk}")


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingOut},
    tags=MEETINGS,
    summary="Read a meeting, its agenda as your organisation may see it",
    description="An audited read. Children your organisation may not see are listed as "
    "'A child (not visible to your organisation)' with no id.",
)
def read_meeting(request: HttpRequest, meeting_id: Id) -> HttpResponse:
    return respond(meeting_out(request, meetings.read_meeting(actor_of(request), meeting_id)))


def _changed(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return respond(meeting_out(request, meetings.read_meeting(actor_of(request), meeting_id)))


@router.post(
    "/meetings/{meeting_id}/members",
    response={200: MeetingOut},
    tags=MEETINGS,
    summary="Add a member",
)
@idempotent(atomic=False)  # the answer is an audited read of the meeting
def add_member(request: HttpRequest, meeting_id: Id, payload: MeetingMemberIn) -> HttpResponse:
    meeting_records.add_member(actor_of(request), meeting_id, _member(payload))
    return _changed(request, meeting_id)


class AttendanceIn(InputSchema):
    members: dict[str, str] = Field(
        description="Member id to attended, apologies or absent", max_length=meetings.MAX_MEMBERS
    )


@router.post(
    "/meetings/{meeting_id}/attendance",
    response={200: MeetingOut},
    tags=MEETINGS,
    summary="Record who came",
)
@idempotent(atomic=False)  # the answer is an audited read of the meeting
def record_attendance(request: HttpRequest, meeting_id: Id, payload: AttendanceIn) -> HttpResponse:
    marks: dict[int, str] = {}
    for key, value in payload.members.items():
        if not key.isdigit() or not 0 < int(key) < 2**63:
            raise ValidationFailed({"members": [f"{key[:20]} is not a member id"]})
        marks[int(key)] = value
    meeting_records.record_attendance(actor_of(request), meeting_id, marks)
    return _changed(request, meeting_id)


class MinutesIn(InputSchema):
    minutes: Annotated[str, Field(max_length=LONG_TEXT)]


@router.post(
    "/meetings/{meeting_id}/minutes",
    response={200: MeetingOut},
    tags=MEETINGS,
    summary="Save the minutes",
)
@idempotent(atomic=False)  # the answer is an audited read of the meeting
def save_minutes(request: HttpRequest, meeting_id: Id, payload: MinutesIn) -> HttpResponse:
    meeting_records.save_minutes(actor_of(request), meeting_id, payload.minutes)
    return _changed(request, meeting_id)


@router.post(
    "/meetings/{meeting_id}/hold",
    response={200: MeetingOut},
    tags=MEETINGS,
    summary="Record the meeting as held",
    description="Its agenda is kept as built; the next meeting's period starts now.",
)
@idempotent(atomic=False)  # the answer is an audited read of the meeting
def hold_meeting(request: HttpRequest, meeting_id: Id) -> HttpResponse:
    meeting_records.hold_meeting(actor_of(request), meeting_id)
    return _changed(request, meeting_id)


class CancelMeetingIn(InputSchema):
    reason: LongText


@router.post(
    "/meetings/{meeting_id}/cancel",
    response={200: MeetingOut},
    tags=MEETINGS,
    summary="Cancel a planned meeting",
)
@idempotent(atomic=False)  # the answer is an audited read of the meeting
def cancel_meeting(request: HttpRequest, meeting_id: Id, payload: CancelMeetingIn) -> HttpResponse:
    meeting_records.cancel_meeting(actor_of(request), meeting_id, payload.reason)
    return _changed(request, meeting_id)
