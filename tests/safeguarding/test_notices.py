"""Harbouring notices (Child Abduction Warning Notices): issued by the police to an adult
about children under 16 (under 18 in care), with review and expiry dates worked out by
hand; reviewed, withdrawn, breached; the council of each child told at issue and at each
breach, through the real notification path; the worker's sweep of expiry and reviews."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.events.models import DomainEvent
from homeward.notifications import emails
from homeward.notifications.models import EmailDelivery, EmailStatus, Notification
from homeward.organisations.models import Role
from homeward.safeguarding import notice_sweep
from homeward.safeguarding.events import NoticeBreached, NoticeExpired, NoticeIssued
from homeward.safeguarding.services import notice_breaches, notice_rules, notices, persons
from tests import factories
from tests.actors import user_of
from tests.notifications.conftest import drain
from tests.notifications.test_email import Inbox, smtp
from tests.safeguarding.factories_persons import World, issue, make_place, world

pytestmark = pytest.mark.django_db
__all__ = ["smtp"]
# 10 March 2026, 10:00 in the UK (GMT).
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=clock.UK)


@pytest.fixture
def w(monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    found = world()
    Child.objects.filter(pk=found.child_a.pk).update(date_of_birth=date(2012, 5, 20))
    Child.objects.filter(pk=found.child_b.pk).update(date_of_birth=date(2009, 8, 31))
    factories.looked_after(Child.objects.get(pk=found.child_b.pk), since=date(2020, 1, 1))
    found.child_a.refresh_from_db()
    found.child_b.refresh_from_db()
    return found


def test_the_dates_follow_the_age_limits(w: World) -> None:
    # Child A, born 20 May 2012, not in care: 16 on 20 May 2028, so until 19 May 2028.
    assert notice_rules.applies_until(w.child_a, NOW.date()) == date(2028, 5, 19)
    # Child B, born 31 August 2009, in care: 18 on 31 August 2027, so until 30 August 2027.
    assert notice_rules.applies_until(w.child_b, NOW.date()) == date(2027, 8, 30)
    notice = issue(w.officer, w.person, w.child_a, w.child_b)
    assert notice.issued_on == date(2026, 3, 10)
    assert notice.expires_on == date(2028, 5, 19)  # the later of the two
    assert notice.review_on == date(2026, 9, 10)  # six months on
    assert notice.reference == f"CAWN-2026-{notice.pk:05d}"
    assert notice.force == w.force
    assert notices.read_notice(w.officer, notice.pk).status == notice_rules.LIVE


def test_a_review_after_the_expiry_is_brought_forward(w: World) -> None:
    # Child B alone, with the expiry given as 1 June 2026: the review is on the expiry.
    notice = issue(w.officer, w.person, w.child_b, expires_on=date(2026, 6, 1))
    assert notice.review_on == date(2026, 6, 1)


def test_a_child_over_the_limit_cannot_be_named(w: World) -> None:
    older = factories.ChildFactory(responsible_council=w.council_a, date_of_birth=date(2009, 8, 31))
    factories.report(w.coordinator_a, older)  # 16, not in care
    with pytest.raises(ValidationFailed) as failed:
        issue(w.officer, w.person, w.child_a, older)
    assert failed.value.errors == {
        "child_ids": [
            "Child 2: a notice can name only a child under 16, or under 18 if they are in care"
        ]
    }


def test_only_the_police_issue(w: World) -> None:
    with pytest.raises(AccessDenied):
        issue(w.coordinator_a, w.person, w.child_a)
    handler = factories.actor(Role.POLICE_CALL_HANDLER, w.force)
    with pytest.raises(AccessDenied):
        issue(handler, w.person, w.child_a)


def test_the_fields_are_checked(w: World) -> None:
    with pytest.raises(ValidationFailed) as failed:
        issue(
            w.officer,
            w.person,
            w.child_a,
            issued_on=date(2026, 3, 11),
            review_on=date(2026, 3, 1),
            reference="bad ref!",
        )
    assert failed.value.errors == {"reference": [failed.value.errors["reference"][0]]}
    with pytest.raises(ValidationFailed) as failed:
        issue(
            w.officer, w.person, w.child_a, issued_on=date(2026, 3, 11), review_on=date(2026, 3, 1)
        )
    assert failed.value.errors == {
        "issued_on": ["The date it was issued must be today or in the past"],
        "review_on": ["The review date must be after the date it was issued"],
    }
    with pytest.raises(ValidationFailed) as failed:
        issue(w.officer, w.person)
    assert failed.value.errors == {"child_ids": ["Choose at least one child the notice is about"]}


def test_each_council_sees_only_its_own_child_on_the_notice(w: World) -> None:
    notice = issue(w.officer, w.person, w.child_a, w.child_b)
    read = notices.read_notice(w.coordinator_a, notice.pk)
    assert (read.children, read.hidden_children) == ([w.child_a], 1)
    assert read.may_manage is False
    assert read.may_record_breach is False
    with pytest.raises(NotFound):
        notices.read_notice(w.coordinator_c, notice.pk)
    assert AuditEvent.objects.filter(
        action="view", object_type="child", child_id=w.child_a.pk, user=w.coordinator_a.user
    ).exists()
    assert AuditEvent.objects.filter(action="view", object_type="harbouring_notice").exists()
    # The council sees the person through the notice, too.
    assert persons.get_person(w.coordinator_a, w.person.pk) == w.person


def test_issue_tells_each_childs_council(w: World) -> None:
    worker = factories.member(Role.SOCIAL_WORKER, w.council_a)
    notice = issue(w.officer, w.person, w.child_a, w.child_b)
    events = DomainEvent.objects.filter(name=NoticeIssued.name).order_by("child_id")
    assert [e.child_id for e in events] == sorted([w.child_a.pk, w.child_b.pk])
    assert "Darvell" not in str([e.payload for e in events])
    drain(fire_due_clocks=False)
    told = Notification.objects.filter(event__name=NoticeIssued.name)
    by_user = {(n.recipient_id, n.child_id) for n in told}
    assert (user_of(w.coordinator_a).pk, w.child_a.pk) in by_user
    assert (user_of(w.coordinator_b).pk, w.child_b.pk) in by_user
    assert (user_of(w.coordinator_a).pk, w.child_b.pk) not in by_user
    assert worker.pk not in {n.recipient_id for n in told}  # not the allocated worker
    assert {n.link for n in told} == {f"/notices/{notice.pk}"}


def test_a_breach_notifies_the_council(w: World) -> None:
    notice = issue(w.officer, w.person, w.child_a)
    drain(fire_due_clocks=False)
    place = make_place(w.council_a)
    handler = factories.actor(Role.POLICE_CALL_HANDLER, w.force)
    breach = notice_breaches.record_breach(
        handler,
        notice.pk,
        {
            "child_id": w.child_a.pk,
            "occurred_at": NOW - timedelta(hours=3),
            "place_id": place.pk,
            "location": "In his car outside",
            "episode": w.episode_a.reference,
            "details": "Found together at 7am",
        },
    )
    assert (breach.child, breach.place, breach.episode) == (w.child_a, place, w.episode_a)
    event = DomainEvent.objects.get(name=NoticeBreached.name)
    assert event.child_id == w.child_a.pk
    assert event.payload["breach"] == breach.pk
    drain(fire_due_clocks=False)
    told = Notification.objects.get(event=event)
    assert told.recipient == user_of(w.coordinator_a)
    assert told.title == "Harbouring notice breached"
    assert notices.read_notice(w.coordinator_a, notice.pk).breaches == [breach]


def test_a_breach_is_checked(w: World) -> None:
    notice = issue(w.officer, w.person, w.child_a, issued_on=date(2026, 3, 1))
    with pytest.raises(ValidationFailed) as failed:
        notice_breaches.record_breach(
            w.officer,
            notice.pk,
            {"child_id": w.child_b.pk, "occurred_at": datetime(2026, 2, 1, tzinfo=clock.UK)},
        )
    assert failed.value.errors == {
        "child_id": ["Choose the child named on the notice who was with them"],
        "occurred_at": ["The notice was not in force then"],
        "location": ["Enter where the breach happened, or choose a place"],
    }
    with pytest.raises(AccessDenied):
        notice_breaches.record_breach(w.coordinator_a, notice.pk, {})


def test_review_and_withdraw(w: World) -> None:
    notice = issue(w.officer, w.person, w.child_a, issued_on=date(2025, 9, 10))
    assert notice.review_on == date(2026, 3, 10)
    assert notices.read_notice(w.officer, notice.pk).review_due is True
    reviewed = notices.review_notice(w.officer, notice.pk, {"notes": "Still needed"})
    # Reviewed today, 10 March 2026: the next review six months on, 10 September 2026.
    assert (reviewed.last_reviewed_on, reviewed.review_on) == (date(2026, 3, 10), date(2026, 9, 10))
    other = factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())
    with pytest.raises(NotFound):
        notices.withdraw_notice(other, notice.pk, {"reason": "No"})
    with pytest.raises(ValidationFailed) as failed:
        notices.withdraw_notice(w.officer, notice.pk, {})
    assert failed.value.errors == {"reason": ["Enter why the notice is withdrawn"]}
    gone = notices.withdraw_notice(w.officer, notice.pk, {"reason": "The child moved away"})
    assert (gone.withdrawn_on, notice_rules.status(gone)) == (date(2026, 3, 10), "withdrawn")
    with pytest.raises(ValidationFailed):
        notices.review_notice(w.officer, notice.pk, {})


def test_the_sweep_expires_and_reminds_once(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    coordinator = factories.member(Role.POLICE_MISSING_COORDINATOR, w.force)
    short = issue(
        w.officer, w.person, w.child_a, issued_on=date(2026, 3, 1), expires_on=date(2026, 3, 20)
    )
    long = issue(w.officer, w.person, w.child_a, issued_on=date(2026, 3, 1))
    assert long.review_on == date(2026, 9, 1)
    assert notice_sweep.sweep() == (0, 0)
    # 21 March: the first has expired (its review, on its expiry the 20th, was due first).
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 3, 21, 9, tzinfo=clock.UK))
    assert notice_sweep.sweep() == (1, 0)
    short.refresh_from_db()
    assert short.expired_on == date(2026, 3, 21)
    assert DomainEvent.objects.filter(name=NoticeExpired.name).count() == 1
    # 1 September: the second is due its review; reminded once, however often it runs.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 9, 1, 9, tzinfo=clock.UK))
    assert notice_sweep.sweep() == (0, 1)
    assert notice_sweep.sweep() == (0, 0)
    drain(fire_due_clocks=False)
    told = Notification.objects.get(event__name="safeguarding.notice_review_due")
    assert told.recipient == coordinator


def test_for_meetings_issued_and_breached_between(w: World) -> None:
    early = issue(w.officer, w.person, w.child_a, issued_on=date(2026, 2, 1))
    both = issue(w.officer, w.person, w.child_a, w.child_b, issued_on=date(2026, 3, 5))
    issue(w.officer, w.person, w.child_b, issued_on=date(2026, 3, 6))  # council B's only
    notice_breaches.record_breach(
        w.officer,
        early.pk,
        {
            "child_id": w.child_a.pk,
            "occurred_at": datetime(2026, 3, 8, 22, tzinfo=clock.UK),
            "location": "Park",
        },
    )
    found = notices.issued_between(w.council_a, since=date(2026, 3, 1), until=date(2026, 3, 10))
    assert [(n.notice_id, n.child_ids) for n in found] == [(both.pk, [w.child_a.pk])]
    breaches = notices.breached_between(
        w.council_a, since=datetime(2026, 3, 1, tzinfo=clock.UK), until=NOW
    )
    assert [(b.notice_id, b.child_id) for b in breaches] == [(early.pk, w.child_a.pk)]
    assert notices.breached_between(w.council_b, since=date(2026, 3, 1), until=NOW) == []


def test_the_breach_email_reaches_the_council_without_names(w: World, smtp: Inbox) -> None:
    notice = issue(w.officer, w.person, w.child_a)
    drain(fire_due_clocks=False)
    EmailDelivery.objects.all().delete()
    notice_breaches.record_breach(
        w.officer,
        notice.pk,
        {"child_id": w.child_a.pk, "occurred_at": NOW - timedelta(hours=1), "location": "Flat 3"},
    )
    drain(fire_due_clocks=False)
    for delivery in EmailDelivery.objects.all():
        assert emails.send(delivery.pk) == EmailStatus.SENT
    assert {to for tos, _ in smtp.messages for to in tos} == {user_of(w.coordinator_a).email}
    for _, content in smtp.messages:
        assert w.child_a.last_name not in content
        assert "Oxenholme" not in content
        assert "Flat 3" not in content
