from datetime import timedelta

import pytest

from homeward.children import emergency, visibility
from homeward.children import services as children
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.events.models import DomainEvent
from homeward.organisations import policy
from homeward.organisations.models import Role
from tests import factories
from tests.factories import report

REASON = "Child found in our area at 3am, need medical needs and contacts"


@pytest.fixture
def outsider(db: None) -> Actor:
    return factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())


def test_emergency_access_opens_the_record_for_24_hours(outsider: Actor, child: Child) -> None:
    child.nhs_number = "9434765919"
    child.save()
    with pytest.raises(NotFound):
        children.read_child(outsider, child.pk)
    access = emergency.open_emergency_access(outsider, "943 476 5919", REASON)
    assert access.expires_at - access.granted_at == timedelta(hours=24)
    assert children.read_child(outsider, child.pk) == child
    # Once expired, the record closes again.
    type(access).objects.filter(pk=access.pk).update(expires_at=access.granted_at)
    with pytest.raises(NotFound):
        children.read_child(outsider, child.pk)


def test_emergency_access_is_told_to_the_council_and_reviewed(
    outsider: Actor, social_worker: Actor, child: Child
) -> None:
    episode = report(social_worker, child)
    access = emergency.open_emergency_access(outsider, episode.reference, REASON)
    event = DomainEvent.objects.get(name="child.emergency_access_used")
    assert event.payload["council"] == child.responsible_council_id

    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, child.responsible_council)
    assert list(emergency.awaiting_review(coordinator)) == [access]
    with pytest.raises(AccessDenied):
        emergency.awaiting_review(social_worker)
    reviewed = emergency.review(coordinator, access.pk, "Appropriate: officer found the child")
    assert reviewed.reviewed_by == coordinator.user
    with pytest.raises(ValidationFailed):
        emergency.review(coordinator, access.pk, "again")
    other_coordinator = factories.actor(
        Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory()
    )
    assert list(emergency.awaiting_review(other_coordinator)) == []


def test_reason_and_an_exact_identifier_are_required(outsider: Actor, child: Child) -> None:
    with pytest.raises(ValidationFailed) as error:
        emergency.open_emergency_access(outsider, "", "quick look")
    assert set(error.value.errors) == {"identifier", "reason"}
    with pytest.raises(ValidationFailed) as error:
        emergency.open_emergency_access(outsider, child.last_name, REASON)
    assert "No single child" in error.value.errors["identifier"][0]
    assert not visibility.can(outsider, policy.Action.SEE_IDENTITY, child)


def test_aggregate_roles_have_no_emergency_route(child: Child) -> None:
    board = factories.actor(Role.BOARD_MEMBER, factories.CouncilFactory())
    with pytest.raises(AccessDenied):
        emergency.open_emergency_access(board, "anything", REASON)


def test_look_ups_are_limited_so_identifiers_cannot_be_guessed(
    outsider: Actor, child: Child
) -> None:
    child.nhs_number = "9434765919"
    child.save()
    for guess in range(emergency.LOOKUPS_PER_WINDOW):
        with pytest.raises(ValidationFailed):
            emergency.open_emergency_access(outsider, f"99900000{guess:02d}", REASON)
    with pytest.raises(ValidationFailed) as error:
        emergency.open_emergency_access(outsider, "943 476 5919", REASON)
    assert error.value.errors["identifier"] == [
        "You have made 10 emergency look-ups in the last hour, the most allowed. Ask the "
        "child's council for the record, or try again later"
    ]
    with pytest.raises(NotFound):
        children.read_child(outsider, child.pk)


def test_the_councils_notification_opens_the_review_list(
    outsider: Actor, social_worker: Actor, child: Child
) -> None:
    from homeward.notifications.delivery import link_for

    episode = report(social_worker, child)
    emergency.open_emergency_access(outsider, episode.reference, REASON)
    event = DomainEvent.objects.get(name="child.emergency_access_used")
    assert link_for(event) == "/children/emergency-access/reviews"
