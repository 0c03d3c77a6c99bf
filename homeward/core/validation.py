"""Checks every service applies to free text and times, whatever channel the input came by."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models

EARLIEST_YEAR = 1900

# Fields that hold a person's name, wherever they are, and how an error names each:
# ``text_errors`` checks each with ``name_problem``.
PERSON_NAME_FIELDS = {
    "first_name": "First name",
    "last_name": "Last name",
    "reporter_name": "The name of the person who reported",
    "officer_name": "The officer's name",
    "interviewer_name": "The interviewer's name",
}
# What a spreadsheet runs as a formula (see homeward.core.csv); no name begins so.
NAME_CANNOT_START = "=+-@"
# Invisible characters that change what is shown: controls (tab, newline), format
# characters (right-to-left and other direction overrides, zero-width spaces and joiners,
# soft hyphens), line and paragraph separators, private-use and unpaired surrogates.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
HIDDEN_IN_NAME = (
    "{what} must not include hidden characters, such as direction marks or zero-width "
    "spaces: type the name in rather than pasting it"
)
BAD_NAME_START = "{what} must not start with =, +, - or @"


def person_name(value: str) -> str:
    """A name as stored: Unicode NFC (one form for each accented letter, however it was
    typed), trimmed, and any run of spaces (of any width) as one space. Check it with
    ``name_problem`` first."""
    composed = unicodedata.normalize("NFC", value)
    spaced = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in composed)
    return re.sub(r" {2,}", " ", spaced).strip()


def name_problem(value: str, what: str = "Name") -> str | None:
    """Why this cannot be a person's name, or None; ``what`` names the field in the
    message ("First name"). Letters of every script, apostrophes, hyphens and spaces
    inside a name are all fine (O'Brien, Smith-Jones, 't Hooft); hidden characters that
    could make a name show as something else are refused, and so is a name beginning
    with a character a spreadsheet would run as a formula."""
    name = person_name(value)
    if any(unicodedata.category(ch) in _HIDDEN_CATEGORIES for ch in name):
        return HIDDEN_IN_NAME.format(what=what)
    if name.startswith(tuple(NAME_CANNOT_START)):
        return BAD_NAME_START.format(what=what)
    return None


def text_errors(model: type[models.Model], values: Mapping[str, object]) -> dict[str, list[str]]:
    """Too long for its column, or holding characters no database stores (NUL); and, for
    a person's name (``PERSON_NAME_FIELDS``), not a name (``name_problem``)."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            errors[name] = ["Remove the invisible control characters from this answer"]
            continue
        what = PERSON_NAME_FIELDS.get(name)
        problem = name_problem(value, what) if what else None
        if problem:
            errors[name] = [problem]
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
