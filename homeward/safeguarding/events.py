"""The domain events of profiles, plans and protocols. Each carries references only: no
name or detail of the child, so an outbox row (and any email made from it) says what
happened and where to look, never what the record holds."""

from __future__ import annotations

from typing import ClassVar

from homeward.events.types import Event


class ProfileEvent(Event):
    aggregate_type: ClassVar[str] = "missing_profile"


class ProfileSaved(ProfileEvent):
    name: ClassVar[str] = "safeguarding.profile_saved"
    version: int
    created: bool
    owner: int


class PhotoAdded(ProfileEvent):
    name: ClassVar[str] = "safeguarding.photo_added"
    photo: int


class ProfileMoved(ProfileEvent):
    """The child moved placement: the profile's owner changed with them."""

    name: ClassVar[str] = "safeguarding.profile_moved"
    from_owner: int
    owner: int


class ProfileNeedsAttention(ProfileEvent):
    """Flagged to the profile's owner: past its review date, or without a photograph."""

    name: ClassVar[str] = "safeguarding.profile_needs_attention"
    owner: int
    reasons: list[str]


class ProfileGivenToPolice(ProfileEvent):
    name: ClassVar[str] = "safeguarding.profile_given_to_police"
    episode: str
    force: int


class AppealEvent(Event):
    aggregate_type: ClassVar[str] = "public_appeal"
    episode: str


class AppealAgreed(AppealEvent):
    name: ClassVar[str] = "safeguarding.appeal_agreed"
    fields: list[str]


class AppealWithdrawn(AppealEvent):
    name: ClassVar[str] = "safeguarding.appeal_withdrawn"
    found: bool


class PlanEvent(Event):
    aggregate_type: ClassVar[str] = "risk_plan"


class PlanSaved(PlanEvent):
    name: ClassVar[str] = "safeguarding.plan_saved"
    version: int
    owner: int


class ReviewEvent(Event):
    aggregate_type: ClassVar[str] = "plan_review"


class PlanReviewOpened(ReviewEvent):
    """A review of the child's plan is due (or, with no plan, a plan is to be written).
    Told to the plan's owner and the child's allocated worker."""

    name: ClassVar[str] = "safeguarding.plan_review_opened"
    trigger: str
    owner: int | None
    owner_organisation: int
    due_date: str  # ISO 8601


class PlanReviewDone(ReviewEvent):
    name: ClassVar[str] = "safeguarding.plan_review_done"
    plan_version: int | None


class ProtocolSaved(Event):
    name: ClassVar[str] = "safeguarding.protocol_saved"
    aggregate_type: ClassVar[str] = "home_protocol"
    home: int
    version: int
    steps: int


class RunEvent(Event):
    aggregate_type: ClassVar[str] = "protocol_run"
    episode: str


class ProtocolStarted(RunEvent):
    name: ClassVar[str] = "safeguarding.protocol_started"
    home: int


class StepRecorded(RunEvent):
    name: ClassVar[str] = "safeguarding.protocol_step_recorded"
    step: int
    done: bool


class SignOffDue(RunEvent):
    name: ClassVar[str] = "safeguarding.protocol_sign_off_due"
    home: int


class ProtocolSignedOff(RunEvent):
    name: ClassVar[str] = "safeguarding.protocol_signed_off"
    on_time: bool


class Regulation40Recorded(RunEvent):
    name: ClassVar[str] = "safeguarding.regulation_40_recorded"
    recipient: str


# --- persons of concern and harbouring notices (no name, no detail: references only) ------


class PersonEvent(Event):
    aggregate_type: ClassVar[str] = "person_of_concern"


class PersonRecorded(PersonEvent):
    name: ClassVar[str] = "safeguarding.person_recorded"
    created: bool
    holding_force: int | None


class PersonLinked(PersonEvent):
    """A link to a child (``child_id``), a place or an episode was recorded or removed."""

    name: ClassVar[str] = "safeguarding.person_linked"
    link: int
    removed: bool
    police_only: bool


class NoticeEvent(Event):
    """One event per child named on the notice (``child_id``), so each child's council
    is told about its own child."""

    aggregate_type: ClassVar[str] = "harbouring_notice"
    force: int


class NoticeIssued(NoticeEvent):
    name: ClassVar[str] = "safeguarding.notice_issued"
    person: int
    review_on: str  # ISO 8601
    expires_on: str


class NoticeBreached(NoticeEvent):
    name: ClassVar[str] = "safeguarding.notice_breached"
    breach: int


class NoticeReviewed(NoticeEvent):
    name: ClassVar[str] = "safeguarding.notice_reviewed"
    review_on: str


class NoticeReviewDue(NoticeEvent):
    """The notice's review date has come: told to the force's missing coordinators."""

    name: ClassVar[str] = "safeguarding.notice_review_due"
    review_on: str


class NoticeWithdrawn(NoticeEvent):
    name: ClassVar[str] = "safeguarding.notice_withdrawn"


class NoticeExpired(NoticeEvent):
    name: ClassVar[str] = "safeguarding.notice_expired"


# --- multi-agency meetings (issue 15) -------------------------------------------------------


class MeetingEvent(Event):
    aggregate_type: ClassVar[str] = "meeting"
    council: int
    meeting: int  # the meeting's id again, for the notification's link


class MeetingOpened(MeetingEvent):
    """A meeting was opened (by a coordinator, or by the escalation rules: ``source``)."""

    name: ClassVar[str] = "safeguarding.meeting_opened"
    kind: str
    source: str = ""


class MeetingHeld(MeetingEvent):
    name: ClassVar[str] = "safeguarding.meeting_held"
    attended: int
    decisions: int
    actions: int


class MeetingCancelled(MeetingEvent):
    name: ClassVar[str] = "safeguarding.meeting_cancelled"


class DecisionRecorded(MeetingEvent):
    name: ClassVar[str] = "safeguarding.meeting_decision_recorded"
    decision: int


class ActionEvent(Event):
    """An action agreed at a meeting. ``owner`` and ``owner_organisation`` name who is to
    do it (the notification's named owner)."""

    aggregate_type: ClassVar[str] = "meeting_action"
    meeting: int
    owner: int
    owner_organisation: int
    due_on: str  # ISO 8601 date


class ActionRecorded(ActionEvent):
    name: ClassVar[str] = "safeguarding.meeting_action_recorded"


class ActionDone(ActionEvent):
    name: ClassVar[str] = "safeguarding.meeting_action_done"


class ActionOverdue(ActionEvent):
    name: ClassVar[str] = "safeguarding.meeting_action_overdue"


# --- places (issue 15) ---------------------------------------------------------------------


class PlaceRecorded(Event):
    """A place was recorded. A place is not personal data; the event names its council."""

    name: ClassVar[str] = "safeguarding.place_recorded"
    aggregate_type: ClassVar[str] = "place"
    council: int | None


class PlaceLinkEvent(Event):
    aggregate_type: ClassVar[str] = "place_link"
    place: int
    role: str
    episode: str | None = None
    interview: int | None = None


class PlaceLinked(PlaceLinkEvent):
    name: ClassVar[str] = "safeguarding.place_linked"


class PlaceUnlinked(PlaceLinkEvent):
    name: ClassVar[str] = "safeguarding.place_unlinked"
