"""Meetings' services: the escalation rules open a strategy meeting (once a cause, the
coordinator told); attendees see identities only where their organisation may; the pack
PDF reads back; actions are tracked until done and flagged once when overdue."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from homeward.audit.models import AuditEvent
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.notifications.models import Notification
from homeward.organisations.models import Role
from homeward.safeguarding.events import ActionOverdue, ActionRecorded, MeetingOpened
from homeward.safeguarding.models import Meeting, MeetingKind, MeetingStatus
from homeward.safeguarding.services import (
    agenda_shown,
    meeting_actions,
    meeting_records,
    meetings,
)
from homeward.safeguarding.views.meeting_pdf import pack_pdf
from tests import factories
from tests.actors import user_of
from tests.notifications.conftest import drain
from tests.safeguarding.factories_meetings import agenda_world, open_panel
from tests.safeguarding.factories_plan import returned, world

pytestmark = pytest.mark.django_db


# --- escalation --------------------------------------------------------------------------


def test_a_high_risk_report_opens_a_strategy_meeting_with_its_agenda_once() -> None:
    w = world()
    episode = factories.report(w.social_worker, w.child, grade="high")
    meeting = Meeting.objects.get(kind=MeetingKind.STRATEGY)
    assert (meeting.council, meeting.child, meeting.source_key) == (
        w.council,
        w.child,
        f"strategy:high_risk:{episode.reference}",
    )
    assert meeting.reason == f"Episode {episode.reference} graded high risk"
    assert [i["key"] for i in meeting.agenda] == [
        f"high_risk:{episode.reference}",
        f"no_plan:{w.child.pk}",
    ]
    assert [m.user_id for m in meeting.members.all()] == [w.coordinator.pk]
    drain(fire_due_clocks=False)
    told = Notification.objects.filter(event__name=MeetingOpened.name)
    assert [(n.recipient_id, n.link) for n in told] == [
        (w.coordinator.pk, f"/meetings/{meeting.pk}/")
    ]
    # A second high-risk episode while the strategy meeting is planned opens no other.
    factories.report(w.social_worker, w.child, grade="high", hours_ago=1)
    assert Meeting.objects.filter(kind=MeetingKind.STRATEGY).count() == 1


def test_the_repeat_threshold_opens_a_strategy_meeting() -> None:
    w = world()
    for hours in (200, 120, 40):
        returned(w.social_worker, w.child, hours_ago=hours)
    drain(fire_due_clocks=False)
    meeting = Meeting.objects.get(kind=MeetingKind.STRATEGY)
    assert meeting.reason == "Repeat missing: 3 episodes in 90 days"
    assert meeting.source_key is not None
    assert meeting.source_key.startswith("strategy:repeat:")
    assert meeting.agenda[0] == {
        "key": f"repeat:{w.child.pk}",
        "section": "repeat",
        "child": w.child.pk,
        "count": 3,
        "days": 90,
    }
    assert meetings.open_for_escalation(w.child, meeting.source_key, "again") is None


# --- identities --------------------------------------------------------------------------


def test_a_member_from_an_agency_that_may_not_see_a_child_sees_no_name() -> None:
    w = agenda_world()
    far = factories.PoliceForceFactory()
    meeting = open_panel(
        w.coordinator,
        members=[meetings.MemberInput(far.pk, "DS Far", "Missing persons", None)],
    )
    officer = factories.actor(Role.POLICE_OFFICER, far)
    read = meetings.read_meeting(officer, meeting.pk)
    sections = {s.key: s for s in agenda_shown.shown(officer, read)}
    repeat = sections["repeat"].items[0]
    assert repeat.label == "A child (not visible to your organisation)"
    assert repeat.children == [
        agenda_shown.ShownChild("A child (not visible to your organisation)")
    ]
    assert sections["high_risk"].items[0].episode == ""
    assert (
        sections["person"].items[0].label
        == "A person of concern (not visible to your organisation)"
    )
    text = _pdf_text(pack_pdf(officer, read))
    for child in (w.a, w.b, w.c, w.d):
        assert child.last_name not in text
    assert "Quentin Marsh" not in text
    # The council's coordinator sees every name; the read is audited child by child.
    mine = {
        s.key: s
        for s in agenda_shown.shown(w.coordinator, meetings.read_meeting(w.coordinator, meeting.pk))
    }
    assert mine["repeat"].items[0].label == w.a.full_name
    assert mine["person"].items[0].label == "Quentin Marsh"
    assert set(
        AuditEvent.objects.filter(user=user_of(w.coordinator), object_type="child").values_list(
            "child_id", flat=True
        )
    ) == {w.a.pk, w.b.pk, w.c.pk, w.d.pk}
    assert not AuditEvent.objects.filter(user=user_of(officer), object_type="child").exists()


def test_an_organisation_with_no_member_cannot_read_the_meeting() -> None:
    w = agenda_world()
    meeting = open_panel(w.coordinator)
    with pytest.raises(NotFound):
        meetings.read_meeting(
            factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory()), meeting.pk
        )
    with pytest.raises(AccessDenied):
        meeting_records.hold_meeting(Actor.for_user(w.worker), meeting.pk)


# --- the pack --------------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )


def test_the_pack_reads_back() -> None:
    w = agenda_world()
    meeting = open_panel(
        w.coordinator,
        days_ahead=-0.1,
        members=[
            meetings.MemberInput(w.police.pk, "DS Hale", "Missing persons", None),
            meetings.MemberInput(w.council.pk, "Jo Reid", "Coordinator", None),
        ],
    )
    hale, reid = meetings.members_of(meeting)
    meeting_records.record_attendance(
        w.coordinator, meeting.pk, {hale.pk: "attended", reid.pk: "apologies"}
    )
    meeting_records.save_minutes(w.coordinator, meeting.pk, "The panel reviewed four children.")
    meeting_actions.record_decision(
        w.coordinator,
        meeting.pk,
        meeting_actions.DecisionInput("Refer to MACE", f"repeat:{w.a.pk}"),
    )
    due = clock.now().astimezone(clock.UK).date() + timedelta(days=10)
    meeting_actions.record_action(
        w.coordinator,
        meeting.pk,
        meeting_actions.ActionInput(
            "Visit at home", w.worker.pk, due, agenda_item=f"repeat:{w.a.pk}"
        ),
    )
    meeting_records.hold_meeting(w.coordinator, meeting.pk)
    text = _pdf_text(pack_pdf(w.coordinator, meetings.read_meeting(w.coordinator, meeting.pk)))
    for expected in (
        "Missing children panel: meeting pack",
        "Room 4, County Hall",
        "Jo Reid, missing coordinator",
        "DS Hale",
        "Came",
        "Sent apologies",
        "Children over the repeat-missing threshold",
        f"{w.a.full_name}: 3 episodes in 90 days",
        "Notice CAWN-T1, to Quentin Marsh",
        "Riverside bandstand",
        "The panel reviewed four children.",
        "Refer to MACE",
        "Visit at home",
        "Owner: Sam Okafor",
        f"Due {due.day} {due:%B %Y}",
        "Held",
    ):
        assert expected in text, expected


# --- actions --------------------------------------------------------------------------------


def test_an_action_is_told_to_its_owner_tracked_and_flagged_once_when_overdue() -> None:
    w = agenda_world()
    meeting = open_panel(w.coordinator)
    today = clock.now().astimezone(clock.UK).date()
    action = meeting_actions.record_action(
        w.coordinator,
        meeting.pk,
        meeting_actions.ActionInput("Ring the school", w.worker.pk, today),
    )
    assert action.owner_organisation_id == w.council.pk
    assert meeting_actions.flag_overdue(today) == 0  # due today: not yet overdue
    assert meeting_actions.flag_overdue(today + timedelta(days=1)) == 1
    assert meeting_actions.flag_overdue(today + timedelta(days=2)) == 0  # flagged once
    drain(fire_due_clocks=False)
    told = Notification.objects.filter(
        recipient=w.worker, event__name__in=[ActionRecorded.name, ActionOverdue.name]
    )
    assert sorted(told.values_list("event__name", flat=True)) == sorted(
        [ActionRecorded.name, ActionOverdue.name]
    )
    assert {n.link for n in told} == {"/meetings/actions"}
    assert [a.pk for a in meeting_actions.my_actions(Actor.for_user(w.worker))] == [action.pk]
    with pytest.raises(ValidationFailed) as empty:
        meeting_actions.mark_done(Actor.for_user(w.worker), action.pk, " ")
    assert empty.value.errors == {"done_note": ["Enter what was done"]}
    meeting_actions.mark_done(Actor.for_user(w.worker), action.pk, "Rang them")
    assert meeting_actions.my_actions(Actor.for_user(w.worker)) == []


def test_an_action_needs_an_owner_from_the_meeting_and_a_due_date() -> None:
    w = agenda_world()
    meeting = open_panel(w.coordinator)
    outsider = factories.member(Role.SOCIAL_WORKER, w.other)
    with pytest.raises(ValidationFailed) as failed:
        meeting_actions.record_action(
            w.coordinator, meeting.pk, meeting_actions.ActionInput("", outsider.pk, None)
        )
    assert failed.value.errors == {
        "text": ["Enter the action"],
        "due_on": ["Enter the date it is due"],
        "owner": ["Select someone at the council or at an agency with a member at the meeting"],
    }


def test_a_held_or_cancelled_meeting_is_not_changed_again() -> None:
    w = agenda_world()
    meeting = open_panel(w.coordinator)
    meeting_records.cancel_meeting(w.coordinator, meeting.pk, "The chair is ill")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CANCELLED
    with pytest.raises(ValidationFailed):
        meeting_records.save_minutes(w.coordinator, meeting.pk, "Too late")
    future = open_panel(w.coordinator, days_ahead=3)
    with pytest.raises(ValidationFailed) as early:
        meeting_records.hold_meeting(w.coordinator, future.pk)
    assert "not started yet" in early.value.errors["status"][0]
