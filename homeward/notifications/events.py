"""The events the notifications app emits itself: a clock that fell due, a threshold
reached, a council's rules changed."""

from __future__ import annotations

from typing import ClassVar

from homeward.aftercare.events import (
    CheckRecorded,
    InterviewEvent,
    InterviewOpened,
    InterviewUpdated,
)
from homeward.children.events import (
    ChildCreated,
    ChildEvent,
    ChildUpdated,
    EmergencyAccessUsed,
    PlacementStarted,
)
from homeward.episodes.events import (
    ClassificationChanged,
    EpisodeClosed,
    EpisodeEvent,
    EpisodeRegraded,
    EpisodeReported,
    EpisodeReturned,
    EpisodesLinked,
    EpisodeUpdated,
    FurtherReport,
    TimelineAdded,
)
from homeward.events.types import Event
from homeward.organisations.events import (
    ApiTokenRevoked,
    PasswordLinkIssued,
    UserAdded,
    UserDeactivated,
    UserMfaReset,
    UserRoleChanged,
)


class HighRiskReviewDue(EpisodeEvent):
    name: ClassVar[str] = "episode.high_risk_review_due"
    hours: int | None


class LongEpisode(EpisodeEvent):
    name: ClassVar[str] = "episode.long_running"
    hours: int | None


class CheckOverdue(EpisodeEvent):
    name: ClassVar[str] = "aftercare.check_overdue"


class InterviewDue(InterviewEvent):
    name: ClassVar[str] = "aftercare.interview_due"
    provider: int
    due_at: str  # ISO 8601


class InterviewOverdue(InterviewEvent):
    name: ClassVar[str] = "aftercare.interview_overdue"
    provider: int
    due_at: str  # ISO 8601


class RepeatThresholdReached(ChildEvent):
    name: ClassVar[str] = "child.repeat_threshold_reached"
    episodes: int
    days: int


class CouncilRulesChanged(Event):
    name: ClassVar[str] = "organisation.notification_rules_changed"
    aggregate_type: ClassVar[str] = "organisation"


# The names the rules and titles are keyed by.
EPISODE_REPORTED = EpisodeReported.name
EPISODE_UPDATED = EpisodeUpdated.name
EPISODE_FURTHER_REPORT = FurtherReport.name
EPISODE_REGRADED = EpisodeRegraded.name
EPISODE_CLASSIFICATION_CHANGED = ClassificationChanged.name
EPISODE_RETURNED = EpisodeReturned.name
EPISODE_CLOSED = EpisodeClosed.name
EPISODE_TIMELINE_ADDED = TimelineAdded.name
EPISODES_LINKED = EpisodesLinked.name
CHILD_CREATED = ChildCreated.name
CHILD_UPDATED = ChildUpdated.name
PLACEMENT_STARTED = PlacementStarted.name
EMERGENCY_ACCESS_USED = EmergencyAccessUsed.name
CHECK_RECORDED = CheckRecorded.name
INTERVIEW_OPENED = InterviewOpened.name
INTERVIEW_UPDATED = InterviewUpdated.name
INTERVIEW_DUE = InterviewDue.name
INTERVIEW_OVERDUE = InterviewOverdue.name
CHECK_OVERDUE = CheckOverdue.name
HIGH_RISK_REVIEW_DUE = HighRiskReviewDue.name
LONG_EPISODE = LongEpisode.name
REPEAT_THRESHOLD_REACHED = RepeatThresholdReached.name
USER_ADDED = UserAdded.name
USER_ROLE_CHANGED = UserRoleChanged.name
USER_DEACTIVATED = UserDeactivated.name
USER_MFA_RESET = UserMfaReset.name
USER_PASSWORD_LINK = PasswordLinkIssued.name
API_TOKEN_REVOKED = ApiTokenRevoked.name
COUNCIL_RULES_CHANGED = CouncilRulesChanged.name
