"""Checks every service applies to free text and times, whatever channel the input came by."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models

EARLIEST_YEAR = 1900


def too_long(name: str, limit: int) -> str:
    """The design system's words for text over its limit, the same from a web form, the
    API or an import: "Last seen location must be 300 characters or fewer"."""
    return f"{name} must be {limit} characters or fewer"


def text_errors(
    model: type[models.Model],
    values: Mapping[str, object],
    names: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """Too long for its column, or holding characters no database stores (NUL). A field
    is named by ``names`` or else by the column's verbose name ("last seen location")."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            errors[name] = ["Remove the invisible control characters from this answer"]
            continue
        try:
            column = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        limit = getattr(column, "max_length", None)
        if limit and len(value.strip()) > limit:
            label = (names or {}).get(name) or str(getattr(column, "verbose_name", name))
            errors[name] = [too_long(label[0].upper() + label[1:], limit)]
    return errors


def implausible_time(value: datetime) -> bool:
    return value.year < EARLIEST_YEAR
