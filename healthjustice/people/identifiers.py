"""Checking and normalising the identifiers people in the justice system carry."""

import re

import nhs_number
from django.core.exceptions import ValidationError

PNC_ID_RE = re.compile(r"^(\d{2}|\d{4})/(\d{1,7})([A-Z])$")
PRISON_NUMBER_RE = re.compile(r"^[A-Z]\d{4}[A-Z]{2}$")
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$")


def clean_nhs_number(value: str) -> str:
    """Digits only, or a ValidationError saying what is wrong."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not digits.isdigit():
        raise ValidationError("NHS number must contain only numbers, for example 999 123 4560")
    if len(digits) != 10:
        raise ValidationError("NHS number must be 10 digits")
    if not nhs_number.is_valid(digits):
        raise ValidationError(
            "Enter a valid NHS number: check each digit, this one does not add up"
        )
    return nhs_number.standardise_format(digits)


def validate_nhs_number(value: str) -> None:
    """Model-field validator: a stored NHS number is 10 digits whose check digit adds up."""
    if clean_nhs_number(value) != value:
        raise ValidationError("NHS number must be stored as 10 digits with no spaces")


def format_nhs_number(value: str | None) -> str:
    digits = value or ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


def clean_pnc_id(value: str) -> str:
    """Police National Computer ID: year (2 or 4 digits), slash, serial, check letter."""
    candidate = (value or "").strip().upper().replace(" ", "")
    match = PNC_ID_RE.match(candidate)
    if not match:
        raise ValidationError(
            "PNC ID must be a year, a slash, a number and a letter, for example 2019/0123456A"
        )
    year, serial, letter = match.groups()
    return f"{year}/{int(serial):07d}{letter}"


def clean_prison_number(value: str) -> str:
    candidate = (value or "").strip().upper().replace(" ", "")
    if not PRISON_NUMBER_RE.match(candidate):
        raise ValidationError(
            "Prison number must be a letter, 4 numbers and 2 letters, for example A1234BC"
        )
    return candidate


def clean_postcode(value: str) -> str:
    candidate = re.sub(r"\s+", "", (value or "").upper())
    match = POSTCODE_RE.match(candidate)
    if not match:
        raise ValidationError("Enter a full UK postcode, for example ST4 1NF")
    return f"{match.group(1)} {match.group(2)}"


# The PNC check character: (two-digit year followed by the seven-digit serial) modulo 23.
PNC_CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"


def pnc_check_letter(year: str, serial: str) -> str:
    """The check letter of a PNC ID's year (2 or 4 digits) and serial."""
    return PNC_CHECK_LETTERS[int(f"{int(year) % 100:02d}{int(serial):07d}") % 23]


def pnc_id_key(value: str) -> str | None:
    """A PNC ID in short (`YY/NNNNNNNC`) or long (`YYYY/NNNNNNNC`) form as one comparable key,
    `YY/NNNNNNNC`, or None when it is malformed or its check letter does not add up."""
    candidate = (value or "").strip().upper().replace(" ", "")
    match = PNC_ID_RE.match(candidate)
    if not match:
        return None
    year, serial, letter = match.groups()
    if pnc_check_letter(year, serial) != letter:
        return None
    return f"{int(year) % 100:02d}/{int(serial):07d}{letter}"
