"""The meeting pack as a PDF (reportlab, in the briefing sheet's house style): the
meeting's details, its members and who came, the agenda section by section as the reader
may see it, the minutes, the decisions, and the actions with their owners and due dates.
It runs to as many pages as it needs."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.safeguarding.models import Meeting
from homeward.safeguarding.services import agenda, agenda_shown, meetings
from homeward.safeguarding.views.briefing_pdf import MARGIN, WIDTH, _para, _rows, _Styles, _when


def _attendance(member: Any) -> str:
    if member.attended is None:
        return "Not recorded"
    if member.attended:
        return "Came"
    return "Sent apologies" if member.apologies else "Did not come"


def _details(meeting: Meeting, subject: str) -> list[tuple[str, str]]:
    rows = [
        ("Kind", meeting.get_kind_display()),
        ("Council", meeting.council.name),
        ("When", _when(meeting.scheduled_for)),
        ("Where", meeting.location or "Not recorded"),
        ("Chair", meeting.chair or "Not recorded"),
        ("Status", meeting.get_status_display()),
        ("Period", f"{_when(meeting.period_start)} to {_when(meeting.period_end)}"),
    ]
    if subject:
        rows.insert(1, ("About", subject))
    if meeting.reason:
        rows.append(("Why", meeting.reason))
    return rows


def _story(actor: Actor, meeting: Meeting) -> list[Any]:
    styles = _Styles(1.0)
    names = agenda_shown.names_for(actor, meeting, agenda.child_ids(meeting))
    subject = names.child(meeting.child_id).label if meeting.child_id else ""
    story: list[Any] = [
        _para(f"{meeting.get_kind_display()}: meeting pack", styles.title),
        _para(
            f"Official sensitive. Printed {_when(clock.now())} for {actor.label}. Children your "
            "organisation may not see are not named.",
            styles.small,
        ),
        Spacer(1, 3),
        _rows(_details(meeting, subject), styles, 110, WIDTH),
        _para("Members", styles.head),
    ]
    members = meetings.members_of(meeting)
    story.append(
        _rows(
            [
                (
                    f"{m.name}",
                    f"{m.role + ', ' if m.role else ''}{m.organisation.name}: {_attendance(m)}",
                )
                for m in members
            ]
            or [("Nobody", "No members recorded")],
            styles,
            150,
            WIDTH,
        )
    )
    story.append(_para("Agenda", styles.head))
    for section in agenda_shown.shown(actor, meeting, names):
        lines = [
            f"{item.label}{': ' + item.detail if item.detail else ''}"
            + (
                f" ({', '.join(c.label for c in item.children)})"
                if len(item.children) > 1
                or (item.children and item.children[0].label != item.label)
                else ""
            )
            for item in section.items
        ] or ["Nothing in the period"]
        story.append(
            _rows([(section.title, "\n".join(f"\u2022 {x}" for x in lines))], styles, 150, WIDTH)
        )
    story += _outcomes(meeting, names, styles)
    return story


def _outcomes(meeting: Meeting, names: Any, styles: _Styles) -> list[Any]:
    story: list[Any] = [
        _para("Minutes", styles.head),
        _para(meeting.minutes or "None recorded", styles.body),
    ]
    decisions = list(meeting.decisions.order_by("recorded_at", "pk"))
    story.append(_para("Decisions", styles.head))
    story.append(
        _rows(
            [
                (
                    f"Decision {n}",
                    d.text + (f" (about {names.child(d.child_id).label})" if d.child_id else ""),
                )
                for n, d in enumerate(decisions, 1)
            ]
            or [("None", "No decisions recorded")],
            styles,
            110,
            WIDTH,
        )
    )
    actions = list(
        meeting.actions.select_related("owner", "owner_organisation").order_by("due_on", "pk")
    )
    story.append(_para("Actions", styles.head))
    rows = []
    for n, a in enumerate(actions, 1):
        owner = a.owner.get_full_name() or a.owner.get_username()
        done = f"Done {_when(a.done_at)}: {a.done_note}" if a.done_at else "Open"
        about = f" About {names.child(a.child_id).label}." if a.child_id else ""
        rows.append(
            (
                f"Action {n}",
                f"{a.text}.{about} Owner: {owner}, {a.owner_organisation.name}. "
                f"Due {a.due_on.day} {a.due_on:%B %Y}. {done}",
            )
        )
    story.append(_rows(rows or [("None", "No actions recorded")], styles, 110, WIDTH))
    return story


def pack_pdf(actor: Actor, meeting: Meeting) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{meeting.get_kind_display()}: meeting pack",
        author="Homeward",
        lang="en-GB",
    )
    doc.build(_story(actor, meeting))
    return buffer.getvalue()
