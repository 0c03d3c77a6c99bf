"""Generated identifiers pass the children app's own checks, and are never a real
person's: NHS numbers from the range kept for testing, UPNs with the fictional LA number."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from homeward.children.codes import nhs_number_is_valid, upn_is_valid
from homeward.seed.codes import make_nhs_number, make_upn


@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(["714", "727", "101"]))
def test_a_upn_is_valid_and_carries_the_councils_number(seed: int, la_code: str) -> None:
    upn = make_upn(random.Random(seed), la_code)
    assert upn_is_valid(upn)
    assert upn[1:4] == la_code


@given(st.integers(min_value=0, max_value=2**32))
def test_an_nhs_number_is_valid_and_from_the_test_range(seed: int) -> None:
    number = make_nhs_number(random.Random(seed))
    assert nhs_number_is_valid(number)
    assert number.startswith("999")


def test_the_same_draws_give_the_same_codes() -> None:
    assert make_upn(random.Random(4), "714") == make_upn(random.Random(4), "714")
    assert make_nhs_number(random.Random(4)) == make_nhs_number(random.Random(4))
