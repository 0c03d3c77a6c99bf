"""The profile moves with the child: when the child starts a new placement, the new home
keeps and sees it, and the home they left no longer does (pages and API)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils.html import escape

from homeward.children import services as children
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.events.models import DomainEvent
from homeward.organisations.models import Organisation, Role
from homeward.safeguarding.events import ProfileMoved
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_profile import save

pytestmark = pytest.mark.django_db


def web(actor: Actor) -> Client:
    client = Client()
    client.force_login(user_of(actor))
    return client


def api(actor: Actor, path: str) -> int:
    token = factories.api_token(user_of(actor))
    return Client().get(path, headers={"Authorization": f"Bearer {token}"}).status_code


def move(social_worker: Actor, child: Child, provider: Organisation | None) -> None:
    children.start_placement(
        social_worker,
        child,
        placement_type="K2",
        host_council=child.responsible_council,
        start_date=clock.now().date() - timedelta(days=1),
        provider=provider,
    )


@pytest.fixture
def homes(council: Organisation) -> tuple[Organisation, Organisation]:
    return (
        factories.CareProviderFactory(area_council=council),
        factories.CareProviderFactory(area_council=council),
    )


def test_the_new_home_sees_it_and_the_old_home_does_not(
    child: Child, social_worker: Actor, homes: tuple[Organisation, Organisation]
) -> None:
    old, new = homes
    factories.looked_after(child)
    factories.place(child, provider=old, start=clock.now().date() - timedelta(days=90))
    old_manager = factories.actor(Role.CARE_MANAGER, old)
    new_manager = factories.actor(Role.CARE_MANAGER, new)
    profile = save(old_manager, child, hair="Copper curls")
    page, endpoint = f"/children/{child.pk}/profile", f"/api/v1/children/{child.pk}/profile"
    assert web(old_manager).get(page).status_code == 200
    assert web(new_manager).get(page).status_code == 404

    child.refresh_from_db()
    move(social_worker, child, new)

    profile.refresh_from_db()
    assert profile.owner == new
    event = DomainEvent.objects.get(name=ProfileMoved.name)
    assert event.payload == {"from_owner": old.pk, "owner": new.pk}
    shown = web(new_manager).get(page)
    assert shown.status_code == 200
    assert "Copper curls" in shown.content.decode()
    assert f"Kept by {escape(new.name)}" in shown.content.decode()
    assert api(new_manager, endpoint) == 200
    assert web(old_manager).get(page).status_code == 404
    assert api(old_manager, endpoint) == 404


def test_with_no_new_home_the_council_keeps_it(
    child: Child, social_worker: Actor, homes: tuple[Organisation, Organisation]
) -> None:
    old, _ = homes
    factories.looked_after(child)
    factories.place(child, provider=old, start=clock.now().date() - timedelta(days=90))
    profile = save(factories.actor(Role.CARE_MANAGER, old), child)
    child.refresh_from_db()
    move(social_worker, child, None)
    profile.refresh_from_db()
    assert profile.owner == child.responsible_council


def test_a_councils_profile_stays_with_the_council(
    child: Child, social_worker: Actor, homes: tuple[Organisation, Organisation]
) -> None:
    _, new = homes
    profile = save(social_worker, child)
    move(social_worker, child, new)
    profile.refresh_from_db()
    assert profile.owner == child.responsible_council
    assert not DomainEvent.objects.filter(name=ProfileMoved.name).exists()
    # The new home sees it all the same: it is the child's home now.
    assert (
        web(factories.actor(Role.CARE_STAFF, new)).get(f"/children/{child.pk}/profile").status_code
        == 200
    )
