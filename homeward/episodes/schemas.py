"""API request and response shapes for missing episodes. The response covers the whole
episode: risk history, classification history, timeline, return, linked episodes, version."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator

from homeward.aftercare.schemas import CheckOut, InterviewSummaryOut
from homeward.aftercare.services import episode_aftercare
from homeward.core.actor import Actor
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
from homeward.core.validation import max_length
from homeward.episodes import steps, visibility
from homeward.episodes.models import (
    Classification,
    Episode,
    EpisodeStatus,
    MissingFrom,
    ReporterType,
    ReturnMethod,
    RiskAssessment,
    RiskGrade,
    TimelineEntry,
)
from homeward.organisations.models import Organisation, User

Place = Annotated[str, limit_of(Episode, "last_seen_location")]
ReporterName = Annotated[str, limit_of(Episode, "reporter_name")]
PoliceReference = Annotated[str, limit_of(Episode, "police_reference")]
InformationSource = Annotated[str, limit_of(RiskAssessment, "information_source")]
TimelinePlace = Annotated[str, limit_of(TimelineEntry, "location")]
GRADE_DESCRIPTION = (
    "very_low, low, medium or high. Older police grades are accepted and mapped: "
    "absent and no apparent risk become very_low."
)


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _optional(max_length: int | None = None) -> Any:
    """A PATCH field: may be left out, but never null (null is not of the field's type;
    the default is never validated, so "left out" is told apart from "sent")."""
    return Field(default=None, max_length=max_length, json_schema_extra=_drop_default)


# --- requests ---------------------------------------------------------------------------


class LateReturnIn(InputSchema):
    returned_at: When
    return_method: ReturnMethod
    found_location: Place = ""
    found_with: Place = ""
    harm_indicators: LongText = ""


class ReportIn(InputSchema):
    child_id: Id
    classification: Classification = Field(
        description="M missing, or A away from placement without authorisation"
    )
    last_seen_at: When
    last_seen_location: Place
    missing_from: MissingFrom
    reporter_type: ReporterType
    risk_grade: Annotated[str, Field(max_length=40, description=GRADE_DESCRIPTION)]
    risk_rationale: LongText
    reported_at: When | None = Field(None, description="Defaults to now")
    reporter_name: ReporterName = ""
    circumstances: LongText = ""
    clothing: LongText = ""
    police_reference: PoliceReference = ""
    return_details: LateReturnIn | None = Field(
        None,
        description="For a late report of an episode that is already over: the child's "
        "return. The episode is recorded as returned, its overlap with the child's other "
        "episodes is checked from last seen to this return, and the safe and well check "
        "and return interview fall due.",
    )

    service_names = {"return_details": "returned"}


class EpisodeUpdateIn(InputSchema):
    """Only the fields sent are changed. Send ``version`` or an If-Match header."""

    last_seen_at: When = _optional()
    last_seen_location: str = _optional(max_length(Episode, "last_seen_location"))
    missing_from: MissingFrom = _optional()
    circumstances: str = _optional(max_length(Episode, "circumstances"))
    clothing: str = _optional(max_length(Episode, "clothing"))
    police_reference: str = _optional(max_length(Episode, "police_reference"))
    reporter_name: str = _optional(max_length(Episode, "reporter_name"))
    version: Version | None = None

    def changes(self) -> dict[str, Any]:
        values = self.model_dump(exclude_unset=True, exclude={"version"})
        if "missing_from" in values:
            values["missing_from"] = MissingFrom(values["missing_from"]).value
        return values


class RegradeIn(InputSchema):
    grade: Annotated[str, Field(max_length=40, description=GRADE_DESCRIPTION)]
    rationale: LongText
    information_used: LongText = ""
    information_source: InformationSource = ""
    information_obtained_at: When | None = None
    version: Version | None = None


class ClassificationIn(InputSchema):
    classification: Classification
    reason: LongText
    version: Version | None = None


class TimelineEntryIn(InputSchema):
    kind: Literal["sighting", "call", "action", "note"]
    occurred_at: When
    summary: LongText
    location: TimelinePlace = ""


class ReturnIn(InputSchema):
    returned_at: When
    return_method: ReturnMethod
    found_location: Place = ""
    found_with: Place = ""
    harm_indicators: LongText = ""
    version: Version | None = None


class CloseIn(InputSchema):
    version: Version | None = None


class LinkIn(InputSchema):
    other_reference: Annotated[str, Field(max_length=20)] = Field(
        description="The reference of the other child's episode, e.g. HW-7Q2K9M4P"
    )


class EpisodeFilters(Schema):
    status: EpisodeStatus | None = None
    child_id: Id | None = None
    risk_grade: RiskGrade | None = None
    since: When | None = Field(None, description="Last seen at or after this time")
    until: When | None = Field(None, description="Last seen before this time")
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 25

    @field_validator("until")
    @classmethod
    def _until_after_since(cls, until: datetime | None, info: ValidationInfo) -> datetime | None:
        since = info.data.get("since")
        if since and until and until <= since:
            raise ValueError("Must be after since")
        return until


# --- responses --------------------------------------------------------------------------


def _org(org: Organisation | None) -> OrganisationOut | None:
    return OrganisationOut.model_validate(org) if org is not None else None


def _name(user: User | None) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class EpisodeChildOut(Schema):
    id: int
    first_name: str
    last_name: str
    date_of_birth: date


class RiskAssessmentOut(Schema):
    grade: str
    legacy_grade: str
    rationale: str
    information_used: str
    information_source: str
    information_obtained_at: datetime | None
    decided_by: str | None
    decided_by_organisation: OrganisationOut | None
    decided_at: datetime


class ClassificationChangeOut(Schema):
    classification: str
    changed_at: datetime
    changed_by: str | None
    reason: str


class TimelineEntryOut(Schema):
    kind: str
    occurred_at: datetime
    summary: str
    location: str
    recorded_by: str | None
    recorded_by_organisation: OrganisationOut | None
    recorded_at: datetime


class ReturnOut(Schema):
    returned_at: datetime
    return_method: str
    found_location: str
    found_with: str
    harm_indicators: str
    found_police_force: OrganisationOut | None


class LinkedEpisodeOut(Schema):
    reference: str
    status: str
    last_seen_at: datetime


class StepOut(Schema):
    available: bool = Field(description="You can take this step now")
    reason: str = Field(
        description="Why not yet, when your role allows the step but the episode's state "
        "does not; blank otherwise"
    )


class EpisodeOut(Versioned):
    reference: str
    status: str = Field(description="missing, returned or closed")
    classification: str = Field(description="M missing, A away without authorisation")
    child: EpisodeChildOut
    reported_at: datetime
    reported_by: str | None
    reporting_organisation: OrganisationOut
    reporter_type: str
    reporter_name: str
    last_seen_at: datetime
    last_seen_location: str
    missing_from: str
    circumstances: str
    clothing: str
    police_reference: str
    police_force: OrganisationOut
    risk_grade: str
    return_details: ReturnOut | None = Field(description="Null until the return is recorded")
    closed_at: datetime | None
    closed_by: str | None
    risk_history: list[RiskAssessmentOut]
    classification_history: list[ClassificationChangeOut]
    timeline: list[TimelineEntryOut]
    linked_episodes: list[LinkedEpisodeOut] = Field(
        description="Episodes of children who went missing together with this one, among "
        "those you may see"
    )
    safe_and_well_check: CheckOut | None = Field(
        description="The police safe and well check after the return; null until recorded"
    )
    return_interview: InterviewSummaryOut | None = Field(
        description="The return interview covering this episode (it may cover others too); "
        "null until the return. Its full record: /api/v1/return-interviews/{id}, for the "
        "interview's council and provider"
    )
    next_steps: dict[str, StepOut] = Field(
        description="Each change you may make to the episode (record_return, regrade, "
        "close, timeline, update, classify, link): whether you can make it now and, if "
        "your role allows it but not yet, why. Steps your role never allows are left out"
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def fields_for(cls, actor: Actor, episode: Episode) -> dict[str, Any]:
        child = episode.child
        returned = None
        if episode.returned_at is not None:
            returned = ReturnOut(
                returned_at=episode.returned_at,
                return_method=episode.return_method,
                found_location=episode.found_location,
                found_with=episode.found_with,
                harm_indicators=episode.harm_indicators,
                found_police_force=_org(episode.found_police_force),
            )
        aftercare = episode_aftercare(episode)
        linked = (
            visibility.visible_episodes(actor)
            .filter(pk__in=episode.went_missing_with.values("pk"))
            .order_by("last_seen_at", "pk")
        )
        return {
            "reference": episode.reference,
            "version": episode.version,
            "status": episode.status,
            "classification": episode.classification,
            "child": EpisodeChildOut(
                id=child.pk,
                first_name=child.first_name,
                last_name=child.last_name,
                date_of_birth=child.date_of_birth,
            ),
            "reported_at": episode.reported_at,
            "reported_by": _name(episode.reported_by),
            "reporting_organisation": OrganisationOut.model_validate(
                episode.reporting_organisation
            ),
            "reporter_type": episode.reporter_type,
            "reporter_name": episode.reporter_name,
            "last_seen_at": episode.last_seen_at,
            "last_seen_location": episode.last_seen_location,
            "missing_from": episode.missing_from,
            "circumstances": episode.circumstances,
            "clothing": episode.clothing,
            "police_reference": episode.police_reference,
            "police_force": OrganisationOut.model_validate(episode.police_force),
            "risk_grade": episode.risk_grade,
            "return_details": returned,
            "closed_at": episode.closed_at,
            "closed_by": _name(episode.closed_by),
            "risk_history": [
                RiskAssessmentOut(
                    grade=r.grade,
                    legacy_grade=r.legacy_grade,
                    rationale=r.rationale,
                    information_used=r.information_used,
                    information_source=r.information_source,
                    information_obtained_at=r.information_obtained_at,
                    decided_by=_name(r.decided_by),
                    decided_by_organisation=_org(r.decided_by_organisation),
                    decided_at=r.decided_at,
                )
                for r in episode.risk_history.select_related(
                    "decided_by", "decided_by_organisation"
                )
            ],
            "classification_history": [
                ClassificationChangeOut(
                    classification=c.classification,
                    changed_at=c.changed_at,
                    changed_by=_name(c.changed_by),
                    reason=c.reason,
                )
                for c in episode.classification_history.select_related("changed_by")
            ],
            "timeline": [
                TimelineEntryOut(
                    kind=t.kind,
                    occurred_at=t.occurred_at,
                    summary=t.summary,
                    location=t.location,
                    recorded_by=_name(t.recorded_by),
                    recorded_by_organisation=_org(t.recorded_by_organisation),
                    recorded_at=t.recorded_at,
                )
                for t in episode.timeline.select_related("recorded_by", "recorded_by_organisation")
            ],
            "linked_episodes": [
                LinkedEpisodeOut(
                    reference=e.reference, status=e.status, last_seen_at=e.last_seen_at
                )
                for e in linked
            ],
            "safe_and_well_check": (
                CheckOut.build(aftercare.check, episode.reference) if aftercare.check else None
            ),
            "return_interview": (
                InterviewSummaryOut.build(aftercare.interview) if aftercare.interview else None
            ),
            "next_steps": {
                key: StepOut(available=step.available, reason=step.reason)
                for key, step in steps.for_episode(actor, episode).items()
                if step.allowed
            },
            "created_at": episode.created_at,
            "updated_at": episode.updated_at,
        }

    @classmethod
    def build(cls, actor: Actor, episode: Episode) -> "EpisodeOut":
        return cls(**cls.fields_for(actor, episode))


class ReportOut(EpisodeOut):
    already_missing: bool = Field(
        description="True when the child already had an open episode: the report was added "
        "to that episode's timeline (status 200) instead of opening a new one (status 201)"
    )


class EpisodeSummaryOut(Schema):
    reference: str
    version: int
    status: str
    classification: str
    risk_grade: str
    child: EpisodeChildOut
    last_seen_at: datetime
    missing_from: str
    returned_at: datetime | None
    police_force: OrganisationOut

    @classmethod
    def build(cls, episode: Episode) -> "EpisodeSummaryOut":
        child = episode.child
        return cls(
            reference=episode.reference,
            version=episode.version,
            status=episode.status,
            classification=episode.classification,
            risk_grade=episode.risk_grade,
            child=EpisodeChildOut(
                id=child.pk,
                first_name=child.first_name,
                last_name=child.last_name,
                date_of_birth=child.date_of_birth,
            ),
            last_seen_at=episode.last_seen_at,
            missing_from=episode.missing_from,
            returned_at=episode.returned_at,
            police_force=OrganisationOut.model_validate(episode.police_force),
        )


class EpisodePageOut(Schema):
    count: int = Field(description="Episodes matching the filters, across all pages")
    page: int
    page_size: int
    items: list[EpisodeSummaryOut]
