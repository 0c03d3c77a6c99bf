"""What the episode endpoints accept: a report, a change, a return, a link, list filters."""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator

from homeward.core.schemas import Id, InputSchema, LongText, Version, When, limit_of
from homeward.core.validation import max_length
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


class LateReturnIn(InputSchema):
    returned_at: When
    return_method: ReturnMethod
    found_location: Place = ""
    found_with: Place = ""
    harm_indicators: LongText = ""


class ReportIn(InputSchema):
    child_id: Id | None = None
    match_token: str = Field(
        "",
        max_length=500,
        description="Instead of child_id: a token from find before create, to report a "
        "child whose record you may not see",
    )
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
    last_seen_with: Annotated[str, limit_of(Episode, "last_seen_with")] = Field(
        "", description="Missing profile part 2: who the child was with when last seen"
    )
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
