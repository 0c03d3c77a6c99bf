import pytest
from django.test import Client
from pytest_django import Settings

from homeward.notifications.models import Notification
from homeward.organisations.models import User
from tests import factories
from tests.factories import report
from tests.notifications.conftest import Area, drain


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inbox_shows_unread_count_and_opening_marks_read(area: Area) -> None:
    episode = report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    client = signed_in(area.coordinator)
    page = client.get("/notifications/").content.decode()
    assert f"Reported missing: {episode.reference}" in page
    assert "You have 1 unread notification." in page
    assert '1<span class="govuk-visually-hidden"> unread</span>' in page  # header count
    item = Notification.objects.get(recipient=area.coordinator)
    response = client.post(f"/notifications/{item.pk}/open")
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.reference}/"
    item.refresh_from_db()
    assert item.read_at is not None
    assert "You have no unread notifications." in client.get("/notifications/").content.decode()


def test_opening_someone_elses_notification_is_404(area: Area) -> None:
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    item = Notification.objects.get(recipient=area.coordinator)
    assert signed_in(area.worker).post(f"/notifications/{item.pk}/open").status_code == 404
    assert signed_in(area.worker).get(f"/notifications/{item.pk}/open").status_code in {404, 405}


def test_who_knew_page_lists_recipients_and_read_times(area: Area) -> None:
    episode = report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    client = signed_in(area.coordinator)
    client.post(f"/notifications/{Notification.objects.get(recipient=area.coordinator).pk}/read")
    page = client.get(f"/notifications/episodes/{episode.reference}/").content.decode()
    assert area.home_manager.get_full_name() in page
    assert "Not read" in page  # everyone else has not read it yet
    assert page.count("Not read") == 4
    detail = client.get(f"/episodes/{episode.reference}/").content.decode()
    assert f"/notifications/episodes/{episode.reference}/" in detail


def test_who_knew_for_an_episode_you_cannot_see_is_404(area: Area) -> None:
    episode = report(area.social_worker, area.child)
    stranger = factories.member("council_missing_coordinator", factories.CouncilFactory())
    response = signed_in(stranger).get(f"/notifications/episodes/{episode.reference}/")
    assert response.status_code == 404
    assert area.child.last_name not in response.content.decode()


def test_a_council_tunes_its_thresholds_and_they_apply(area: Area) -> None:
    from homeward.notifications.rules import thresholds

    client = signed_in(area.coordinator)
    page = client.get("/notifications/rules").content.decode()
    assert 'value="2, 24, 48"' in page
    bad = client.post(
        "/notifications/rules",
        {
            "repeat_count": "3",
            "repeat_days": "90",
            "high_risk_review_hours": "two",
            "long_episode_hours": "24",
        },
    )
    body = bad.content.decode()
    assert "There is a problem" in body
    assert "Enter whole numbers of hours" in body
    client.post(
        "/notifications/rules",
        {
            "repeat_count": "4",
            "repeat_days": "30",
            "high_risk_review_hours": "1, 6",
            "long_episode_hours": "12, 24",
        },
    )
    limits = thresholds(area.child.responsible_council)
    assert (limits.repeat_count, limits.repeat_days) == (4, 30)
    assert limits.high_risk_review_hours == [1, 6]
    assert signed_in(area.worker).get("/notifications/rules").status_code == 403


# --- acting on it at 3 a.m. ---------------------------------------------------------------


def deliver_later(monkeypatch: pytest.MonkeyPatch, hours: float) -> None:
    """Run the worker's deliveries as if it got to them ``hours`` after the events."""
    from datetime import timedelta

    from homeward.core import clock

    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(hours=hours))
    drain(fire_due_clocks=False)
    monkeypatch.setattr(clock, "now", real_now)


