"""The page that opens a meeting: "Open the next panel" (or meeting of another kind), its
members prefilled from the council's last meeting of the kind, with blank rows to add
more (no JavaScript needed)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from homeward.core import clock
from homeward.core.errors import ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.templatetags.govuk import govuk_error_summary
from homeward.core.views import actor_of, web_view
from homeward.safeguarding.forms.meetings import MemberRows, OpenMeetingForm
from homeward.safeguarding.models import MeetingKind
from homeward.safeguarding.services import meetings


def _suggested_time(kind: str) -> datetime:
    """A panel a week ahead at 10:00 (UK), on a weekday; a strategy meeting tomorrow."""
    day = clock.now().astimezone(clock.UK).date() + timedelta(
        days=1 if kind == MeetingKind.STRATEGY else 7
    )
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=clock.UK)


def _initial(actor: Any, kind: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    members = meetings.next_members(actor, kind)
    last = meetings.last_meeting(actor.organisation, kind, held=False)
    return (
        {
            "kind": kind,
            "scheduled_for": _suggested_time(kind),
            "location": last.location if last else "",
            "chair": last.chair if last else "",
        },
        [
            {"organisation": m.organisation_id, "name": m.name, "role": m.role, "user": m.user_id}
            for m in members
        ],
    )


def _member_inputs(rows: Any) -> list[meetings.MemberInput]:
    found = []
    for form in rows.forms:
        c = form.cleaned_data
        if not (c.get("name") or c.get("organisation") or c.get("role")):
            continue
        found.append(
            meetings.MemberInput(
                c.get("organisation"), c.get("name") or "", c.get("role") or "", c.get("user")
            )
        )
    return found


def _row_errors(rows: Any, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Put "members-<n>-<field>" messages on the row; return the rest. The service numbers
    the rows it was given, which are the rows with anything in them."""
    filled = [
        f
        for f in rows.forms
        if any(f.cleaned_data.get(k) for k in ("name", "organisation", "role"))
    ]
    rest: dict[str, list[str]] = {}
    for key, texts in errors.items():
        name, _, tail = key.partition("-")
        index, _, field = tail.partition("-")
        if name == "members" and index.isdigit() and int(index) < len(filled):
            target = filled[int(index)]
            for text in texts:
                target.add_error(field if field in target.fields else None, text)
        else:
            rest[key] = texts
    return rest


@web_view
@require_http_methods(["GET", "POST"])
def open_meeting(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not meetings.may_hold(actor):
        raise PermissionDenied
    kind = request.GET.get("kind", MeetingKind.PANEL)
    kind = kind if kind in MeetingKind.values else MeetingKind.PANEL
    agencies = meetings.agency_choices()
    if request.method == "POST":
        form = OpenMeetingForm(request.POST)
        rows = MemberRows(request.POST, prefix="members", agencies=agencies)  # type: ignore[call-arg]
    else:
        initial, members = _initial(actor, kind)
        form = OpenMeetingForm(initial=initial)
        rows = MemberRows(initial=members, prefix="members", agencies=agencies)  # type: ignore[call-arg]
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        c = form.cleaned_data
        try:
            meeting = meetings.open_meeting(
                actor,
                meetings.MeetingInput(
                    kind=c["kind"],
                    scheduled_for=c["scheduled_for"],
                    location=c["location"],
                    chair=c["chair"],
                    child_id=c["child_id"],
                    reason=c["reason"],
                    members=_member_inputs(rows),
                ),
            )
        except ValidationFailed as failed:
            add_service_errors(form, _row_errors(rows, failed.errors))
        else:
            messages.success(request, "Meeting opened: its agenda is built from the records")
            return redirect("safeguarding:meeting", pk=meeting.pk)
    return render(
        request,
        "safeguarding/meetings/open.html",
        {
            "form": form,
            "rows": rows,
            "kind": kind,
            "nav": "meetings",
            "kind_label": MeetingKind(kind).label,
            "error_summary": govuk_error_summary(form, *rows.forms),
        },
    )
