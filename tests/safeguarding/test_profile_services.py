"""Writing and reading the missing profile: owner, review date, versions, the rows of
associates and places, linked records, and who may see and keep it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homeward.aftercare import services as aftercare
from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.episodes import services as episodes
from homeward.events.models import DomainEvent
from homeward.linkage import services as linkage
from homeward.organisations.models import Organisation, OrganisationKind, Role
from homeward.safeguarding.events import ProfileSaved
from homeward.safeguarding.services import profiles
from tests import factories
from tests.safeguarding.factories_profile import make_profile, profile_data, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(council: Organisation) -> Organisation:
    return factories.CareProviderFactory(area_council=council)


@pytest.fixture
def placed(child: Child, home: Organisation) -> Child:
    factories.looked_after(child)
    factories.place(child, provider=home)
    return child


def test_a_home_writes_the_profile_and_keeps_it(placed: Child, home: Organisation) -> None:
    manager = factories.actor(Role.CARE_MANAGER, home)
    profile = save(manager, placed)
    assert profile.owner == home
    assert profile.version == 1
    assert profile.associates[0]["name"] == "Corvin Ashdale"
    event = DomainEvent.objects.get(name=ProfileSaved.name)
    assert event.payload == {"version": 1, "created": True, "owner": home.pk}
    assert "Corvin" not in str(event.payload)


def test_with_no_home_the_council_owns_it(child: Child, social_worker: Actor) -> None:
    assert save(social_worker, child).owner == child.responsible_council


def test_a_change_from_a_stale_version_is_refused(child: Child, social_worker: Actor) -> None:
    save(social_worker, child)
    profiles.save_profile(social_worker, child.pk, profile_data(hair="Short, dyed red"), 1)
    with pytest.raises(StaleEdit) as refused:
        profiles.save_profile(social_worker, child.pk, profile_data(hair="Shaved"), 1)
    assert refused.value.current_version == 2
    assert "hair" in refused.value.changed_fields
    read = profiles.read_profile(social_worker, child.pk)
    assert read.profile is not None
    assert read.profile.hair == "Short, dyed red"


def test_the_review_date_is_required_and_not_in_the_past(
    child: Child, social_worker: Actor
) -> None:
    with pytest.raises(ValidationFailed) as missing:
        save(social_worker, child, review_date=None)
    assert missing.value.errors["review_date"] == [
        "Enter the date the profile is next to be reviewed"
    ]
    yesterday = clock.now().date() - timedelta(days=1)
    with pytest.raises(ValidationFailed) as past:
        save(social_worker, child, review_date=yesterday)
    assert past.value.errors["review_date"] == ["The review date must be today or in the future"]


def test_the_offered_review_date_is_three_months_ahead() -> None:
    from datetime import date

    assert profiles.default_review_date(date(2026, 11, 30)) == date(2027, 2, 28)
    assert profiles.default_review_date(date(2026, 1, 15)) == date(2026, 4, 15)


def test_errors_name_the_row(child: Child, social_worker: Actor) -> None:
    rows = [{"name": "Corvin Ashdale"}, {"relationship": "Cousin", "phone": "07700900999"}]
    with pytest.raises(ValidationFailed) as refused:
        save(social_worker, child, associates=rows, places=[{"postcode": "LS6 1AA"}])
    assert refused.value.errors["associates"] == ["Associate 2: enter a name"]
    assert refused.value.errors["places"] == ["Place 1: enter the place or address"]


def test_blank_rows_are_left_out(child: Child, social_worker: Actor) -> None:
    profile = save(social_worker, child, associates=[{"name": ""}, {"name": " Ada "}])
    assert profile.associates == [{"name": "Ada", "relationship": "", "phone": "", "notes": ""}]


def test_linked_records_share_the_profile(child: Child, social_worker: Actor) -> None:
    profile = save(social_worker, child)
    other_council = factories.CouncilFactory()
    other = factories.ChildFactory(responsible_council=other_council)
    linkage.link_records(Actor.system(), child.pk, other.pk, reason="Run", automatic=True)
    worker_there = factories.actor(Role.SOCIAL_WORKER, other_council)
    read = profiles.read_profile(worker_there, other.pk)
    assert read.profile == profile
    # And a change through the other record changes the one profile.
    profiles.save_profile(worker_there, other.pk, profile_data(eyes="Green"), 1)
    profile.refresh_from_db()
    assert profile.eyes == "Green"
    assert profile.child_id == child.pk


def test_a_read_is_audited(child: Child, social_worker: Actor) -> None:
    profile = save(social_worker, child)
    profiles.read_profile(social_worker, child.pk)
    assert AuditEvent.objects.filter(
        action="view",
        object_type="missing_profile",
        object_id=str(profile.pk),
        child_id=child.pk,
        user=social_worker.user,
    ).exists()


def test_an_unrelated_organisation_finds_nothing(child: Child, social_worker: Actor) -> None:
    save(social_worker, child)
    outsider = factories.actor(Role.SOCIAL_WORKER, factories.CouncilFactory())
    with pytest.raises(NotFound):
        profiles.read_profile(outsider, child.pk)
    with pytest.raises(NotFound):
        save(outsider, child)


def rhi_worker_of(child: Child, social_worker: Actor) -> Actor:
    """A return interview provider assigned the child's interview: it sees the child."""
    episode = factories.report(social_worker, child, hours_ago=30)
    episodes.record_return(
        social_worker,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=episode.last_seen_at + timedelta(hours=4), return_method="returned_self"
        ),
    )
    provider = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Return Interviews Ltd", code="RHI-9"
    )
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, child.responsible_council)
    interview = episode.return_interviews.get()
    aftercare.assign_provider(coordinator, interview.pk, provider.pk)
    return factories.actor(Role.RHI_WORKER, provider)


def test_a_return_interview_provider_never_sees_it(child: Child, social_worker: Actor) -> None:
    save(social_worker, child)
    rhi = rhi_worker_of(child, social_worker)
    from homeward.children.visibility import visible_children

    assert visible_children(rhi).filter(pk=child.pk).exists()  # it sees the child...
    with pytest.raises(NotFound):
        profiles.read_profile(rhi, child.pk)  # ...but not the profile


def test_the_police_read_but_do_not_keep(
    child: Child, social_worker: Actor, police_officer: Actor
) -> None:
    factories.report(social_worker, child)
    save(social_worker, child)
    read = profiles.read_profile(police_officer, child.pk)
    assert read.profile is not None
    assert not read.may_keep
    with pytest.raises(AccessDenied):
        profiles.save_profile(police_officer, child.pk, profile_data(), 1)


def test_the_current_homes_staff_keep_a_councils_profile(
    placed: Child, home: Organisation, social_worker: Actor
) -> None:
    make_profile(placed, owner=placed.responsible_council)
    staff = factories.actor(Role.CARE_STAFF, home)
    profile = profiles.save_profile(staff, placed.pk, profile_data(hair="Braided"), 1)
    assert profile.hair == "Braided"
    assert profile.owner == placed.responsible_council
