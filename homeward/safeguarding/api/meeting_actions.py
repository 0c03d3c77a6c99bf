"""/api/v1/meetings/{id}/decisions and /actions: what a meeting decided and who is to do
what; /api/v1/meeting-actions: your own open actions (your work list) and marking one
done; and a meeting's agenda built again, and its pack as a PDF."""

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from homeward.audit import services as audit
from homeward.core.api import actor_of, respond
from homeward.core.idempotency import idempotent
from homeward.core.schemas import Day, Id, InputSchema, LongText
from homeward.safeguarding.api.meetings import (
    MEETINGS,
    MeetingActionOut,
    MeetingOut,
    action_out,
    meeting_out,
)
from homeward.safeguarding.services import agenda, meeting_actions, meeting_records, meetings
from homeward.safeguarding.views.meeting_pdf import pack_pdf

router = Router()


class MeetingDecisionIn(InputSchema):
    text: LongText
    agenda_item: Annotated[str, Field(max_length=120)] = Field(
        "", description="The key of the agenda item it is about; blank for the meeting"
    )


class MeetingActionIn(InputSchema):
    text: LongText
    owner_id: Id = Field(description="A user at the council or at an agency with a member")
    owner_organisation_id: Id | None = Field(
        None, description="Where the owner works (the council, if they work there too)"
    )
    due_on: Day
    agenda_item: Annotated[str, Field(max_length=120)] = ""
    decision_id: Id | None = None


class MeetingActionDoneIn(InputSchema):
    done_note: LongText = Field(description="What was done")


class MyMeetingActionsOut(Schema):
    items: list[MeetingActionOut]


def _changed(request: HttpRequest, meeting_id: int, status: int = 201) -> HttpResponse:
    read = meetings.read_meeting(actor_of(request), meeting_id)
    return respond(meeting_out(request, read), status)


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: MeetingOut},
    tags=MEETINGS,
    summary="Record a decision",
)
@idempotent(atomic=False)  # the answer is an audited read of the meeting
def record_decision(
    request: HttpRequest, meeting_id: Id, payload: MeetingDecisionIn
) -> HttpResponse:
    meeting_actions.record_decision(
        actor_of(request),
        meeting_id,
        meeting_actions.DecisionInput(payload.text, payload.agenda_item),
    )
    return _changed(request, meeting_id)


@router.post(
    "/meetings/{meeting_id}/actions",
    response={201: MeetingOut},
    tags=MEETINGS,
    summary="Record an action, with its owner and due date",
    description="The owner is told, and told again if it passes its due date undone.",
)
@idempotent(atomic=False)  # the answer is an audited read of the meeting
def record_action(request: HttpRequest, meeting_id: Id, payload: MeetingActionIn) -> HttpResponse:
    meeting_actions.record_action(
        actor_of(request),
        meeting_id,
        meeting_actions.ActionInput(
            text=payload.text,
            owner_id=payload.owner_id,
            owner_organisation_id=payload.owner_organisation_id,
            due_on=payload.due_on,
            agenda_item=payload.agenda_item,
            decision_id=payload.decision_id,
        ),
    )
    return _changed(request, meeting_id)


@router.get(
    "/meeting-actions",
    response={200: MyMeetingActionsOut},
    tags=MEETINGS,
    summary="Your open actions from meetings",
    description="Soonest due first; each child named is one your organisation may see "
    "(an audited read).",
)
def my_actions(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    found = meeting_actions.my_actions(actor)
    seen = agenda.visible_ids(actor, {a.child_id for a in found if a.child_id})
    audit.record_many_reads(actor, "child", sorted(seen), action="list_result")
    return respond(MyMeetingActionsOut(items=[action_out(a, seen) for a in found]))


@router.post(
    "/meeting-actions/{action_id}/done",
    response={200: MeetingActionOut},
    tags=MEETINGS,
    summary="Mark an action done",
    description="By its owner, or the council's missing coordinators and managers.",
)
@idempotent(atomic=False)  # the answer is an audited read of the meeting
def mark_done(request: HttpRequest, action_id: Id, payload: MeetingActionDoneIn) -> HttpResponse:
    actor = actor_of(request)
    done = meeting_actions.mark_done(actor, action_id, payload.done_note)
    seen = agenda.visible_ids(actor, {done.child_id} if done.child_id else set())
    return respond(action_out(done, seen))


@router.post(
    "/meetings/{meeting_id}/agenda",
    response={200: MeetingOut},
    tags=MEETINGS,
    summary="Build the agenda again from the records as they are now",
    description="Only until the meeting is held (422 after).",
)
@idempotent(atomic=False)  # the answer is an audited read of the meeting
def rebuild_agenda(request: HttpRequest, meeting_id: Id) -> HttpResponse:
    meeting_records.rebuild_agenda(actor_of(request), meeting_id)
    return _changed(request, meeting_id, 200)


@router.get(
    "/meetings/{meeting_id}/pack.pdf",
    tags=MEETINGS,
    summary="Download the meeting pack as a PDF",
    description="Details, members and attendance, the agenda as your organisation may see "
    "it, minutes, decisions and actions. An audited read.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The meeting pack",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_pack(request: HttpRequest, meeting_id: Id) -> HttpResponse:
    actor = actor_of(request)
    meeting = meetings.read_meeting(actor, meeting_id)
    response = HttpResponse(pack_pdf(actor, meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}-pack.pdf"'
    return response
