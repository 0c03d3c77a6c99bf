"""The worker starts a linkage run when one is due, and only one at a time."""

from __future__ import annotations

import pytest
from pytest_django import Settings

from homeward.core import clock
from homeward.linkage import tasks
from homeward.linkage.models import LinkRun


@pytest.mark.django_db
def test_a_run_is_scheduled_when_due_and_never_twice(settings: Settings) -> None:
    settings.HOMEWARD_LINK_EVERY_HOURS = 24
    assert tasks.schedule() is True
    assert tasks.schedule() is False  # one already waiting


@pytest.mark.django_db
def test_no_run_is_scheduled_soon_after_the_last_or_when_off(settings: Settings) -> None:
    settings.HOMEWARD_LINK_EVERY_HOURS = 24
    LinkRun.objects.create(trigger="command", backend="duckdb", started_at=clock.now())
    assert tasks.schedule() is False
    settings.HOMEWARD_LINK_EVERY_HOURS = 0
    LinkRun.objects.all().delete()
    assert tasks.schedule() is False
