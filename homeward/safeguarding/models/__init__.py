"""Before the next time: the child's missing profile, their plan, and the home's protocol.

Profiles and plans are written on one child record and belong to the resolved child: a
read finds them on any record linked as the same child (``child__person_id``), and an
unlink returns each to the record it was written on."""

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
    "HomeProtocol",
    "MissingProfile",
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
    "StepKind",
    "StepRecord",
]
