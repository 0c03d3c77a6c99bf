"""Types shared by the API schemas: bounded ids and versions, sane times, strict input.

Bounds matter: an id too large for a 64-bit column, a NUL character, a year 1 datetime or
a UTC offset of +18:00 would reach the database and fail there (a 500); here they are a
422 naming the field. So does strictness: in a JSON body ``true`` is not 1 and "3" is not
3, and a time is ISO 8601 text, never a number read as seconds since 1970."""

import re
import types
import typing
from datetime import date, datetime, timedelta
from functools import cache
from typing import Annotated, Any, ClassVar

from django.db import models
from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from homeward.core.validation import (
    EARLIEST_YEAR,
    HIDDEN_CONTROL,
    LATEST_YEAR,
    LONG_TEXT,
    max_length,
)

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Free text without a column limit: the limit every channel shares.
LongText = Annotated[str, Field(max_length=LONG_TEXT)]


def limit_of(model: type[models.Model], name: str) -> Any:
    """A text field's bound, as long as the model's field holds (``validation.max_length``):
    ``Annotated[str, limit_of(Episode, "last_seen_location")]``."""
    return Field(max_length=max_length(model, name))


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


# PostgreSQL stores UTC offsets up to 15:59 either way (real ones run from -12:00 to +14:00).
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_time(value: Any) -> Any:
    """Only ISO 8601 text: pydantic alone would read 0.5 or "1700000000" as Unix time."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE_TIME.match(value):
        raise ValueError("Enter a date and time like 2026-03-01T18:30:00Z or +01:00")
    return value


def _storable_time(value: datetime) -> datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(
            f"Enter a date and time between the years {EARLIEST_YEAR} and {LATEST_YEAR}"
        )
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValueError("Enter a UTC offset between -15:59 and +15:59, like Z or +01:00")
    return value


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD: not a number of seconds, and not a date and time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("Enter a date like 2012-12-31")
    return value


# Every date and time a request may carry, in a body or a query string.
When = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_date_time),
    AfterValidator(_storable_time),
    Field(description="ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T18:30:00Z"),
]

# Every date without a time a request may carry.
Day = Annotated[
    date,
    BeforeValidator(_iso_date),
    Field(description="ISO 8601 date, e.g. 2012-12-31"),
]


def _reject_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(HIDDEN_CONTROL)
    if isinstance(value, list):
        for item in value:
            _reject_nul(item)
    return value


def _plain_type(annotation: Any) -> Any:
    """int for ``int``, ``Annotated[int, ...]`` or ``Annotated[int, ...] | None``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) != 1:
            return None
        annotation = args[0]
    if typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


@cache
def _json_kind(model: type[Schema], field: str) -> type | None:
    kind = _plain_type(model.model_fields[field].annotation)
    return kind if kind in (bool, int) else None


class InputSchema(Schema):
    """Every request body: unknown fields are refused (a misspelt field is an error, not
    silently ignored), no string may carry a NUL character, and numbers and true/false
    are JSON's own (pydantic alone would take true or "3" or 3.0 for a number, and 1 or
    "yes" for true)."""

    model_config = ConfigDict(extra="forbid")
    # A field the API names differently from the service's input ("return_details" is the
    # service's "returned"): the API's name, then the service's. ``for_service`` renames.
    service_names: ClassVar[dict[str, str]] = {}

    def for_service(self) -> dict[str, Any]:
        """What was sent, by the service's field names, nested schemas as mappings."""
        values = self.model_dump()
        for field in values:
            nested = getattr(self, field)
            if isinstance(nested, InputSchema):
                values[field] = nested.for_service()
        return {self.service_names.get(k, k): v for k, v in values.items()}

    @field_validator("*", mode="before")
    @classmethod
    def _json_types(cls, value: Any, info: ValidationInfo) -> Any:
        kind = _json_kind(cls, str(info.field_name))
        if value is None or kind is None:
            return value
        if kind is bool and not isinstance(value, bool):
            raise ValueError("Enter true or false")
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError("Enter a whole number, like 3")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _reject_nul(value)


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    code: str
