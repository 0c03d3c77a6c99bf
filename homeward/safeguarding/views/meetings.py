"""Pages of multi-agency meetings: the council's meetings, opening the next one (its
members prefilled from the last), one meeting (its agenda, members and who came, minutes,
decisions and actions, each a form of its own posted to its own address), its pack as a
PDF, and the owner's actions (their work list) with marking one done.

Thin: the services check who may read and who may change, and audit every read. Every
form posts without JavaScript; a form with a problem is drawn again on the meeting page
with its messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from homeward.audit import services as audit
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.safeguarding.forms.meetings import (
    ActionDoneForm,
    ActionForm,
    AddMemberForm,
    AttendanceForm,
    CancelForm,
    DecisionForm,
    MinutesForm,
)
from homeward.safeguarding.models import Meeting, MeetingStatus
from homeward.safeguarding.services import (
    agenda,
    agenda_shown,
    meeting_actions,
    meeting_records,
    meetings,
)
from homeward.safeguarding.views import meeting_open
from homeward.safeguarding.views.meeting_pdf import pack_pdf

TEMPLATES = "safeguarding/meetings"
LIST_LIMIT = 200


@web_view
@require_http_methods(["GET"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    found = list(meetings.list_meetings(actor)[:LIST_LIMIT])
    return render(
        request,
        f"{TEMPLATES}/list.html",
        {"meetings": found, "may_hold": meetings.may_hold(actor), "nav": "meetings"},
    )


def _forms(actor: Actor, meeting: Meeting, data: Any = None, which: str = "") -> dict[str, Any]:
    """Every form of the meeting page: the one posted (``which``) bound to ``data``."""
    members = meetings.members_of(meeting)
    items = agenda_shown.item_labels(actor, meeting)
    owners = meeting_actions.owner_choices(meeting)
    agencies = meetings.agency_choices()

    def bound(name: str) -> Any:
        return data if which == name else None

    return {
        "attendance_form": AttendanceForm(bound("attendance"), members=members),
        "member_form": AddMemberForm(bound("member"), agencies=agencies),
        "minutes_form": MinutesForm(bound("minutes"), initial={"minutes": meeting.minutes}),
        "decision_form": DecisionForm(bound("decision"), items=items),
        "action_form": ActionForm(bound("action"), items=items, owners=owners),
        "cancel_form": CancelForm(bound("cancel")),
        "members": members,
        "owners": {m.pk: m for m in owners},
    }


def _page(
    request: HttpRequest, actor: Actor, meeting: Meeting, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    names = agenda_shown.names_for(actor, meeting, agenda.child_ids(meeting))
    decisions = list(meeting.decisions.select_related("recorded_by").order_by("recorded_at"))
    actions = list(
        meeting.actions.select_related("owner", "owner_organisation").order_by("due_on", "pk")
    )
    may_change = meetings.may_hold(actor, meeting.council_id)
    return render(
        request,
        f"{TEMPLATES}/meeting.html",
        {
            "meeting": meeting,
            "sections": agenda_shown.shown(actor, meeting, names),
            "subject": names.child(meeting.child_id) if meeting.child_id else None,
            "decisions": [(d, names.child(d.child_id) if d.child_id else None) for d in decisions],
            "actions": [
                (
                    a,
                    names.child(a.child_id) if a.child_id else None,
                    meeting_actions.is_overdue(a),
                    meeting_actions.may_mark_done(actor, a),
                )
                for a in actions
            ],
            "may_change": may_change and meeting.status != MeetingStatus.CANCELLED,
            "planned": meeting.status == MeetingStatus.PLANNED,
            "nav": "meetings",
            **forms,
        },
        status=status,
    )


@web_view
@require_http_methods(["GET"])
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    meeting = meetings.read_meeting(actor, pk)
    return _page(request, actor, meeting, _forms(actor, meeting))


def _post(request: HttpRequest, pk: int, which: str, save: Any, done: str) -> HttpResponse:
    """Validate the posted form, hand it to ``save(actor, meeting, form)``; on a problem
    draw the meeting page again with the messages on the form."""
    actor = actor_of(request)
    meeting = meetings.read_meeting(actor, pk)
    if not meetings.may_hold(actor, meeting.council_id):
        raise PermissionDenied
    forms = _forms(actor, meeting, request.POST, which)
    form = forms.get(f"{which}_form")
    if form is None or form.is_valid():
        try:
            save(actor, meeting, form)
        except ValidationFailed as failed:
            if form is None:
                for texts in failed.errors.values():
                    for text in texts:
                        messages.error(request, text)
                return redirect("safeguarding:meeting", pk=meeting.pk)
            add_service_errors(form, failed.errors)
        else:
            messages.success(request, done)
            return redirect("safeguarding:meeting", pk=meeting.pk)
    return _page(request, actor, meetings.read_meeting(actor, pk), forms)


@web_view
@require_http_methods(["POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "attendance",
        lambda a, m, f: meeting_records.record_attendance(a, m.pk, f.marks()),
        "Attendance saved",
    )


@web_view
@require_http_methods(["POST"])
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    def save(actor: Actor, meeting: Meeting, form: Any) -> None:
        c = form.cleaned_data
        meeting_records.add_member(
            actor,
            meeting.pk,
            meetings.MemberInput(c["organisation"], c["name"], c["role"], None),
        )

    return _post(request, pk, "member", save, "Member added")


@web_view
@require_http_methods(["POST"])
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "minutes",
        lambda a, m, f: meeting_records.save_minutes(a, m.pk, f.cleaned_data["minutes"]),
        "Minutes saved",
    )


@web_view
@require_http_methods(["POST"])
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    def save(actor: Actor, meeting: Meeting, form: Any) -> None:
        c = form.cleaned_data
        meeting_actions.record_decision(
            actor, meeting.pk, meeting_actions.DecisionInput(c["text"], c["agenda_item"])
        )

    return _post(request, pk, "decision", save, "Decision recorded")


@web_view
@require_http_methods(["POST"])
def action(request: HttpRequest, pk: int) -> HttpResponse:
    def save(actor: Actor, meeting: Meeting, form: Any) -> None:
        c = form.cleaned_data
        owner = _owners(actor, meeting).get(c["owner"])
        meeting_actions.record_action(
            actor,
            meeting.pk,
            meeting_actions.ActionInput(
                text=c["text"],
                owner_id=owner.user_id if owner else None,
                owner_organisation_id=owner.organisation_id if owner else None,
                due_on=c["due_on"],
                agenda_item=c["agenda_item"],
            ),
        )

    return _post(request, pk, "action", save, "Action recorded")


def _owners(actor: Actor, meeting: Meeting) -> dict[int, Any]:  # noqa: ARG001
    return {m.pk: m for m in meeting_actions.owner_choices(meeting)}


@web_view
@require_http_methods(["POST"])
def hold(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "hold",
        lambda a, m, f: meeting_records.hold_meeting(a, m.pk),
        "Meeting recorded as held",
    )


@web_view
@require_http_methods(["POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "cancel",
        lambda a, m, f: meeting_records.cancel_meeting(a, m.pk, f.cleaned_data["reason"]),
        "Meeting cancelled",
    )


@web_view
@require_http_methods(["POST"])
def rebuild(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "agenda",
        lambda a, m, f: meeting_records.rebuild_agenda(a, m.pk),
        "Agenda built again from the records as they are now",
    )


@web_view
@require_http_methods(["GET"])
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    meeting = meetings.read_meeting(actor, pk)
    response = HttpResponse(pack_pdf(actor, meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="meeting-{meeting.pk}-pack.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- the owner's actions -------------------------------------------------------------------


@web_view
@require_http_methods(["GET"])
def my_actions(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    found = meeting_actions.my_actions(actor)
    seen = agenda.visible_ids(actor, {a.child_id for a in found if a.child_id})
    audit.record_many_reads(actor, "child", sorted(seen), action="list_result")
    rows = [
        (
            a,
            a.child.full_name if a.child_id in seen and a.child else "",
            meeting_actions.is_overdue(a),
        )
        for a in found
    ]
    return render(request, f"{TEMPLATES}/my_actions.html", {"rows": rows, "nav": "work"})


@web_view
@require_http_methods(["GET", "POST"])
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    found = meeting_actions.get_action(actor, pk)
    if not meeting_actions.may_mark_done(actor, found):
        raise PermissionDenied
    form = ActionDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_actions.mark_done(actor, found.pk, form.cleaned_data["done_note"])
        except ValidationFailed as failed:
            add_service_errors(form, failed.errors)
        else:
            messages.success(request, "Action marked done")
            return redirect("safeguarding:meeting-actions")
    return render(
        request,
        f"{TEMPLATES}/action_done.html",
        {
            "action": found,
            "form": form,
            "overdue": meeting_actions.is_overdue(found),
            "nav": "work",
        },
    )


urlpatterns: list[URLPattern] = [
    path("meetings/", meeting_list, name="meetings"),
    path("meetings/open", meeting_open.open_meeting, name="meeting-open"),
    path("meetings/actions", my_actions, name="meeting-actions"),
    path("meetings/actions/<int:pk>/done", action_done, name="meeting-action-done"),
    path("meetings/<int:pk>/", meeting_page, name="meeting"),
    path("meetings/<int:pk>/attendance", attendance, name="meeting-attendance"),
    path("meetings/<int:pk>/members", add_member, name="meeting-add-member"),
    path("meetings/<int:pk>/minutes", minutes, name="meeting-minutes"),
    path("meetings/<int:pk>/decisions", decision, name="meeting-decision"),
    path("meetings/<int:pk>/actions", action, name="meeting-action"),
    path("meetings/<int:pk>/hold", hold, name="meeting-hold"),
    path("meetings/<int:pk>/cancel", cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/agenda", rebuild, name="meeting-rebuild"),
    path("meetings/<int:pk>/pack.pdf", pack, name="meeting-pack"),
]
