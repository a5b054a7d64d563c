import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from healthjustice.people.identifiers import (
    clean_nhs_number,
    clean_pnc_id,
    clean_postcode,
    clean_prison_number,
    format_nhs_number,
)


@pytest.mark.parametrize("raw", ["943 476 5919", "943-476-5919", "9434765919", " 9434765919 "])
def test_nhs_number_is_normalised_to_digits(raw):
    assert clean_nhs_number(raw) == "9434765919"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("9434765910", "does not add up"),
        ("943476591", "10 digits"),
        ("94347659199", "10 digits"),
        ("94347A5919", "only numbers"),
        ("", "only numbers"),
    ],
)
def test_invalid_nhs_numbers_are_refused_with_a_reason(raw, message):
    with pytest.raises(ValidationError, match=message):
        clean_nhs_number(raw)


def _modulus_11_check_digit(stem: str) -> int | None:
    """The Data Dictionary's rule, written out independently of the library."""
    total = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return None if check == 10 else 0 if check == 11 else check


@given(st.integers(min_value=0, max_value=10**6 - 1), st.integers(min_value=0, max_value=9))
def test_synthetic_range_numbers_pass_exactly_when_modulus_11_holds(stem, last):
    # The 999 range is reserved for test patients; it avoids the Scottish CHI date rule.
    candidate = f"999{stem:06d}{last}"
    if _modulus_11_check_digit(candidate[:9]) == last:
        assert clean_nhs_number(candidate) == candidate
    else:
        with pytest.raises(ValidationError):
            clean_nhs_number(candidate)


def test_nhs_number_displays_as_three_three_four():
    assert format_nhs_number("9434765919") == "943 476 5919"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("2019/123456A", "2019/0123456A"),
        ("19/0123456z", "19/0123456Z"),
        ("2001/1B", "2001/0000001B"),
    ],
)
def test_pnc_id_is_normalised(raw, clean):
    assert clean_pnc_id(raw) == clean


@pytest.mark.parametrize("raw", ["2019-123456A", "2019/123456", "201/1234567A", "2019/12345678A"])
def test_malformed_pnc_id_is_refused(raw):
    with pytest.raises(ValidationError, match="PNC ID"):
        clean_pnc_id(raw)


def test_prison_number_format():
    assert clean_prison_number(" a1234bc ") == "A1234BC"
    for bad in ["A12345BC", "11234BC", "A1234B"]:
        with pytest.raises(ValidationError, match="Prison number"):
            clean_prison_number(bad)


def test_postcode_is_normalised_and_checked():
    assert clean_postcode("st41nf") == "ST4 1NF"
    assert clean_postcode("WV1 1RE") == "WV1 1RE"
    with pytest.raises(ValidationError, match="postcode"):
        clean_postcode("NOT A CODE")
