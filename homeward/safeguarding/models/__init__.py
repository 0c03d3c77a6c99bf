"""Before the next time: the child's missing profile, their plan, and the home's protocol;
and around the child: places, persons of concern, harbouring notices and meetings.

Profiles and plans are written on one child record and belong to the resolved child: a
read finds them on any record linked as the same child (``child__person_id``), and an
unlink returns each to the record it was written on."""

from homeward.safeguarding.models.meetings import (
    Meeting,
    MeetingAction,
    MeetingDecision,
    MeetingKind,
    MeetingMember,
    MeetingStatus,
)
from homeward.safeguarding.models.persons import (
    HarbouringNotice,
    InformationAssessment,
    NoticeBreach,
    PersonLink,
    PersonOfConcern,
    SourceEvaluation,
)
from homeward.safeguarding.models.places import Place, PlaceKind, PlaceLink, PlaceRole
from homeward.safeguarding.models.plans import (
    PlanReview,
    PlanVersion,
    ReviewStatus,
    ReviewTrigger,
    RiskPlan,
)
from homeward.safeguarding.models.profiles import (
    APPEAL_FIELDS,
    MissingProfile,
    ProfileDisclosure,
    ProfilePhoto,
    PublicAppeal,
)
from homeward.safeguarding.models.protocols import (
    HomeProtocol,
    ProtocolRun,
    ProtocolStep,
    Regulation40Notice,
    Regulation40Recipient,
    StepKind,
    StepRecord,
)

__all__ = [
    "APPEAL_FIELDS",
    "HarbouringNotice",
    "HomeProtocol",
    "InformationAssessment",
    "Meeting",
    "MeetingAction",
    "MeetingDecision",
    "MeetingKind",
    "MeetingMember",
    "MeetingStatus",
    "MissingProfile",
    "NoticeBreach",
    "PersonLink",
    "PersonOfConcern",
    "Place",
    "PlaceKind",
    "PlaceLink",
    "PlaceRole",
    "PlanReview",
    "PlanVersion",
    "ProfileDisclosure",
    "ProfilePhoto",
    "ProtocolRun",
    "ProtocolStep",
    "PublicAppeal",
    "Regulation40Notice",
    "Regulation40Recipient",
    "ReviewStatus",
    "ReviewTrigger",
    "RiskPlan",
    "SourceEvaluation",
    "StepKind",
    "StepRecord",
]
