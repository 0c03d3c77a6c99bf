"""Each event type has a schema: its payload is what its class allows, and the outbox rows
read back as their classes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from homeward.episodes.events import EpisodeRegraded, EpisodeReported
from homeward.events.types import REGISTRY, parse
from homeward.organisations.events import UserAdded


def test_every_event_the_service_emits_has_a_registered_class() -> None:
    # Every app's event types are registered once Django is ready.
    assert {
        "episode.reported",
        "episode.returned",
        "aftercare.interview_opened",
        "child.emergency_access_used",
        "account.user_added",
        "interchange.ssda903_imported",
        "episode.high_risk_review_due",
    } <= set(REGISTRY)
    for name, cls in REGISTRY.items():
        assert cls.name == name
        assert cls.aggregate_type


def test_the_payload_keeps_the_names_the_outbox_always_had() -> None:
    event = EpisodeRegraded(aggregate_id="HW-ABCDEFGH", child_id=7, from_="low", to="high")
    assert event.payload() == {"from": "low", "to": "high"}
    again = parse("episode.regraded", "episode", "HW-ABCDEFGH", 7, {"from": "low", "to": "high"})
    assert again == event


def test_a_primary_key_is_kept_as_text() -> None:
    event = UserAdded(aggregate_id=12, organisation=3, role="admin", by=None)
    assert event.aggregate == "12"
    assert event.payload() == {"organisation": 3, "role": "admin", "by": None}


def test_a_payload_its_schema_does_not_allow_is_refused() -> None:
    with pytest.raises(ValidationError):
        parse("episode.reported", "episode", "HW-1", 1, {"risk_grade": "high"})
    with pytest.raises(ValidationError):
        EpisodeReported(
            aggregate_id="HW-1",
            risk_grade="high",
            classification="M",
            already_returned=False,
            surprise=1,  # type: ignore[call-arg]  # refused by the type checker too
        )
    with pytest.raises(ValueError, match="not a child"):
        parse("episode.closed", "child", "HW-1", 1, {})
    with pytest.raises(KeyError):
        parse("episode.vanished", "episode", "HW-1", 1, {})
