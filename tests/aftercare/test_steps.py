"""The task list's link to record the safe and well check: the step it asks, for every
role, open and closed, and the link the task list draws from it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory

from homeward.aftercare import steps
from homeward.aftercare.templatetags.aftercare import aftercare_tasks
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Episode, EpisodeStatus
from homeward.organisations.models import Organisation, Role, User
from homeward.organisations.policy import Action, role_allows
from tests import factories

pytestmark = pytest.mark.django_db

POLICE_ROLES = {Role.POLICE_CALL_HANDLER, Role.POLICE_OFFICER, Role.POLICE_MISSING_COORDINATOR}


@pytest.fixture
def episode(social_worker: Actor, child: Child) -> Episode:
    """Returned an hour ago, with no check recorded yet."""
    missing = factories.report(social_worker, child, hours_ago=30)
    return episodes.record_return(
        social_worker,
        missing.reference,
        missing.version,
        episodes.Return(
            returned_at=clock.now() - timedelta(hours=1), return_method="returned_self"
        ),
    )


def member(role: str, police: Organisation, council: Organisation) -> User:
    return factories.member(role, police if role in POLICE_ROLES else council)


def check_link(user: User, episode: Episode) -> str:
    request = RequestFactory().get("/")
    request.user = user
    check, _interview = aftercare_tasks({"request": request}, episode)
    assert check.name == "Safe and well check"
    return check.href


@pytest.mark.parametrize("role", Role.values)
def test_the_link_is_the_roles_while_the_episode_is_open(
    role: str, police: Organisation, council: Organisation, episode: Episode
) -> None:
    user = member(role, police, council)
    actor = Actor.for_user(user)
    allowed = role_allows(actor, Action.RECORD_CHECK)
    assert steps.record_check_from_task_list(actor, episode).available == allowed
    record = f"/aftercare/episodes/{episode.reference}/check/record"
    assert check_link(user, episode) == (record if allowed else "")


@pytest.mark.parametrize("role", Role.values)
def test_a_closed_episode_offers_no_link(
    role: str, police: Organisation, council: Organisation, episode: Episode
) -> None:
    user = member(role, police, council)
    actor = Actor.for_user(user)
    episode.status = EpisodeStatus.CLOSED  # as read: the step looks only at the status
    step = steps.record_check_from_task_list(actor, episode)
    assert not step.available
    assert step.allowed == role_allows(actor, Action.RECORD_CHECK)
    assert check_link(user, episode) == ""


def test_a_police_officer_follows_the_link_from_the_episode_page(
    client: Client, police: Organisation, episode: Episode
) -> None:
    client.force_login(factories.member(Role.POLICE_OFFICER, police))
    body = client.get(f"/episodes/{episode.reference}/").content.decode()
    record = f"/aftercare/episodes/{episode.reference}/check/record"
    assert f'href="{record}"' in body
    assert client.get(record).status_code == 200
