from django.test import Client

from homeward.notifications.models import Notification
from tests import factories
from tests.factories import report
from tests.notifications.conftest import drain


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inbox_shows_unread_count_and_opening_marks_read(area):
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


def test_opening_someone_elses_notification_is_404(area):
    report(area.social_worker, area.child)
    drain(fire_due_clocks=False)
    item = Notification.objects.get(recipient=area.coordinator)
    assert signed_in(area.worker).post(f"/notifications/{item.pk}/open").status_code == 404
    assert signed_in(area.worker).get(f"/notifications/{item.pk}/open").status_code in {404, 405}


def test_who_knew_page_lists_recipients_and_read_times(area):
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


def test_who_knew_for_an_episode_you_cannot_see_is_404(area):
    episode = report(area.social_worker, area.child)
    stranger = factories.member("council_missing_coordinator", factories.CouncilFactory())
    response = signed_in(stranger).get(f"/notifications/episodes/{episode.reference}/")
    assert response.status_code == 404
    assert area.child.last_name not in response.content.decode()


def test_a_council_tunes_its_thresholds_and_they_apply(area):
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
    assert "There is a problem" in body and "Enter whole numbers of hours" in body
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
