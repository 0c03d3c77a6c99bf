"""Identifiers that pass the children app's own checks: the check character is the one
``upn_is_valid`` or ``nhs_number_is_valid`` accepts, so the rule is not written twice."""

from __future__ import annotations

import random

from homeward.children.codes import UPN_LETTERS, nhs_number_is_valid, upn_is_valid


def make_upn(rng: random.Random, la_code: str) -> str:
    """A permanent UPN: check letter, LA number, school number, year, serial."""
    school = rng.choice(("2", "3", "4", "5")) + f"{rng.randint(0, 999):03d}"
    body = f"{la_code}{school}{rng.randint(5, 18):02d}{rng.randint(0, 999):03d}"
    return next(letter + body for letter in UPN_LETTERS if upn_is_valid(letter + body))


def make_nhs_number(rng: random.Random) -> str:
    """From the 999 range the NHS keeps for test data: never issued to a real person. A
    stem whose check digit would be 10 has no valid number: another stem is drawn."""
    while True:
        stem = "999" + f"{rng.randint(0, 999999):06d}"
        number = next((stem + d for d in "0123456789" if nhs_number_is_valid(stem + d)), None)
        if number is not None:
            return number
