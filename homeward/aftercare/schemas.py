"""API request and response shapes for safe and well checks and return home interviews."""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from homeward.aftercare.codes import (
    Disclosure,
    InterviewerKind,
    InterviewOutcome,
    OfferMethod,
    PullFactor,
    PushFactor,
    RiskFound,
)
from homeward.aftercare.models import (
    InterviewStatus,
    ReturnInterview,
    SafeAndWellCheck,
    Sharing,
    WithdrawalMethod,
)
from homeward.aftercare.services import is_overdue
from homeward.aftercare.services.own_accounts import OwnAccountState
from homeward.core import clock
from homeward.core.api import Versioned
from homeward.core.schemas import (
    Id,
    InputSchema,
    LongText,
    OrganisationOut,
    Version,
    When,
    limit_of,
)

Name = Annotated[str, limit_of(ReturnInterview, "interviewer_name")]
Place = Annotated[str, limit_of(ReturnInterview, "done_location")]
InterviewVersion = Annotated[
    Version,
    Field(description="The interview's version as you last saw it (its ETag without quotes)."),
]


def _codes(kind: Any, what: str) -> Any:
    return Field(
        default_factory=list,
        max_length=len(kind.values),
        description=f"{what}: any of " + ", ".join(kind.values),
    )


# --- requests ---------------------------------------------------------------------------


class CheckIn(InputSchema):
    """A safe and well check done (``done: true`` with when and what the child said), or
    not done with the reason."""

    done: bool
    conducted_at: When | None = Field(None, description="Required when done")
    officer_name: Name = Field("", description="Defaults to you")
    location: Place = ""
    child_account: LongText = Field(
        "", description="Required when done: what the child said, in their own words"
    )
    injuries_or_harm: LongText = ""
    disclosures: list[Disclosure] = _codes(Disclosure, "What the child disclosed")
    disclosure_details: LongText = ""
    concerns: LongText = ""
    shared_with: LongText = ""
    not_done_reason: LongText = Field("", description="Required when not done")


class ProviderIn(InputSchema):
    provider_id: Id = Field(
        description="A return interview provider, or the council itself (its own id)"
    )
    version: InterviewVersion | None = None


class OfferIn(InputSchema):
    offered_at: When
    offered_by: Name
    offer_method: OfferMethod
    version: InterviewVersion | None = None


class OutcomeIn(InputSchema):
    outcome: InterviewOutcome = Field(description="accepted, declined or not_offered")
    reason: LongText = Field(
        "", description="Why it was declined (if the child said) or not offered (required)"
    )
    version: InterviewVersion | None = None


class InterviewIn(InputSchema):
    done_at: When
    interviewer_name: Name
    interviewer_kind: InterviewerKind = Field(
        description="independent of the child's care, or a trusted person the child chose"
    )
    child_account: LongText = Field(description="The child's account, in their own words")
    done_location: Place = ""
    push_factors: list[PushFactor] = _codes(PushFactor, "Push factors")
    pull_factors: list[PullFactor] = _codes(PullFactor, "Pull factors")
    factors_detail: LongText = ""
    risks_found: list[RiskFound] = _codes(RiskFound, "Risks found")
    what_would_help: LongText = ""
    actions: LongText = Field("", description="Actions and referrals")
    shared_with: LongText = ""
    quote_consent: bool = Field(
        False, description="The child agreed to short anonymised quotes in board reports"
    )
    version: InterviewVersion | None = None


class InterviewFilters(Schema):
    status: InterviewStatus | None = None
    overdue: bool | None = Field(
        None, description="true: not finished and past the 72 hours; false: the others"
    )
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 25


# --- responses --------------------------------------------------------------------------


def _name(user: Any) -> str | None:
    if user is None:
        return None
    return str(user.get_full_name() or user.get_username())


class CheckOut(Schema):
    episode_reference: str
    status: str = Field(description="done or not_done")
    conducted_at: datetime | None
    officer_name: str
    location: str
    child_account: str
    injuries_or_harm: str
    disclosures: list[str]
    disclosure_details: str
    concerns: str
    shared_with: str
    not_done_reason: str
    organisation: OrganisationOut
    recorded_by: str | None
    recorded_at: datetime

    @classmethod
    def build(cls, check: SafeAndWellCheck, reference: str) -> "CheckOut":
        return cls(
            episode_reference=reference,
            status=check.status,
            conducted_at=check.conducted_at,
            officer_name=check.officer_name,
            location=check.location,
            child_account=check.child_account,
            injuries_or_harm=check.injuries_or_harm,
            disclosures=list(check.disclosures),
            disclosure_details=check.disclosure_details,
            concerns=check.concerns,
            shared_with=check.shared_with,
            not_done_reason=check.not_done_reason,
            organisation=OrganisationOut.model_validate(check.organisation),
            recorded_by=_name(check.recorded_by),
            recorded_at=check.recorded_at,
        )


class InterviewChildOut(Schema):
    id: int
    first_name: str
    last_name: str
    date_of_birth: date


class InterviewEpisodeOut(Schema):
    reference: str
    status: str
    last_seen_at: datetime
    returned_at: datetime | None


