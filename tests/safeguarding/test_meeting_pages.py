"""The meeting pages, driven as their users: the council's coordinator opens the next panel
(its members prefilled from the last), records who came, the minutes, a decision and an
action; the action's owner sees it in their work list and marks it done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from homeward.core import clock
from homeward.organisations.models import Role
from homeward.safeguarding.models import Meeting, MeetingAction, MeetingStatus
from homeward.safeguarding.services import meeting_actions, meetings
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_meetings import agenda_world, open_panel

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_coordinator_opens_the_next_panel_prefilled_from_the_last() -> None:
    w = agenda_world()
    last = open_panel(
        w.coordinator,
        members=[meetings.MemberInput(w.police.pk, "DS Hale", "Missing persons", None)],
    )
    last.status, last.held_at = MeetingStatus.HELD, clock.now() - timedelta(days=20)
    last.save()
    web = signed_in(user_of(w.coordinator))
    page = web.get("/meetings/open?kind=panel")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="DS Hale"' in body
    when = clock.now().astimezone(clock.UK) + timedelta(days=3)
    answer = web.post(
        "/meetings/open?kind=panel",
        {
            "kind": "panel",
            "scheduled_for_day": when.day,
            "scheduled_for_month": when.month,
            "scheduled_for_year": when.year,
            "scheduled_for_hour": "10",
            "scheduled_for_minute": "00",
            "location": "Room 2",
            "chair": "Jo Reid",
            "child_id": "",
            "reason": "",
            "members-TOTAL_FORMS": "2",
            "members-INITIAL_FORMS": "0",
            "members-0-organisation": str(w.police.pk),
            "members-0-name": "DS Hale",
            "members-0-role": "Missing persons",
            "members-1-organisation": "",
            "members-1-name": "",
            "members-1-role": "",
        },
    )
    assert answer.status_code == 302
    meeting = Meeting.objects.order_by("-pk").first()
    assert meeting is not None
    assert meeting.period_start == last.held_at
    assert list(meeting.members.values_list("name", flat=True)) == ["DS Hale"]
    page = web.get(f"/meetings/{meeting.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert w.a.full_name in body
    assert "Children over the repeat-missing threshold" in body


def test_a_decision_and_an_action_reach_the_owners_work_list() -> None:
    w = agenda_world()
    meeting = open_panel(w.coordinator)
    web = signed_in(user_of(w.coordinator))
    key = f"repeat:{w.a.pk}"
    assert (
        web.post(
            f"/meetings/{meeting.pk}/decisions",
            {"decision-text": "Refer A to the exploitation meeting", "decision-agenda_item": key},
        ).status_code
        == 302
    )
    membership = next(m for m in meeting_actions.owner_choices(meeting) if m.user_id == w.worker.pk)
    due = clock.now().astimezone(clock.UK).date() + timedelta(days=14)
    answer = web.post(
        f"/meetings/{meeting.pk}/actions",
        {
            "action-text": "Visit A at home with the youth worker",
            "action-owner": str(membership.pk),
            "action-due_on_day": due.day,
            "action-due_on_month": due.month,
            "action-due_on_year": due.year,
            "action-agenda_item": key,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    action = MeetingAction.objects.get()
    assert (action.owner_id, action.child_id, action.due_on) == (w.worker.pk, w.a.pk, due)
    worker = signed_in(w.worker)
    listed = worker.get("/meetings/actions").content.decode()
    assert "Visit A at home with the youth worker" in listed
    assert w.a.full_name in listed
    home = worker.get("/").content.decode()
    assert "Your actions from meetings" in home
    done = worker.post(f"/meetings/actions/{action.pk}/done", {"done_note": "Visited on Tuesday"})
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.done_at is not None
    assert action.done_note == "Visited on Tuesday"
    pdf = web.get(f"/meetings/{meeting.pk}/pack.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_a_decision_without_words_is_refused_on_the_page() -> None:
    w = agenda_world()
    meeting = open_panel(w.coordinator)
    web = signed_in(user_of(w.coordinator))
    answer = web.post(f"/meetings/{meeting.pk}/decisions", {"decision-text": ""})
    assert answer.status_code == 200
    assert "Enter the decision" in answer.content.decode()


def test_a_social_worker_reads_but_does_not_change_a_meeting() -> None:
    w = agenda_world()
    meeting = open_panel(w.coordinator)
    worker = signed_in(w.worker)
    assert worker.get(f"/meetings/{meeting.pk}/").status_code == 200
    assert worker.post(f"/meetings/{meeting.pk}/hold").status_code == 403
    assert worker.get("/meetings/open").status_code == 403
    stranger = signed_in(factories.member(Role.COUNCIL_MISSING_COORDINATOR, w.other))
    assert stranger.get(f"/meetings/{meeting.pk}/").status_code == 404
