"""The demo's multi-agency meetings: the main council's missing children panel, held last
month, with its members from each agency, who came, its minutes, decisions and actions
(one of them, owned by ``social.worker``, now overdue); and no panel opened since, so the
council's coordinator opens the next one and sees its agenda built from the demo's
records since last month's.

Written through the services (``homeward.safeguarding.services``), as a coordinator would,
then moved to last month: the service records a meeting when it happens, and the demo's
panel happened thirty days ago (its period, its agenda built for that period, and when
it was held)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.organisations.models import User
from homeward.safeguarding.models import Meeting, MeetingAction, MeetingKind
from homeward.safeguarding.services import agenda, meeting_actions, meeting_records, meetings
from homeward.seed.plan import Area

DAYS_AGO = 30


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).first()
    return Actor.for_user(user) if user is not None else None


def _member(username: str, role: str) -> meetings.MemberInput | None:
    who = _actor(username)
    if who is None or who.organisation is None or who.user is None:
        return None
    name = who.user.get_full_name() or who.user.get_username()
    return meetings.MemberInput(who.organisation.pk, name, role, who.user.pk)


def _when(area: Area) -> datetime:
    day = area.clock.today - timedelta(days=DAYS_AGO)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=clock.UK)


def write_meetings(area: Area) -> None:
    coordinator = _actor("council.coordinator")
    worker = _actor("social.worker")
    if coordinator is None or worker is None or worker.user is None:
        return
    held_at = _when(area)
    members = [
        m
        for m in (
            _member("council.coordinator", "Missing coordinator (chair)"),
            _member("social.worker", "Social worker"),
            _member("police.coordinator", "Missing persons coordinator"),
            _member("care.manager", "Registered manager"),
            _member("rhi.worker", "Return interview worker"),
        )
        if m is not None
    ]
    panel = meetings.open_meeting(
        coordinator,
        meetings.MeetingInput(
            kind=MeetingKind.PANEL,
            scheduled_for=held_at,
            location="Committee Room 2, County Hall",
            chair=members[0].name if members else "",
            members=members,
        ),
    )
    # The panel happened last month, opened a week before: its period ran to that morning.
    panel.period_start = held_at - timedelta(days=91)
    panel.period_end = held_at
    panel.created_at = held_at - timedelta(days=7)
    panel.save(update_fields=["period_start", "created_at"])
    agenda.store(panel)
    _record(coordinator, worker, panel, held_at)


def _record(coordinator: Actor, worker: Actor, panel: Meeting, held_at: datetime) -> None:
    marks = {}
    for n, m in enumerate(meetings.members_of(panel)):
        marks[m.pk] = "apologies" if n == 3 else "attended"
    meeting_records.record_attendance(coordinator, panel.pk, marks)
    meeting_records.save_minutes(
        coordinator,
        panel.pk,
        "The panel went through the children over the repeat threshold and those without "
        "a plan. Police reported two addresses linked to several children; the home asked "
        "for a joint visit. Actions below.",
    )
    first = next((i["key"] for i in panel.agenda if i.get("child")), "")
    meeting_actions.record_decision(
        coordinator,
        panel.pk,
        meeting_actions.DecisionInput(
            "Refer to the exploitation meeting (MACE) and review the plan within a week",
            first,
        ),
    )
    assert worker.user is not None
    day = held_at.astimezone(clock.UK).date()
    for text, days, owner in (
        ("Review the child's plan with the home and the police", 7, worker.user.pk),
        ("Share the two addresses with the neighbourhood team", 14, None),
        ("Visit the child at home with the youth worker", 60, worker.user.pk),
    ):
        meeting_actions.record_action(
            coordinator,
            panel.pk,
            meeting_actions.ActionInput(
                text,
                owner or (coordinator.user.pk if coordinator.user else None),
                day + timedelta(days=days),
                agenda_item=first if owner else "",
            ),
        )
    meeting_records.hold_meeting(coordinator, panel.pk)
    Meeting.objects.filter(pk=panel.pk).update(held_at=held_at + timedelta(hours=2))
    # Dates as set at the meeting: the first is past due (the worker's sweep flags it).
    MeetingAction.objects.filter(meeting=panel).update(recorded_at=held_at + timedelta(hours=2))


def counts() -> dict[str, int]:
    return {
        "meetings": Meeting.objects.count(),
        "meeting actions open": MeetingAction.objects.filter(done_at__isnull=True).count(),
    }
