"""The report's response is the episode as a later read of it answers, byte for byte:
a new episode's response is built from what the report wrote, without reading it back,
and must not differ from the episode read from the database."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from tests import factories
from tests.apiclient import ApiClient
from tests.episodes.test_api import EPISODES, a_report, iso, url


def same_as_a_later_read(client: ApiClient, body: dict[str, object], status: int) -> None:
    reported = client.post(EPISODES, body)
    assert reported.status == status
    read = client.get(url(str(reported.body["reference"])))
    assert read.status == 200
    assert reported.headers["ETag"] == read.headers["ETag"]
    # The report's response is the read's, with already_missing and the missing profile
    # given to the force (none here) last.
    already = "true" if status == 200 else "false"
    tail = f',"already_missing":{already},"missing_profile":null,"plan_if_missing":null}}'
    assert reported.raw == read.raw[:-1] + tail.encode()


def test_a_new_episode(as_social_worker: ApiClient, child: Child) -> None:
    factories.looked_after(child)
    same_as_a_later_read(as_social_worker, a_report(child), 201)


def test_a_new_episode_reported_in_another_offset(
    as_social_worker: ApiClient, child: Child
) -> None:
    """Times are sent with an offset other than UTC: the timeline entry the report wrote
    answers in UTC, as it reads back. (The episode's own times answer as they were sent,
    so only the timeline is compared here.)"""
    paris = ZoneInfo("Europe/Paris")
    reported_at = (clock.now() - timedelta(minutes=30)).astimezone(paris)
    reported = as_social_worker.post(EPISODES, a_report(child, reported_at=iso(reported_at)))
    assert reported.status == 201
    read = as_social_worker.get(url(str(reported.body["reference"])))
    for name in ("risk_history", "classification_history", "timeline", "linked_episodes"):
        assert reported.body[name] == read.body[name], name


def test_a_late_report_of_an_episode_already_over(
    as_social_worker: ApiClient, child: Child
) -> None:
    now = clock.now()
    body = a_report(
        child,
        last_seen_at=iso(now - timedelta(days=30)),
        return_details={
            "returned_at": iso(now - timedelta(days=28)),
            "return_method": "found_by_carer",
            "found_location": "Grandmother's flat",
        },
    )
    same_as_a_later_read(as_social_worker, body, 201)


def test_a_further_report_of_a_child_already_missing(
    as_social_worker: ApiClient, social_worker: Actor, child: Child
) -> None:
    factories.report(social_worker, child, hours_ago=5)
    same_as_a_later_read(as_social_worker, a_report(child, risk_grade="high"), 200)


@pytest.mark.parametrize("grade", ["low", "medium", "high"])
def test_each_grade(as_social_worker: ApiClient, child: Child, grade: str) -> None:
    same_as_a_later_read(as_social_worker, a_report(child, risk_grade=grade), 201)
