"""The demo's persons of concern and harbouring notices: made through the services, so
they keep the services' rules, and there to be seen on `make run`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.events.models import DomainEvent
from homeward.organisations.models import Membership
from homeward.safeguarding.events import NoticeBreached
from homeward.safeguarding.models import HarbouringNotice, NoticeBreach, PersonLink, PersonOfConcern
from homeward.safeguarding.services import notice_rules, persons
from homeward.seed import demo
from homeward.seed.plan import DemoResult
from tests.seed.test_demo_safeguarding import MD5, NOW


@pytest.fixture(scope="class")
def demo_area(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoResult]:
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=MD5), transaction.atomic():
        result = demo.load(now=NOW)
        yield result
        transaction.set_rollback(True)


def actor(username: str) -> Actor:
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username=username
    )
    return Actor(user=membership.user, membership=membership)


class TestDemoPersons:
    def test_persons_linked_to_several_children(self, db: None, demo_area: DemoResult) -> None:
        assert PersonOfConcern.objects.count() == 4
        assert PersonLink.objects.filter(police_only=True).count() == 1
        coordinator = actor("council.coordinator")
        seen = persons.list_persons(coordinator)
        assert seen.count() == 4
        council = coordinator.organisation
        assert council is not None
        several = persons.linked_to_several(council, since=NOW, until=clock.now())
        assert len(several) >= 1

    def test_notices_live_breached_and_expired(self, db: None, demo_area: DemoResult) -> None:
        statuses = sorted(notice_rules.status(n) for n in HarbouringNotice.objects.all())
        assert statuses == ["expired", "live", "live"]
        assert NoticeBreach.objects.count() == 1
        assert DomainEvent.objects.filter(name=NoticeBreached.name).count() == 1
        assert HarbouringNotice.objects.filter(expired_on__isnull=False).count() == 1
