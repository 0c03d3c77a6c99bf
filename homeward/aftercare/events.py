"""The domain events of safe and well checks and return interviews."""

from __future__ import annotations

from typing import ClassVar

from homeward.events.types import Event


class CheckRecorded(Event):
    name: ClassVar[str] = "aftercare.check_recorded"
    aggregate_type: ClassVar[str] = "episode"
    status: str
    disclosures: list[str]


class InterviewEvent(Event):
    aggregate_type: ClassVar[str] = "return_interview"


class InterviewOpened(InterviewEvent):
    name: ClassVar[str] = "aftercare.interview_opened"
    due_at: str  # ISO 8601
    provider: int


class InterviewUpdated(InterviewEvent):
    name: ClassVar[str] = "aftercare.interview_updated"
    status: str
