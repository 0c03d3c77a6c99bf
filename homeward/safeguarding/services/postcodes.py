"""Postcodes, written one way: upper case, one space before the inward code ("AB1 2CD").
The postcode sector ("AB1 2", the outward code and the inward code's first digit) is the
small area a hotspot can be, when no one place stands out."""

from __future__ import annotations

import re

# Outward code (area letters, district digit(s), optional letter) and inward code (a digit
# and two letters). Loose enough for every UK form; "GIR 0AA" is not a place a child goes.
_SHAPE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise(value: str) -> str | None:
    """The postcode written the one way, or None when it is not a postcode's shape.
    Blank in, blank out."""
    squeezed = re.sub(r"\s+", "", value or "").upper()
    if not squeezed:
        return ""
    found = _SHAPE.match(squeezed)
    if found is None:
        return None
    return f"{found.group(1)} {found.group(2)}"


def sector(postcode: str) -> str:
    """The postcode sector of a normalised postcode ("AB1 2CD" -> "AB1 2"); blank if none."""
    if not postcode or " " not in postcode:
        return ""
    outward, inward = postcode.split(" ", 1)
    return f"{outward} {inward[:1]}"