def test_inbox_shows_when_it_happened_the_child_and_the_risk_grade(
    area: Area, monkeypatch: pytest.MonkeyPatch
) -> None:
    from homeward.audit.models import AuditEvent
    from homeward.core.templatetags.govuk import uk_datetime
    from homeward.events.models import DomainEvent

    episode = report(area.social_worker, area.child, grade="high")
    reported_at = DomainEvent.objects.get(name="episode.reported").occurred_at
    deliver_later(monkeypatch, hours=2)  # the worker was down for two hours
    item = Notification.objects.get(recipient=area.coordinator, event__name="episode.reported")
    assert item.created_at != reported_at

    page = signed_in(area.coordinator).get("/notifications/").content.decode()
    assert f"Reported missing: {episode.reference}" in page
    assert uk_datetime(reported_at) in page  # when it happened...
    assert uk_datetime(item.created_at) not in page  # ...not when the worker ran
    assert "reached your inbox 2 hours later" in page
    assert area.child.full_name in page
    assert "Missing</strong>" in page
    assert "High risk</strong>" in page
    assert AuditEvent.objects.filter(
        user=area.coordinator, action="list_result", child_id=area.child.pk
    ).exists()


def test_inbox_shows_the_grade_now_and_the_grade_it_was(area: Area) -> None:
    from homeward.episodes import services as episodes

    episode = report(area.social_worker, area.child, grade="high")
    episodes.regrade(
        area.officer, episode.reference, None, episodes.Regrading(grade="low", rationale="Seen")
    )
    drain(fire_due_clocks=False)
    page = signed_in(area.coordinator).get("/notifications/").content.decode()
    assert "Low risk</strong>" in page
    assert "High risk</strong>" not in page
    assert "graded high when this happened" in page  # on the report's notification


def test_inbox_hides_the_child_from_a_reader_who_may_no_longer_see_them(area: Area) -> None:
    from tests import factories

    episode = report(area.social_worker, area.child, grade="high")
    drain(fire_due_clocks=False)
    # The child moves out of the host council's area: it was told, but may not see them now.
    factories.place(area.child, provider=None, host=area.child.responsible_council)
    page = signed_in(area.host_coordinator).get("/notifications/").content.decode()
    assert f"Reported missing: {episode.reference}" in page
    assert area.child.first_name not in page
    assert area.child.last_name not in page
    assert "High risk" not in page


def test_inbox_says_honestly_when_notifications_are_not_going_out(area: Area) -> None:
    from homeward.notifications import heartbeat

    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    report(
        area.social_worker,
        factories.ChildFactory(responsible_council=area.child.responsible_council),
    )
    page = signed_in(area.coordinator).get("/notifications/").content.decode()
    assert "Notifications are not being sent at the moment" in page
    assert "has not been started" in page
    assert "changes are waiting" in page
    assert 'Email: <strong class="govuk-tag govuk-tag--grey">Queued</strong> not sent yet' in page

    heartbeat.start("a-live-worker")
    page = signed_in(area.coordinator).get("/notifications/").content.decode()
    assert "Notifications are not being sent" not in page
    heartbeat.stop("a-live-worker")  # the banner comes back when the worker stops
    page = signed_in(area.coordinator).get("/notifications/").content.decode()
    assert "Notifications are not being sent at the moment" in page
    assert "was last seen" in page


def test_who_was_told_shows_queued_sent_and_failed_as_they_are(
    area: Area, settings: Settings
) -> None:
    from homeward.notifications import emails
    from homeward.notifications.models import EmailDelivery
    from tests.notifications.test_email import free_port

    episode = report(area.social_worker, area.child)
    client = signed_in(area.coordinator)
    url = f"/notifications/episodes/{episode.reference}/"
    page = client.get(url).content.decode()
    # Nothing delivered yet: it says so, and does not promise "within seconds".
    assert "Waiting to be sent" in page
    assert "Reported missing" in page
    assert "Nobody has been told about this change yet." in page
    assert "within seconds" not in page
    assert "Not read" not in page

    drain(fire_due_clocks=False)
    page = client.get(url).content.decode()
    assert "Waiting to be sent" not in page
    assert page.count("not sent yet") == 5  # each email queued, none sent

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    failing = EmailDelivery.objects.get(notification__recipient=area.coordinator)
    emails.send(failing.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent = EmailDelivery.objects.get(notification__recipient=area.worker)
    emails.send(sent.pk)
    sent.refresh_from_db()
    page = client.get(url).content.decode()
    assert page.count("not sent yet") == 3
    assert "Failed</strong> 1 time; trying again" in page
    from homeward.core.templatetags.govuk import uk_datetime

    assert f"Sent {uk_datetime(sent.sent_at)}" in page
