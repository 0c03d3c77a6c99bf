"""Types shared by the API schemas: bounded ids and versions, sane times, strict input.

Bounds matter: an id too large for a 64-bit column, a NUL character or a year 1 datetime
would reach the database and fail there (a 500); here they are a 422 naming the field."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, field_validator

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
# Free-text fields (circumstances, rationale...) are TextFields; this is a sanity limit.
LONG_TEXT = 10_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]

Version = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_VERSION,
        description="The episode's version as you last saw it (its ETag without quotes).",
    ),
]


EpisodeReference = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20,
        pattern=r"^[A-Za-z0-9-]+$",
        description="The episode reference, e.g. HW-7Q2K9M4P",
    ),
]


def _sane_year(value: datetime) -> datetime:
    if not 1900 <= value.year <= 9000:
        raise ValueError("Enter a date and time between the years 1900 and 9000")
    return value


When = Annotated[
    AwareDatetime,
    AfterValidator(_sane_year),
    Field(description="ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T18:30:00Z"),
]


def _reject_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("Must not contain a NUL character")
    if isinstance(value, list):
        for item in value:
            _reject_nul(item)
    return value


class InputSchema(Schema):
    """Every request body: unknown fields are refused (a misspelt field is an error, not
    silently ignored) and no string may carry a NUL character."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _reject_nul(value)


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    code: str
