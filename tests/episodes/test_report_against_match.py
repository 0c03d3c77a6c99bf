"""Reporting against a record the reporter may not see: the match's token is the
permission, only for a role that may report; a bad token writes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest

from homeward.children.models import Child
from homeward.children.visibility import visible_children
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, ValidationFailed
from homeward.episodes import services
from homeward.episodes.models import Episode
from homeward.linkage import tokens
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.episodes.test_services import a_report
from tests.linkage.helpers import held


def actor_for(role: Role, org: Organisation) -> Actor:
    return Actor.for_user(factories.member(role, org))


@pytest.fixture
def unseen(db: None) -> int:
    marlhaven = factories.CouncilFactory(name="Marlhaven Council")
    return held("Tyrone", "Holby", date(2013, 6, 14), responsible_council=marlhaven).pk


def test_a_force_reports_a_child_it_could_not_see_and_then_sees_them(
    unseen: int, police: Organisation
) -> None:
    handler = actor_for(Role.POLICE_CALL_HANDLER, police)
    assert not visible_children(handler).filter(pk=unseen).exists()
    result = services.report_against_match(handler, tokens.issue(handler, unseen), a_report())
    assert result.created
    assert result.episode.child_id == unseen
    assert result.episode.police_force == police
    assert visible_children(handler).filter(pk=unseen).exists()


def test_another_users_expired_or_forged_token_writes_nothing(
    unseen: int, police: Organisation
) -> None:
    handler = actor_for(Role.POLICE_CALL_HANDLER, police)
    other = actor_for(Role.POLICE_CALL_HANDLER, police)
    with pytest.raises(AccessDenied):
        services.report_against_match(handler, tokens.issue(other, unseen), a_report())
    with pytest.raises(ValidationFailed):
        services.report_against_match(handler, "forged", a_report())
    token = tokens.issue(handler, unseen)
    later = clock.now() + tokens.MAX_AGE + timedelta(minutes=1)
    with (
        mock.patch("homeward.linkage.tokens.clock.now", return_value=later),
        pytest.raises(ValidationFailed),
    ):
        services.report_against_match(handler, token, a_report())
    assert not Episode.objects.exists()


def test_a_role_that_may_not_report_cannot_use_a_token(unseen: int, council: Organisation) -> None:
    board = actor_for(Role.BOARD_MEMBER, council)
    with pytest.raises(AccessDenied):
        services.report_against_match(board, "anything", a_report())
    assert not Episode.objects.exists()


def test_a_force_reporting_a_child_already_missing_then_sees_the_episode(
    unseen: int, police: Organisation
) -> None:
    council = Child.objects.get(pk=unseen).responsible_council
    first = services.report_missing(
        actor_for(Role.SOCIAL_WORKER, council), unseen, a_report()
    ).episode
    handler = actor_for(Role.POLICE_CALL_HANDLER, police)
    result = services.report_against_match(handler, tokens.issue(handler, unseen), a_report())
    assert not result.created
    assert result.episode.pk == first.pk
    assert services.read_episode(handler, first.reference).pk == first.pk
    assert visible_children(handler).filter(pk=unseen).exists()
