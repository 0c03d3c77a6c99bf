"""Checks every service applies to free text and times, whatever channel the input came by."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models

# The years a date and time may fall in, wherever it comes from: earlier is a typing
# slip (and older than any record), later cannot be stored everywhere.
EARLIEST_YEAR = 1900
LATEST_YEAR = 9000
# Free text without a column limit (circumstances, the child's account...): a sanity limit,
# the same on a web page, through the API and in a service.
LONG_TEXT = 5000
# Characters no database stores (NUL): the one message, whatever channel the text came by.
HIDDEN_CONTROL = "Remove the invisible control characters from this answer"

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


def too_long(name: str, limit: int) -> str:
    """The design system's words for text over its limit, the same from a web form, the
    API or an import: "Last seen location must be 300 characters or fewer"."""
    return f"{name} must be {limit} characters or fewer"


def text_errors(
    model: type[models.Model],
    values: Mapping[str, object],
    names: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """Too long for its column, or holding characters no database stores (NUL); and, for
    a person's name (``PERSON_NAME_FIELDS``), not a name (``name_problem``). A field is
    named by ``names``, else as a person's name is, else by the column's verbose name
    ("last seen location")."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            errors[name] = [HIDDEN_CONTROL]
            continue
        what = PERSON_NAME_FIELDS.get(name)
        problem = name_problem(value, what) if what else None
        if problem:
            errors[name] = [problem]
            continue
        try:
            column = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        limit = getattr(column, "max_length", None)
        if limit is None and isinstance(column, models.TextField):
            limit = LONG_TEXT
        if limit and len(value.strip()) > limit:
            label = (
                (names or {}).get(name)
                or PERSON_NAME_FIELDS.get(name)
                or str(getattr(column, "verbose_name", name))
            )
            errors[name] = [too_long(label[0].upper() + label[1:], limit)]
    return errors


def has_control(value: object) -> bool:
    """A NUL character anywhere in the text, or in any text of a list."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(has_control(item) for item in value)
    return False


def implausible_time(value: datetime) -> bool:
    return not EARLIEST_YEAR <= value.year <= LATEST_YEAR


def max_length(model: type[models.Model], name: str) -> int:
    """The longest text a model's field holds: its column's limit, or LONG_TEXT for a
    column without one. Forms and API schemas take their bounds from here."""
    limit = getattr(model._meta.get_field(name), "max_length", None)
    return int(limit) if limit else LONG_TEXT
