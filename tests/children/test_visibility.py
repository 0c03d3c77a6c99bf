"""The visibility registry: children's own relationships and those the apps above it
register (episodes: the force an episode was reported to or found by; aftercare: the
interview provider with an assigned interview, and the episodes it sees).

That visibility as a whole is what it was before the queries moved is the access matrix's
job (tests/organisations/test_access_matrix.py, 1,178 cases, unchanged): its "read child
B" and "read B's episode" cases for force Y reach a child with no placement, seen only
through the relationship episodes registers, and its cases for provider R the child and
the one episode its interview covers, through what aftercare registers. These tests show
the same through the registry itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Q

from homeward.aftercare import services as aftercare
from homeward.aftercare import visibility as aftercare_visibility
from homeward.children import visibility
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes import visibility as episodes_visibility
from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories
from tests.factories import report


def _visible(actor: Actor) -> set[int]:
    return set(visibility.visible_children(actor).values_list("pk", flat=True))


def test_each_app_registers_its_relationships_at_start_up() -> None:
    police = visibility.relationships(OrganisationKind.POLICE)
    assert [condition.__module__ for condition in police] == [
        "homeward.children.visibility",  # the force of the placement's area
        "homeward.episodes.visibility",  # a force an episode was reported to or found by,
        # or that reported the child again while they were missing
    ]
    rhi = visibility.relationships(OrganisationKind.RHI_PROVIDER)
    assert [condition.__module__ for condition in rhi] == ["homeward.aftercare.visibility"]
    assert visibility.relationships(OrganisationKind.NATIONAL) == ()


@pytest.mark.django_db
def test_a_child_seen_only_through_a_registered_relationship_is_seen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    force, other_force = factories.PoliceForceFactory(), factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=force)
    child = factories.ChildFactory(responsible_council=council)  # no placement
    report(factories.actor(Role.SOCIAL_WORKER, council), child)
    officer = factories.actor(Role.POLICE_OFFICER, force)

    assert child.pk in _visible(officer)
    assert visibility.get_child(officer, child.pk) == child
    assert child.pk not in _visible(factories.actor(Role.POLICE_OFFICER, other_force))

    # Without the relationship episodes registered, the force would not see the child.
    registered = dict(visibility._relationships)
    registered[OrganisationKind.POLICE] = [
        condition
        for condition in registered[OrganisationKind.POLICE]
        if condition.__module__ != "homeward.episodes.visibility"
    ]
    monkeypatch.setattr(visibility, "_relationships", registered)
    assert child.pk not in _visible(officer)


@pytest.mark.django_db
def test_the_interview_provider_sees_the_child_and_only_its_interviews_episodes() -> None:
    council = factories.CouncilFactory(police_force=factories.PoliceForceFactory())
    child = factories.ChildFactory(responsible_council=council)
    worker = factories.actor(Role.SOCIAL_WORKER, council)
    earlier = report(worker, child, hours_ago=72)
    earlier = episodes.record_return(
        worker,
        earlier.reference,
        earlier.version,
        episodes.Return(
            returned_at=earlier.last_seen_at + timedelta(hours=5),
            return_method="returned_self",
        ),
    )
    provider = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Interviews", code="RHI-V"
    )
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    aftercare.assign_provider(coordinator, earlier.return_interviews.get().pk, provider.pk)
    current = report(worker, child, hours_ago=3)
    interviewer = factories.actor(Role.RHI_WORKER, provider)

    assert _visible(interviewer) == {child.pk}
    seen = set(episodes_visibility.visible_episodes(interviewer).values_list("pk", flat=True))
    assert seen == {earlier.pk}
    assert current.pk not in seen
    assert aftercare_visibility.assigned_interviews(provider).count() == 1
    outlines = episodes_visibility.episode_outlines(interviewer, child)
    assert list(outlines.values_list("pk", flat=True)) == [current.pk]


def test_registering_twice_is_once_and_a_kind_has_one_episode_scope() -> None:
    police = visibility.relationships(OrganisationKind.POLICE)
    visibility.register_relationship(OrganisationKind.POLICE, police[0])
    assert visibility.relationships(OrganisationKind.POLICE) == police

    def another_scope(org: Organisation) -> Q:
        return Q(pk__in=[])

    with pytest.raises(ValueError, match="already registered"):
        episodes_visibility.register_episode_scope(OrganisationKind.RHI_PROVIDER, another_scope)
