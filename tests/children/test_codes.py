import pytest

from homeward.children.codes import nhs_number_is_valid, upn_is_valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("9434765919", True),  # check digit 9
        ("943 476 5919", True),
        ("9434765918", False),  # wrong check digit
        ("943476591", False),  # too short
        ("94347659AB", False),
        ("1000000010", False),  # remainder gives check digit 10: never issued
    ],
)
def test_nhs_number_check_digit(value: str, valid: bool) -> None:
    assert nhs_number_is_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("B123456789012", False),  # check letter should be A
        ("A123456789012", True),
        ("123456789012", False),
    ],
)
def test_upn_shape(value: str, valid: bool) -> None:
    assert upn_is_valid(value) is valid


def test_upn_check_letter_round_trip() -> None:
    from homeward.children.codes import UPN_LETTERS

    body = "820200101234"
    total = sum(w * int(c) for w, c in zip(range(2, 14), body, strict=True))
    upn = UPN_LETTERS[total % 23] + body
    assert upn_is_valid(upn)
    wrong = UPN_LETTERS[(total + 1) % 23] + body
    assert not upn_is_valid(wrong)
