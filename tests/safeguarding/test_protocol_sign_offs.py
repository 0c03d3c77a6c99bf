"""The sign-off clock: a run past its sign-off time and not signed off tells the home's
managers once, however often the worker sweeps; a signed-off run tells nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homeward.core import clock
from homeward.events.models import DomainEvent
from homeward.notifications.models import Notification
from homeward.safeguarding import sign_offs
from homeward.safeguarding.events import SignOffDue
from homeward.safeguarding.services import runs
from homeward.safeguarding.services.runs import StepResult
from tests.actors import user_of
from tests.notifications.conftest import drain
from tests.safeguarding.factories_protocol import a_home, reported

pytestmark = pytest.mark.django_db


def test_a_due_sign_off_tells_the_homes_managers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    world = a_home(sign_off_hours=4)
    episode = reported(world, hours_ago=1)
    assert sign_offs.schedule() == 0
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + timedelta(hours=4))
    assert sign_offs.schedule() == 1
    assert sign_offs.schedule() == 0
    drain()
    event = DomainEvent.objects.get(name=SignOffDue.name)
    assert event.payload["episode"] == episode.reference
    told = set(Notification.objects.filter(event=event).values_list("recipient", flat=True))
    assert told == {user_of(world.manager).pk}


def test_a_signed_off_run_is_not_due(monkeypatch: pytest.MonkeyPatch) -> None:
    world = a_home(sign_off_hours=4)
    episode = reported(world, hours_ago=1)
    for position in (1, 2, 3):
        runs.record_step(world.staff, episode.reference, position, StepResult(False, None, "Back"))
    runs.sign_off(world.manager, episode.reference, "Came back at once")
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + timedelta(hours=5))
    assert sign_offs.schedule() == 0
    assert not DomainEvent.objects.filter(name=SignOffDue.name).exists()
