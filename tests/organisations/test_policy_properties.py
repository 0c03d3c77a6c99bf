"""Property: over random organisations, children, placements, episodes and emergency
grants, nobody sees a child without a current relationship or active emergency access."""

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from homeward.children import visibility
from homeward.children.models import Child, EmergencyAccess
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.models import Episode
from homeward.organisations import policy
from homeward.organisations.models import Organisation, Role
from tests import factories

ROLE_FOR_KIND = {
    "council": [Role.SOCIAL_WORKER, Role.COUNCIL_MISSING_COORDINATOR, Role.BOARD_MEMBER],
    "care_provider": [Role.CARE_STAFF, Role.CARE_MANAGER],
    "police": [Role.POLICE_OFFICER, Role.POLICE_CALL_HANDLER],
}

child_spec = st.fixed_dictionaries(
    {
        "responsible": st.integers(0, 2),
        # a sequence of placements: (host council, provider or None); the last is current
        "placements": st.lists(
            st.tuples(st.integers(0, 2), st.none() | st.integers(0, 1)), max_size=3
        ),
        "ended": st.booleans(),  # the child's last placement has ended (none current)
        # episodes: (force of the area, force where found or None)
        "episodes": st.lists(
            st.tuples(st.integers(0, 1), st.none() | st.integers(0, 1)), max_size=2
        ),
    }
)
user_spec = st.tuples(
    st.sampled_from(["council", "care_provider", "police"]), st.integers(0, 2), st.integers(0, 2)
)
grant_spec = st.tuples(st.integers(0, 3), st.integers(0, 5), st.booleans())  # user, child, expired


ChildSpec = dict[str, Any]
UserSpec = tuple[str, int, int]
GrantSpec = tuple[int, int, bool]


class AccessProperty(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        children=st.lists(child_spec, min_size=1, max_size=5),
        users=st.lists(user_spec, min_size=1, max_size=4),
        grants=st.lists(grant_spec, max_size=3),
    )
    def test_nobody_reads_a_child_without_a_relationship(
        self, children: list[ChildSpec], users: list[UserSpec], grants: list[GrantSpec]
    ) -> None:
        forces: list[Organisation] = [factories.PoliceForceFactory() for _ in range(2)]
        councils: list[Organisation] = [
            factories.CouncilFactory(police_force=forces[i % 2]) for i in range(3)
        ]
        providers: list[Organisation] = [
            factories.CareProviderFactory(area_council=councils[0]) for _ in range(2)
        ]
        orgs: dict[str, list[Organisation]] = {
            "council": councils,
            "care_provider": providers,
            "police": forces,
        }
        made = make_children(children, councils, providers, forces)

        actors = []
        for kind, org_index, role_index in users:
            org = orgs[kind][org_index % len(orgs[kind])]
            role = ROLE_FOR_KIND[kind][role_index % len(ROLE_FOR_KIND[kind])]
            actors.append(factories.actor(role, org))
        active = grant(grants, actors, made)

        for who in actors:
            assert who.user is not None
            assert who.organisation is not None
            seen_ids = set(visibility.visible_children(who).values_list("pk", flat=True))
            expected = set()
            for child in made:
                child.refresh_from_db()
                if who.role in policy.AGGREGATE_ONLY_ROLES:
                    continue
                if related(who.organisation, (who.user.pk, child.pk), child, active):
                    expected.add(child.pk)
            assert seen_ids == expected


def make_children(
    specs: list[ChildSpec],
    councils: list[Organisation],
    providers: list[Organisation],
    forces: list[Organisation],
) -> list[Child]:
    reporter = factories.member(Role.SOCIAL_WORKER, councils[0])
    today = clock.now().date()
    made: list[Child] = []
    for spec in specs:
        child: Child = factories.ChildFactory(responsible_council=councils[spec["responsible"]])
        for i, (host, provider) in enumerate(spec["placements"]):
            factories.place(
                child,
                provider=None if provider is None else providers[provider],
                host=councils[host],
                start=today - timedelta(days=300 - 50 * i),
            )
        if spec["ended"] and child.current_placement is not None:
            child.current_placement.end_date = today
            child.current_placement.save()
            child.current_placement = None
            child.save()
        for n, (force, found) in enumerate(spec["episodes"]):
            seen = clock.now() - timedelta(days=30 - n)
            Episode.objects.create(
                reference=f"HW-P{child.pk}-{n}",
                child=child,
                status="closed",
                classification="M",
                reported_at=seen,
                reporting_organisation=councils[0],
                reported_by=reporter,
                reporter_type="parent",
                last_seen_at=seen,
                last_seen_location="x",
                missing_from="home",
                police_force=forces[force],
                found_police_force=None if found is None else forces[found],
                risk_grade="low",
                returned_at=seen + timedelta(hours=3),
            )
        made.append(child)
    return made


def grant(grants: list[GrantSpec], actors: list[Actor], made: list[Child]) -> set[tuple[int, int]]:
    """Emergency accesses, some expired: the (user, child) pairs still active."""
    active: set[tuple[int, int]] = set()
    for user_index, child_index, expired in grants:
        who = actors[user_index % len(actors)]
        if who.user is None or who.organisation is None:
            continue
        target = made[child_index % len(made)]
        now = clock.now()
        EmergencyAccess.objects.create(
            child=target,
            user=who.user,
            organisation=who.organisation,
            role=who.role or "",
            reason="property test",
            granted_at=now - timedelta(hours=30 if expired else 1),
            expires_at=now - timedelta(hours=6) if expired else now + timedelta(hours=23),
        )
        if not expired:
            active.add((who.user.pk, target.pk))
    return active


def related(
    org: Organisation, pair: tuple[int, int], child: Child, active: set[tuple[int, int]]
) -> bool:
    """Whether org has a current relationship to child, or the user of pair (user, child)
    an active emergency access."""
    placement = child.current_placement
    return (
        child.responsible_council_id == org.pk
        or (placement is not None and placement.host_council_id == org.pk)
        or (placement is not None and placement.provider_id == org.pk)
        or (placement is not None and placement.host_council.police_force_id == org.pk)
        or child.episodes.filter(police_force=org).exists()
        or child.episodes.filter(found_police_force=org).exists()
        or pair in active
    )
