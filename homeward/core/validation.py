"""Checks every service applies to free text and times, whatever channel the input came by."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models

EARLIEST_YEAR = 1900


def text_errors(model: type[models.Model], values: Mapping[str, object]) -> dict[str, list[str]]:
    """Too long for its column, or holding characters no database stores (NUL)."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            errors[name] = ["Remove the invisible control characters from this answer"]
            continue
        try:
            limit = getattr(model._meta.get_field(name), "max_length", None)
        except FieldDoesNotExist:
            limit = None
        if limit and len(value.strip()) > limit:
            errors[name] = [f"Must be {limit} characters or fewer (this is {len(value.strip())})"]
    return errors


def implausible_time(value: datetime) -> bool:
    return value.year < EARLIEST_YEAR
