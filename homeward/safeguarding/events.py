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
