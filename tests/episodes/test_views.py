"""The open-episodes page, reporting a child missing, and every change to an episode,
through the web pages: what a user sees, and that nothing is saved when it should not be."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services
from homeward.episodes.models import (
    Episode,
    EpisodeStatus,
    ReturnMethod,
    RiskAssessment,
    TimelineEntry,
)
from homeward.organisations.models import Organisation, Role, User
from tests import factories
from tests.responses import ClientResponse

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")


def text(response: ClientResponse) -> str:
    return response.content.decode()


def when(field: str, value: datetime) -> dict[str, str]:
    local = value.astimezone(UK)
    return {
        f"{field}_day": str(local.day),
        f"{field}_month": str(local.month),
        f"{field}_year": str(local.year),
        f"{field}_hour": str(local.hour),
        f"{field}_minute": f"{local.minute:02d}",
    }


def report_data(**overrides: str) -> dict[str, str]:
    data = {
        "classification": "M",
        **when("last_seen_at", clock.now() - timedelta(hours=2)),
        "last_seen_location": "Outside the leisure centre",
        "missing_from": "home",
        "reporter_type": "parent",
        "reporter_name": "",
        "risk_grade": "medium",
        "risk_rationale": "Has been missing before; left after an argument",
        "circumstances": "",
        "clothing": "Blue coat",
        "police_reference": "",
    }
    data.update(overrides)
    return data


def version_in(body: str) -> int:
    match = re.search(r'name="version" value="(\d+)"', body)
    assert match, "no version field on the form"
    return int(match.group(1))


@pytest.fixture
def worker_client(client: Client, council: Organisation) -> Client:
    client.force_login(factories.member(Role.SOCIAL_WORKER, council))
    return client


@pytest.fixture
def officer(police: Organisation) -> User:
    return factories.member(Role.POLICE_OFFICER, police, first_name="Tom", last_name="Hale")


@pytest.fixture
def officer_client(client: Client, officer: User) -> Client:
    client.force_login(officer)
    return client


@pytest.fixture
def episode(social_worker: Actor, child: Child) -> Episode:
    return factories.report(social_worker, child, hours_ago=5)


# --- home -------------------------------------------------------------------------------


def test_home_lists_missing_then_returned_not_closed(
    worker_client: Client, council: Organisation, social_worker: Actor
) -> None:
    missing_child = factories.ChildFactory(responsible_council=council, last_name="Missingly")
    returned_child = factories.ChildFactory(responsible_council=council, last_name="Backhome")
    closed_child = factories.ChildFactory(responsible_council=council, last_name="Closedon")
    missing = factories.report(social_worker, missing_child, hours_ago=30, grade="high")
    returned = factories.report(social_worker, returned_child, hours_ago=10)
    services.record_return(
        social_worker,
        returned.reference,
        returned.version,
        services.Return(clock.now() - timedelta(hours=1), ReturnMethod.RETURNED_SELF),
    )
    closed = factories.report(social_worker, closed_child, hours_ago=50)
    closed = services.record_return(
        social_worker,
        closed.reference,
        closed.version,
        services.Return(clock.now() - timedelta(hours=40), ReturnMethod.RETURNED_SELF),
    )
    factories.record_aftercare(closed)
    services.close_episode(social_worker, closed.reference, None)
    far = factories.ChildFactory(last_name="Otherplace")
    elsewhere = factories.report(factories.actor(Role.SOCIAL_WORKER, far.responsible_council), far)

    body = text(worker_client.get("/"))
    assert "Missing now (1)" in body
    assert "Returned, not yet closed (1)" in body
    assert body.index("Missingly") < body.index("Returned, not yet closed") < body.index("Backhome")
    assert f'href="/episodes/{missing.reference}/"' in body
    assert "High risk" in body
    assert "1 day 6 hours" in body  # how long missing
    assert "Closedon" not in body
    assert closed.reference not in body
    assert "Otherplace" not in body
    assert elsewhere.reference not in body
    listed = set(AuditEvent.objects.filter(action="list_result").values_list("child_id", flat=True))
    assert listed == {missing_child.pk, returned_child.pk}


def test_home_offers_find_and_add_to_council_roles(worker_client: Client) -> None:
    body = text(worker_client.get("/"))
    assert 'href="/children/"' in body
    assert 'href="/children/add"' in body


# --- reporting ----------------------------------------------------------------------------


def test_report_form_has_every_field(worker_client: Client, child: Child) -> None:
    body = text(worker_client.get(f"/children/{child.pk}/report-missing"))
    for name in (
        "classification",
        "last_seen_at_day",
        "last_seen_at_minute",
        "last_seen_location",
        "missing_from",
        "reporter_type",
        "reporter_name",
        "reported_at_day",
        "risk_grade",
        "risk_rationale",
        "circumstances",
        "clothing",
        "police_reference",
    ):
        assert f'name="{name}"' in body, name
    assert child.full_name in body


def test_reporting_opens_an_episode(worker_client: Client, child: Child) -> None:
    response = worker_client.post(f"/children/{child.pk}/report-missing", report_data())
    episode = Episode.objects.get(child=child)
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.reference}/"
    assert episode.clothing == "Blue coat"
    assert episode.risk_grade == "medium"
    assert abs(episode.reported_at - clock.now()) < timedelta(minutes=1)
    body = text(worker_client.get(response["Location"]))
    assert f"Episode {episode.reference} has been created" in body
    assert "govuk-notification-banner--success" in body


def test_last_seen_is_read_as_uk_time(worker_client: Client, child: Child) -> None:
    data = report_data(**when("last_seen_at", datetime(2025, 7, 1, 21, 30, tzinfo=UK)))
    worker_client.post(f"/children/{child.pk}/report-missing", data)
    episode = Episode.objects.get(child=child)
    assert episode.last_seen_at == datetime(2025, 7, 1, 20, 30, tzinfo=ZoneInfo("UTC"))
    assert "1 July 2025 at 21:30" in text(worker_client.get(f"/episodes/{episode.reference}/"))


def test_invalid_report_names_each_problem_and_saves_nothing(
    worker_client: Client, child: Child
) -> None:
    response = worker_client.post(
        f"/children/{child.pk}/report-missing",
        report_data(
            classification="",
            last_seen_location="",
            risk_rationale="",
            last_seen_at_year="",
        ),
    )
    body = text(response)
    assert response.status_code == 200
    assert "<title>Error: Report a child missing - Homeward</title>" in body
    assert (
        '<a href="#id_classification_0">Select missing or away from placement without '
        "authorisation</a>" in body
    )
    assert (
        '<a href="#id_last_seen_at_year">When the child was last seen must include a year' in body
    )
    assert '<a href="#id_last_seen_location">Enter where the child was last seen</a>' in body
    assert '<a href="#id_risk_rationale">Enter the reason for the risk grade</a>' in body
    # What was typed is kept.
    assert 'value="Outside the leisure centre"' not in body  # that one was blanked
    assert "Blue coat" in body
    assert not Episode.objects.exists()


def test_future_last_seen_is_refused_by_the_service(worker_client: Client, child: Child) -> None:
    data = report_data(**when("last_seen_at", clock.now() + timedelta(days=1)))
    body = text(worker_client.post(f"/children/{child.pk}/report-missing", data))
    assert (
        '<a href="#id_last_seen_at_day">When the child was last seen cannot be in the future</a>'
        in body
    )
    assert not Episode.objects.exists()


def test_impossible_time_is_refused(worker_client: Client, child: Child) -> None:
    body = text(
        worker_client.post(
            f"/children/{child.pk}/report-missing", report_data(last_seen_at_hour="25")
        )
    )
    assert "must be a real time on the 24-hour clock" in body
    assert '<a href="#id_last_seen_at_hour">' in body
    assert not Episode.objects.exists()


def test_time_skipped_by_the_clocks_is_refused(worker_client: Client, child: Child) -> None:
    data = report_data(**when("last_seen_at", datetime(2025, 3, 30, 3, 0, tzinfo=UK)))
    data.update(last_seen_at_hour="1", last_seen_at_minute="30")
    body = text(worker_client.post(f"/children/{child.pk}/report-missing", data))
    assert "clocks went forward" in body
    assert not Episode.objects.exists()


def test_away_applies_only_to_looked_after_children(worker_client: Client, child: Child) -> None:
    body = text(
        worker_client.post(f"/children/{child.pk}/report-missing", report_data(classification="A"))
    )
    assert "applies only to a looked-after child" in body
    assert 'href="#id_classification_0"' in body
    assert not Episode.objects.exists()


def test_second_report_joins_the_open_episode(
    worker_client: Client, child: Child, episode: Episode
) -> None:
    response = worker_client.post(f"/children/{child.pk}/report-missing", report_data())
    assert response["Location"] == f"/episodes/{episode.reference}/"
    assert Episode.objects.filter(child=child).count() == 1
    body = text(worker_client.get(response["Location"]))
    assert "already missing" in body
    assert f"added to the timeline of open episode {episode.reference}" in body
    assert "Further report" in body
    assert TimelineEntry.objects.filter(episode=episode, kind="further_report").exists()


def test_board_member_can_neither_report_nor_see_the_child(
    client: Client, council: Organisation
) -> None:
    child = factories.ChildFactory(
        first_name="Evangelina", last_name="Thistlewood", responsible_council=council
    )
    client.force_login(factories.member(Role.BOARD_MEMBER, council))
    response = client.post(f"/children/{child.pk}/report-missing", report_data())
    assert response.status_code == 404
    assert "Thistlewood" not in text(response)
    assert "Evangelina" not in text(response)
    assert not Episode.objects.exists()


# --- the episode page ---------------------------------------------------------------------


def test_episode_page_shows_everything(
    worker_client: Client,
    social_worker: Actor,
    council: Organisation,
    episode: Episode,
    officer: User,
) -> None:
    police_actor = Actor.for_user(officer)
    episode = services.regrade(
        police_actor,
        episode.reference,
        episode.version,
        services.Regrading(
            grade="high",
            rationale="Seen with an adult of concern",
            information_used="CCTV at the station",
            information_source="British Transport Police",
            information_obtained_at=clock.now() - timedelta(hours=1),
        ),
    )
    friend = factories.report(
        social_worker, factories.ChildFactory(responsible_council=council, last_name="Friendly")
    )
    far = factories.ChildFactory(last_name="Unseeable")
    hidden = factories.report(factories.actor(Role.SOCIAL_WORKER, far.responsible_council), far)
    episode.went_missing_with.add(friend, hidden)

    response = worker_client.get(f"/episodes/{episode.reference}/")
    body = text(response)
    assert response.status_code == 200
    assert f"Episode {episode.reference}" in body
    assert "Missing</strong>" in body
    assert "High risk" in body
    for fact in (
        "Seen with an adult of concern",
        "CCTV at the station",
        "Supplied by British Transport Police",
        "Tom Hale",
        "No previous episodes; upset at home",  # the first grading's rationale
        "Initial report",  # classification history
        "Risk re-graded from medium to high",  # timeline
        "Outside the bus station",
    ):
        assert fact in body, fact
    assert f'href="/episodes/{friend.reference}/"' in body
    assert "Friendly" in body
    assert "Unseeable" not in body
    assert hidden.reference not in body
    assert "1 other child whose record you cannot see" in body
    assert AuditEvent.objects.filter(
        action="view", object_type="episode", object_id=episode.reference
    ).exists()


def test_another_councils_episode_is_not_found(worker_client: Client) -> None:
    stranger = factories.ChildFactory(first_name="Ottoline", last_name="Pemberley")
    other = factories.report(
        factories.actor(Role.SOCIAL_WORKER, stranger.responsible_council), stranger
    )
    for suffix in ("", "risk", "return", "close", "details"):
        response = worker_client.get(f"/episodes/{other.reference}/{suffix}")
        body = text(response)
        assert response.status_code == 404, suffix
        assert "Ottoline" not in body
        assert "Pemberley" not in body
    response = worker_client.post(
        f"/episodes/{other.reference}/risk",
        {"version": other.version, "grade": "low", "rationale": "x"},
    )
    assert response.status_code == 404
    assert RiskAssessment.objects.filter(episode=other).count() == 1


def test_actions_offered_follow_the_role(
    client: Client, council: Organisation, child: Child, social_worker: Actor
) -> None:
    home = factories.CareProviderFactory(area_council=council)
    factories.place(child, provider=home)
    episode = factories.report(social_worker, child)
    client.force_login(factories.member(Role.CARE_STAFF, home))
    body = text(client.get(f"/episodes/{episode.reference}/"))
    assert "Record return or found" in body
    assert "Re-grade risk" not in body
    assert client.get(f"/episodes/{episode.reference}/risk").status_code == 403
    response = client.post(
        f"/episodes/{episode.reference}/risk",
        {"version": episode.version, "grade": "high", "rationale": "Because"},
    )
    assert response.status_code == 403
    assert "You do not have permission to do this" in text(response)
    assert RiskAssessment.objects.filter(episode=episode).count() == 1


def test_police_officer_sees_regrade(
    officer_client: Client, child: Child, episode: Episode
) -> None:
    body = text(officer_client.get(f"/episodes/{episode.reference}/"))
    assert f'href="/episodes/{episode.reference}/risk"' in body
    assert "Close episode" not in body  # not until the child has returned


# --- changes ------------------------------------------------------------------------------


def test_regrade(officer_client: Client, episode: Episode) -> None:
    page = text(officer_client.get(f"/episodes/{episode.reference}/risk"))
    version = version_in(page)
    response = officer_client.post(
        f"/episodes/{episode.reference}/risk",
        {
            "version": version,
            "grade": "high",
            "rationale": "Now believed to be with an older man",
            "information_used": "Phone call from a friend",
            "information_source": "Friend's mother",
            **when("information_obtained_at", clock.now() - timedelta(minutes=30)),
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.risk_grade == "high"
    latest = RiskAssessment.objects.filter(episode=episode).last()
    assert latest is not None
    assert latest.information_source == "Friend's mother"
    assert "Risk re-graded to high" in text(officer_client.get(response["Location"]))


def test_regrade_without_a_reason_is_an_error(officer_client: Client, episode: Episode) -> None:
    body = text(
        officer_client.post(
            f"/episodes/{episode.reference}/risk",
            {"version": episode.version, "grade": "high", "rationale": ""},
        )
    )
    assert '<a href="#id_rationale">Enter the reason for the new grade</a>' in body
    assert RiskAssessment.objects.filter(episode=episode).count() == 1


def test_stale_regrade_is_refused_and_keeps_what_was_typed(
    officer_client: Client, episode: Episode, police: Organisation
) -> None:
    seen = episode.version
    other = factories.actor(Role.POLICE_MISSING_COORDINATOR, police)
    services.regrade(
        other, episode.reference, seen, services.Regrading(grade="low", rationale="Seen safe")
    )
    response = officer_client.post(
        f"/episodes/{episode.reference}/risk",
        {"version": seen, "grade": "high", "rationale": "My reason, typed at length"},
    )
    body = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert f"Episode {episode.reference} was changed by" in body
    assert "Your changes have not been saved" in body
    assert "Low risk" in body  # the record as it is now
    assert "My reason, typed at length" in body
    episode.refresh_from_db()
    assert episode.risk_grade == "low"
    assert version_in(body) == episode.version
    assert RiskAssessment.objects.filter(episode=episode).count() == 2


def test_stale_details_edit_shows_the_current_record(
    worker_client: Client, episode: Episode, social_worker: Actor
) -> None:
    seen = episode.version
    services.update_episode(
        social_worker, episode.reference, seen, {"clothing": "Red jacket, black jeans"}
    )
    data = {
        "version": seen,
        **when("last_seen_at", episode.last_seen_at),
        "last_seen_location": "Somewhere I typed",
        "missing_from": "home",
        "circumstances": "",
        "clothing": "Green scarf",
        "police_reference": "",
        "reporter_name": "",
    }
    body = text(worker_client.post(f"/episodes/{episode.reference}/details", data))
    assert "was changed by" in body
    assert "clothing changed" in body
    assert "Red jacket, black jeans" in body  # the current record, not the stale form
    assert "Green scarf" not in body
    episode.refresh_from_db()
    assert episode.clothing == "Red jacket, black jeans"
    assert episode.last_seen_location == "Outside the bus station"
    assert version_in(body) == episode.version


def test_update_details(worker_client: Client, episode: Episode) -> None:
    page = text(worker_client.get(f"/episodes/{episode.reference}/details"))
    assert 'value="Outside the bus station"' in page
    data = {
        "version": version_in(page),
        **when("last_seen_at", episode.last_seen_at),
        "last_seen_location": "Outside the bus station",
        "missing_from": "home",
        "circumstances": "",
        "clothing": "",
        "police_reference": "NP-2231",
        "reporter_name": "",
    }
    response = worker_client.post(f"/episodes/{episode.reference}/details", data)
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.police_reference == "NP-2231"
    assert episode.version == 2
    assert "The episode&#x27;s details have been updated" in text(
        worker_client.get(response["Location"])
    )


def test_tampered_version_is_an_error(worker_client: Client, episode: Episode) -> None:
    body = text(
        worker_client.post(
            f"/episodes/{episode.reference}/classification",
            {"version": "abc", "classification": "A", "reason": "x"},
        )
    )
    assert "The form was incomplete" in body


def test_change_classification_needs_a_reason(
    worker_client: Client, child: Child, social_worker: Actor
) -> None:
    factories.looked_after(child)
    episode = factories.report(social_worker, child)
    url = f"/episodes/{episode.reference}/classification"
    body = text(worker_client.post(url, {"version": 1, "classification": "A", "reason": ""}))
    assert '<a href="#id_reason">Enter why the classification changed</a>' in body
    response = worker_client.post(
        url, {"version": 1, "classification": "A", "reason": "Known to be at a friend's"}
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.classification == "A"
    body = text(worker_client.get(response["Location"]))
    assert "Classification changed to away from placement without authorisation" in body
    assert "Known to be at a friend&#x27;s" in body


def test_add_timeline_entry(worker_client: Client, episode: Episode) -> None:
    url = f"/episodes/{episode.reference}/timeline"
    body = text(worker_client.post(url, {"version": 1, "kind": "", "summary": "", "location": ""}))
    assert "Select sighting, call, action or note" in body
    assert "Enter when it happened" in body
    response = worker_client.post(
        url,
        {
            "version": 1,
            "kind": "sighting",
            **when("occurred_at", clock.now() - timedelta(minutes=15)),
            "summary": "Seen by a bus driver on route 12",
            "location": "Route 12, Market Street",
        },
    )
    assert response.status_code == 302
    body = text(worker_client.get(response["Location"]))
    assert "Seen by a bus driver on route 12" in body
    assert "Route 12, Market Street" in body


def test_return_then_close(officer_client: Client, episode: Episode) -> None:
    url = f"/episodes/{episode.reference}/return"
    too_early = episode.last_seen_at - timedelta(hours=1)
    body = text(
        officer_client.post(
            url, {"version": 1, **when("returned_at", too_early), "return_method": "other"}
        )
    )
    assert "The return cannot be before the child was last seen" in body
    assert 'href="#id_returned_at_day"' in body
    response = officer_client.post(
        url,
        {
            "version": 1,
            **when("returned_at", clock.now() - timedelta(minutes=5)),
            "return_method": "found_by_police",
            "found_location": "A flat on Mill Road",
            "found_with": "Two adults",
            "harm_indicators": "New phone",
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.RETURNED
    body = text(officer_client.get(response["Location"]))
    assert "A flat on Mill Road" in body
    assert "Two adults" in body
    assert "New phone" in body
    # Not offered while the check and the interview are outstanding: the page says why.
    assert f'href="/episodes/{episode.reference}/close"' not in body
    assert (
        "The episode cannot be closed yet: the safe and well check is not recorded and the "
        "return interview is not recorded" in body
    )
    assert "Re-grade risk" not in body  # only while missing

    close_page = text(officer_client.get(f"/episodes/{episode.reference}/close"))
    assert (
        "You cannot close this episode yet: the safe and well check is not recorded and the "
        "return interview is not recorded" in close_page
    )
    assert "Close the episode</button>" not in close_page
    refused = text(officer_client.post(f"/episodes/{episode.reference}/close", {"version": 2}))
    assert "The episode cannot be closed yet" in refused
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.RETURNED

    factories.record_aftercare(episode)
    assert f'href="/episodes/{episode.reference}/close"' in text(
        officer_client.get(f"/episodes/{episode.reference}/")
    )
    close_page = text(officer_client.get(f"/episodes/{episode.reference}/close"))
    assert "You cannot close this episode yet" not in close_page
    response = officer_client.post(
        f"/episodes/{episode.reference}/close", {"version": version_in(close_page)}
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
    body = text(officer_client.get(response["Location"]))
    assert "The episode has been closed" in body
    assert "Closed</strong>" in body
    assert "Update the details" not in body


def test_closing_an_open_episode_is_refused(officer_client: Client, episode: Episode) -> None:
    body = text(officer_client.post(f"/episodes/{episode.reference}/close", {"version": 1}))
    assert "Record the child&#x27;s return before closing the episode" in body
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.MISSING


def test_link_episodes(
    worker_client: Client, episode: Episode, council: Organisation, social_worker: Actor
) -> None:
    friend = factories.report(
        social_worker, factories.ChildFactory(responsible_council=council, last_name="Compton")
    )
    url = f"/episodes/{episode.reference}/link"
    body = text(worker_client.post(url, {"version": 1, "other_reference": "HW-NOPE0000"}))
    assert "No episode with that reference was found among yours" in body
    response = worker_client.post(url, {"version": 1, "other_reference": friend.reference.lower()})
    assert response.status_code == 302
    assert list(episode.went_missing_with.all()) == [friend]
    body = text(worker_client.get(f"/episodes/{friend.reference}/"))
    assert f'href="/episodes/{episode.reference}/"' in body
