"""A profile past its review date, or without a photograph, is flagged to its owner: by
the worker's daily sweep (at most once a day for each reason), on the owner's list, and
on the child's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.events.models import DomainEvent
from homeward.notifications import rules
from homeward.organisations.models import Organisation, Role
from homeward.safeguarding import tasks
from homeward.safeguarding.events import ProfileNeedsAttention
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_profile import add_photo, make_profile, photo_store, save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("photo_store")]
__all__ = ["photo_store"]


def flags() -> list[tuple[str, list[str]]]:
    return [
        (e.aggregate_id, e.payload["reasons"])
        for e in DomainEvent.objects.filter(name=ProfileNeedsAttention.name).order_by("pk")
    ]


@pytest.fixture
def home(council: Organisation) -> Organisation:
    return factories.CareProviderFactory(area_council=council)


def test_the_sweep_flags_each_reason_once_a_day(
    child: Child, home: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.place(child, provider=home)
    overdue = make_profile(child, owner=home, review_date=clock.now().date() - timedelta(days=3))
    fine = make_profile(factories.ChildFactory(), owner=home)
    add_photo(factories.actor(Role.SOCIAL_WORKER, fine.child.responsible_council), fine.child)

    assert tasks.schedule() == 1
    assert flags() == [(str(overdue.pk), ["past_review_date", "no_photograph"])]
    assert tasks.schedule() == 0  # the same day: nothing again
    assert len(flags()) == 1

    tomorrow = clock.now() + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: tomorrow)
    assert tasks.schedule() == 1
    assert len(flags()) == 2


def test_a_new_reason_the_same_day_is_flagged(child: Child, social_worker: Actor) -> None:
    profile = make_profile(child, owner=child.responsible_council)
    add_photo(social_worker, child)
    assert tasks.schedule() == 0
    profile.review_date = clock.now().date() - timedelta(days=1)
    profile.save()
    assert tasks.schedule() == 1
    assert flags() == [(str(profile.pk), ["past_review_date"])]


def test_the_owners_managers_are_told(child: Child, home: Organisation) -> None:
    factories.place(child, provider=home)
    manager = factories.member(Role.CARE_MANAGER, home)
    factories.member(Role.CARE_MANAGER, factories.CareProviderFactory())  # another home's
    make_profile(child, owner=home)
    tasks.schedule()
    event = DomainEvent.objects.get(name=ProfileNeedsAttention.name)
    told = [r.user for r in rules.recipients(event)]
    assert told == [manager]
    from homeward.notifications import delivery

    assert delivery.link_for(event) == f"/children/{child.pk}/profile"


def test_the_owners_list_and_the_childs_page(
    child: Child, home: Organisation, social_worker: Actor
) -> None:
    factories.place(child, provider=home)
    make_profile(child, owner=home, review_date=clock.now().date() - timedelta(days=1))
    manager = factories.actor(Role.CARE_MANAGER, home)
    client = Client()
    client.force_login(user_of(manager))
    listed = client.get("/profiles/attention").content.decode()
    assert child.last_name in listed
    assert "Past its review date" in listed
    assert "No photograph" in listed
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Past its review date" in page
    assert "No photograph" in page
    assert f"/children/{child.pk}/profile/edit" in page
    # The council's list is its own profiles' only.
    council_client = Client()
    council_client.force_login(user_of(social_worker))
    assert child.last_name not in council_client.get("/profiles/attention").content.decode()


def test_a_profile_in_order_is_not_flagged(child: Child, social_worker: Actor) -> None:
    save(social_worker, child)
    add_photo(social_worker, child)
    assert tasks.schedule() == 0
    client = Client()
    client.force_login(user_of(social_worker))
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Missing profile" in page
    assert "Past its review date" not in page
    assert "No photograph" not in page
