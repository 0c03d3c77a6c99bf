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


# --- the child's own account ---------------------------------------------------------------


class OwnAccountLinkIssued(InterviewEvent):
    name: ClassVar[str] = "aftercare.own_account_link_issued"
    link: int
    expires_at: str  # ISO 8601


class OwnAccountLinkRevoked(InterviewEvent):
    name: ClassVar[str] = "aftercare.own_account_link_revoked"
    link: int
    reason: str  # "revoked" or "replaced"


class OwnAccountLinkOpened(InterviewEvent):
    name: ClassVar[str] = "aftercare.own_account_link_opened"
    link: int


class OwnAccountGiven(InterviewEvent):
    name: ClassVar[str] = "aftercare.own_account_given"
    link: int
    sharing: str


class OwnAccountConsentWithdrawn(InterviewEvent):
    """The board's reports that may have used the child's words are made again."""

    name: ClassVar[str] = "aftercare.own_account_consent_withdrawn"
    council: int
    given_at: str  # ISO 8601: when the account was given (the quarter its words count in)
    sharing: str  # what the child had agreed to before withdrawing