class InterviewSummaryOut(Schema):
    """An interview as it appears in a list, or in an episode's read model."""

    id: int
    version: int
    status: str = Field(
        description="pending (not yet offered), offered, accepted, done, declined, not_offered"
    )
    due_at: datetime = Field(description="72 hours after the first return it covers")
    overdue: bool = Field(description="Not finished and past the due time")
    council: OrganisationOut
    provider: OrganisationOut
    offered_at: datetime | None
    outcome: str = Field(description="accepted, declined, not_offered, or empty")
    done_at: datetime | None
    within_72_hours: bool | None = Field(description="Null until it is done")
    closed_at: datetime | None
    episodes: list[InterviewEpisodeOut]

    @staticmethod
    def summary_fields(interview: ReturnInterview) -> dict[str, Any]:
        return {
            "id": interview.pk,
            "version": interview.version,
            "status": interview.status,
            "due_at": interview.due_at,
            "overdue": is_overdue(interview, clock.now()),
            "council": OrganisationOut.model_validate(interview.council),
            "provider": OrganisationOut.model_validate(interview.provider),
            "offered_at": interview.offered_at,
            "outcome": interview.outcome,
            "done_at": interview.done_at,
            "within_72_hours": interview.within_72_hours,
            "closed_at": interview.closed_at,
            "episodes": [
                InterviewEpisodeOut(
                    reference=e.reference,
                    status=e.status,
                    last_seen_at=e.last_seen_at,
                    returned_at=e.returned_at,
                )
                for e in interview.episodes.order_by("last_seen_at", "pk")
            ],
        }

    @classmethod
    def build(cls, interview: ReturnInterview) -> "InterviewSummaryOut":
        return cls(**cls.summary_fields(interview))


class InterviewListItemOut(InterviewSummaryOut):
    child: InterviewChildOut

    @classmethod
    def build(cls, interview: ReturnInterview) -> "InterviewListItemOut":
        child = interview.child
        return cls(
            **cls.summary_fields(interview),
            child=InterviewChildOut(
                id=child.pk,
                first_name=child.first_name,
                last_name=child.last_name,
                date_of_birth=child.date_of_birth,
            ),
        )


class InterviewOut(InterviewListItemOut, Versioned):
    """The whole interview, for its council and its provider."""

    offered_by: str
    offer_method: str
    outcome_reason: str
    done_location: str
    interviewer_name: str
    interviewer_kind: str
    child_account: str
    push_factors: list[str]
    pull_factors: list[str]
    factors_detail: str
    risks_found: list[str]
    what_would_help: str
    actions: str
    shared_with: str
    quote_consent: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, interview: ReturnInterview) -> "InterviewOut":
        base = InterviewListItemOut.build(interview).model_dump()
        return cls(
            **base,
            offered_by=interview.offered_by,
            offer_method=interview.offer_method,
            outcome_reason=interview.outcome_reason,
            done_location=interview.done_location,
            interviewer_name=interview.interviewer_name,
            interviewer_kind=interview.interviewer_kind,
            child_account=interview.child_account,
            push_factors=list(interview.push_factors),
            pull_factors=list(interview.pull_factors),
            factors_detail=interview.factors_detail,
            risks_found=list(interview.risks_found),
            what_would_help=interview.what_would_help,
            actions=interview.actions,
            shared_with=interview.shared_with,
            quote_consent=interview.quote_consent,
            created_at=interview.created_at,
            updated_at=interview.updated_at,
        )


class InterviewPageOut(Schema):
    count: int = Field(description="Interviews matching the filters, across all pages")
    page: int
    page_size: int
    items: list[InterviewListItemOut]


__all__ = [
    "CheckIn",
    "CheckOut",
    "InterviewFilters",
    "InterviewIn",
    "InterviewOut",
    "InterviewPageOut",
    "InterviewSummaryOut",
    "OfferIn",
    "OutcomeIn",
    "ProviderIn",
]


# --- the child's own account ----------------------------------------------------------------


class OwnAccountLinkIn(InputSchema):
    days: int = Field(7, ge=1, le=7, description="How many days the link works, 1 to 7")


class OwnAccountLinkOut(Schema):
    """The link to give the child. Its address is in this answer only: Homeward keeps a
    hash of it, never the link itself."""

    url: str = Field(description="The child's private link: give it to the child, then forget it")
    expires_at: datetime


class OwnAccountWithdrawalIn(InputSchema):
    method: WithdrawalMethod = Field(description="How the child told you")
    version: Version | None = Field(
        None, description="The own account's version as you last saw it"
    )


class OwnAccountOut(Schema):
    """The state of the child's own account. Their words only when the child chose
    "named, to my worker" and has not withdrawn it."""

    state: str = Field(description="none, link_issued, link_ended, given or withdrawn")
    link_expires_at: datetime | None
    link_opened: bool
    given_at: datetime | None
    sharing: Sharing | None = Field(description="named, anonymised or not_shared")
    withdrawn_at: datetime | None
    withdrawal_method: str
    what_happened: str | None = Field(description="Only when the child chose named")
    what_would_help: str | None = Field(description="Only when the child chose named")
    version: int | None

    @classmethod
    def build(cls, state: OwnAccountState) -> "OwnAccountOut":
        account, link = state.account, state.live_link
        readable = account is not None and account.worker_may_read
        return cls(
            state=state.state,
            link_expires_at=link.expires_at if link else None,
            link_opened=bool(link and link.first_opened_at),
            given_at=account.consent_given_at if account else None,
            sharing=Sharing(account.sharing) if account else None,
            withdrawn_at=account.withdrawn_at if account else None,
            withdrawal_method=account.withdrawal_method if account else "",
            what_happened=account.what_happened if account and readable else None,
            what_would_help=account.what_would_help if account and readable else None,
            version=account.version if account else None,
        )
