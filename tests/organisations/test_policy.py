"""The first cut of the access policy: relationships decide who sees a child."""

import pytest

from homeward.children import visibility as children_visibility
from homeward.children.models import Child
from homeward.episodes import visibility as episodes_visibility
from homeward.organisations import policy
from homeward.organisations.models import Organisation, Role
from homeward.organisations.policy import Action
from tests import factories
from tests.factories import report


@pytest.fixture
def placed_child(council: Organisation) -> tuple[Child, Organisation, Organisation]:
    home = factories.CareProviderFactory()
    host = factories.CouncilFactory()
    child = factories.ChildFactory(responsible_council=council)
    factories.looked_after(child)
    factories.place(child, provider=home, host=host)
    return child, home, host


def sees(role: str, org: Organisation | None, child: Child) -> bool:
    assert org is not None
    return (
        children_visibility.visible_children(factories.actor(role, org))
        .filter(pk=child.pk)
        .exists()
    )


def test_responsible_and_host_councils_and_current_home_see_the_child(
    council: Organisation, placed_child: tuple[Child, Organisation, Organisation]
) -> None:
    child, home, host = placed_child
    assert sees(Role.SOCIAL_WORKER, council, child)
    assert sees(Role.SOCIAL_WORKER, host, child)
    assert sees(Role.CARE_STAFF, home, child)
    assert not sees(Role.SOCIAL_WORKER, factories.CouncilFactory(), child)
    assert not sees(Role.CARE_STAFF, factories.CareProviderFactory(), child)


def test_police_see_a_child_at_home_once_an_episode_is_in_their_area(
    council: Organisation, police: Organisation
) -> None:
    child = factories.ChildFactory(responsible_council=council)
    assert not sees(Role.POLICE_OFFICER, police, child)
    report(factories.actor(Role.SOCIAL_WORKER, council), child)
    assert sees(Role.POLICE_OFFICER, police, child)
    assert not sees(Role.POLICE_OFFICER, factories.PoliceForceFactory(), child)


def test_police_see_a_child_placed_in_their_area(
    placed_child: tuple[Child, Organisation, Organisation],
) -> None:
    child, _, host = placed_child
    assert sees(Role.POLICE_CALL_HANDLER, host.police_force, child)
    assert not sees(Role.POLICE_CALL_HANDLER, factories.PoliceForceFactory(), child)


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.NATIONAL_ANALYST, Role.ORG_ADMIN])
def test_aggregate_and_admin_roles_never_see_identities(
    role: Role, council: Organisation, placed_child: tuple[Child, Organisation, Organisation]
) -> None:
    child, _, _ = placed_child
    assert not sees(role, council, child)
    assert episodes_visibility.visible_episodes(factories.actor(role, council)).count() == 0


def test_roles_decide_actions() -> None:
    assert Action.REGRADE in policy.ROLE_ACTIONS[Role.POLICE_CALL_HANDLER]
    assert Action.REGRADE not in policy.ROLE_ACTIONS[Role.SOCIAL_WORKER]
    assert Action.REPORT in policy.ROLE_ACTIONS[Role.CARE_STAFF]
    assert Action.CLOSE not in policy.ROLE_ACTIONS[Role.CARE_STAFF]
    for role in policy.AGGREGATE_ONLY_ROLES:
        assert Action.SEE_IDENTITY not in policy.ROLE_ACTIONS[role]
    assert set(policy.ROLE_ACTIONS) == set(Role.values)
