"""The agenda builds itself from the records: a hand-built council, with the agenda it
must get worked out here item by item."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homeward.core import clock
from homeward.core.errors import ValidationFailed
from homeward.safeguarding.models import MeetingKind, MeetingStatus
from homeward.safeguarding.services import meeting_records, meetings
from tests.safeguarding.factories_meetings import agenda_world, episode, open_panel

pytestmark = pytest.mark.django_db


def test_the_first_panel_agenda_is_built_from_three_months_of_records() -> None:
    w = agenda_world()
    meeting = open_panel(w.coordinator)
    a, b, c, d = w.a.pk, w.b.pk, w.c.pk, w.d.pk
    # Worked out by hand from agenda_world():
    # A went missing 10, 30 and 50 days ago: 3 in 90 days (the default threshold); no plan.
    # B's episode 20 days ago was graded high; B has a plan.
    # C's only episode was 120 days ago (before the period); C's plan has a review open.
    # D's episode 5 days ago has no safe and well check (24 hours) and an interview due
    #   two days ago; D has no plan.
    # E is another council's: never on K's agenda.
    # Quentin is linked to A and B (two children); Rory only to A.
    # Notice CAWN-T1 (to Quentin, about A) was issued 10 days ago and breached 5 days ago.
    # The bandstand: A, B and D found there in the period, nobody before: rising.
    expected = [
        {"key": f"repeat:{a}", "section": "repeat", "child": a, "count": 3, "days": 90},
        {
            "key": f"high_risk:{w.b_high.reference}",
            "section": "high_risk",
            "child": b,
            "episode": w.b_high.reference,
        },
        {"key": f"no_plan:{a}", "section": "no_plan", "child": a},
        {"key": f"no_plan:{d}", "section": "no_plan", "child": d},
        {
            "key": f"plan_review:{w.c_review}",
            "section": "plan_review",
            "child": c,
            "due": meeting.agenda[4]["due"],
        },
        {
            "key": f"overdue_check:{w.d_episode.reference}",
            "section": "overdue_check",
            "child": d,
            "episode": w.d_episode.reference,
        },
        {
            "key": f"overdue_interview:{w.d_interview.pk}",
            "section": "overdue_interview",
            "child": d,
            "due": w.d_interview.due_at.isoformat(),
        },
        {
            "key": f"notice_issued:{w.notice.pk}",
            "section": "notice_issued",
            "child": None,
            "children": [a],
            "notice": w.notice.pk,
            "person": w.q.pk,
        },
        {
            "key": f"notice_breached:{w.notice.pk}",
            "section": "notice_breached",
            "child": None,
            "children": [a],
            "notice": w.notice.pk,
            "person": w.q.pk,
            "count": 1,
        },
        {
            "key": f"hotspot:place-{w.place.pk}",
            "section": "hotspot",
            "child": None,
            "hotspot": f"place-{w.place.pk}",
            "place": w.place.pk,
            "area": "AB1 2",
            "count": 3,
            "episodes": 3,
            "before": 0,
        },
        {
            "key": f"person:{w.q.pk}",
            "section": "person",
            "child": None,
            "children": sorted([a, b]),
            "person": w.q.pk,
            "count": 2,
            "new": 2,  # both links recorded today, in the period
        },
    ]
    if a > d:  # no_plan is in child id order
        expected[2], expected[3] = expected[3], expected[2]
    assert meeting.agenda == expected
    assert meeting.agenda_built_at is not None
    assert meeting.period_end - meeting.period_start > timedelta(days=89)


def test_the_next_panel_looks_back_only_to_the_last_one_held() -> None:
    w = agenda_world()
    first = open_panel(w.coordinator)
    first.status, first.held_at = MeetingStatus.HELD, clock.now() - timedelta(days=15)
    first.save()
    following = open_panel(w.coordinator)
    assert following.period_start == first.held_at
    sections = {(i["section"], i.get("child")) for i in following.agenda}
    # A: 10 days ago is in the period, and still 3 in 90 days; B's high-risk episode (20
    # days ago) was before it; D's check and interview are still overdue.
    assert ("repeat", w.a.pk) in sections
    assert ("high_risk", w.b.pk) not in sections
    assert ("overdue_check", w.d.pk) in sections
    assert ("no_plan", w.d.pk) in sections


def test_a_strategy_meeting_keeps_only_its_childs_items() -> None:
    w = agenda_world()
    meeting = open_panel(w.coordinator, kind=MeetingKind.STRATEGY, child_id=w.d.pk)
    # D's own items; a hotspot names no child, so it is the panel's, not D's meeting's.
    assert [i["key"] for i in meeting.agenda] == [
        f"no_plan:{w.d.pk}",
        f"overdue_check:{w.d_episode.reference}",
        f"overdue_interview:{w.d_interview.pk}",
    ]


def test_the_agenda_is_rebuilt_until_the_meeting_is_held() -> None:
    w = agenda_world()
    meeting = open_panel(w.coordinator)
    episode(w.e, 1)  # another council's: nothing changes
    episode(w.c, 1, grade="high")  # C now has a high-risk episode in the period
    rebuilt = meeting_records.rebuild_agenda(w.coordinator, meeting.pk)
    assert [i["key"] for i in rebuilt.agenda if i["section"] == "high_risk"][-1].startswith(
        "high_risk:"
    )
    assert {i["child"] for i in rebuilt.agenda if i["section"] == "high_risk"} == {
        w.b.pk,
        w.c.pk,
    }
    meeting_records.hold_meeting(w.coordinator, meeting.pk)
    with pytest.raises(ValidationFailed) as failed:
        meeting_records.rebuild_agenda(w.coordinator, meeting.pk)
    assert failed.value.errors == {"status": [meetings.NOT_PLANNED]}
