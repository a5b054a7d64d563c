"""Cleaning and standardising source records before they are compared.

Pure functions: a raw record (text fields as a list or file gives them) becomes a `CleanRecord`
whose fields compare directly. Names go through the same normaliser as person search
(`people.names`); identifiers through `people.identifiers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import jellyfish
import nhs_number

from healthjustice.people.identifiers import POSTCODE_RE, pnc_id_key
from healthjustice.people.names import canonical_given_name, name_parts

# Dates of birth that systems write when the real one is unknown.
PLACEHOLDER_DOBS = frozenset({date(1900, 1, 1), date(1901, 1, 1), date(1800, 1, 1)})
NO_FIXED_ABODE = frozenset({"NFA", "NOFIXEDABODE", "NOFIXEDADDRESS", "ZZ999ZZ", "ZZ99"})
_NHS_SEPARATORS = re.compile(r"[\s-]")
_POSTCODE_SEPARATORS = re.compile(r"[\s.]")
_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
)


@dataclass(frozen=True, slots=True)
class RawRecord:
    record_id: str
    given_name: str = ""
    family_name: str = ""
    dob: str = ""
    sex: str = ""
    nhs_number: str = ""
    pnc_id: str = ""
    postcode: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class CleanRecord:
    record_id: str
    given: str  # normalised first given name ("" when missing)
    given_canonical: str  # its formal form through the nickname table
    family: str  # normalised family name, words joined by a space ("smith jones")
    family_parts: tuple[str, ...]
    dob: date | None  # None when missing, unreadable or a placeholder
    birth_year: int | None  # kept when only the year is known (01/01/YYYY placeholders)
    dob_year_only: bool
    sex: str  # "M", "F" or ""
    nhs_number: str  # 10 digits with a valid check digit, or ""
    pnc: str  # "YY/NNNNNNNC" with a verified check letter, or ""
    postcode: str  # "ST4 1NF", or ""
    no_fixed_abode: bool
    source: str
    # The family name read as a given name, for records whose names were written swapped.
    family_as_given: str = ""

    @property
    def given_key(self) -> str:
        return jellyfish.nysiis(self.given_canonical)[:8] if self.given_canonical else ""

    @property
    def family_key(self) -> str:
        flat = self.family.replace(" ", "")
        return jellyfish.nysiis(flat)[:8] if flat else ""


def clean_given_name(value: str) -> str:
    """The first given name, normalised: 'JOHN PAUL' -> 'john'; middle names are not compared."""
    parts = name_parts(value)
    return parts[0] if parts else ""


def clean_family_name(value: str) -> tuple[str, tuple[str, ...]]:
    """Normalised family name and its parts.

    'Smith-Jones' -> ('smith jones', ('smith', 'jones')).
    """
    parts = tuple(name_parts(value))
    return " ".join(parts), parts


def parse_dob(value: str) -> date | None:
    """A date from `YYYY-MM-DD` or `DD/MM/YYYY`; None when missing or impossible."""
    text = (value or "").strip()
    for pattern in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def clean_dob(value: str, *, today: date | None = None) -> tuple[date | None, int | None, bool]:
    """(date of birth, birth year, year only).

    01/01/1900 and like placeholders mean "not known": (None, None, False). Another 1 January is
    treated as "the year is known, the day may not be": the date is kept, and `year only` is
    True so that a different day and month in that year is not counted against a match. A date
    in the future is not a date of birth.
    """
    parsed = parse_dob(value)
    if parsed is None or parsed in PLACEHOLDER_DOBS:
        return None, None, False
    if parsed > (today or date.today()):
        return None, None, False
    return parsed, parsed.year, (parsed.month, parsed.day) == (1, 1)


def day_month_swapped(a: date, b: date) -> bool:
    return a != b and a.year == b.year and (a.day, a.month) == (b.month, b.day)


def clean_nhs_number(value: str) -> str:
    digits = _NHS_SEPARATORS.sub("", value or "")
    if len(digits) == 10 and digits.isdigit() and nhs_number.is_valid(digits):
        return digits
    return ""


def clean_postcode(value: str) -> tuple[str, bool]:
    """(formatted postcode or "", no fixed abode)."""
    candidate = _POSTCODE_SEPARATORS.sub("", (value or "").upper())
    if candidate in NO_FIXED_ABODE:
        return "", True
    match = POSTCODE_RE.match(candidate)
    if not match:
        return "", False
    return f"{match.group(1)} {match.group(2)}", False


def clean_sex(value: str) -> str:
    first = (value or "").strip().upper()[:1]
    return first if first in {"M", "F"} else ""


def given_forms(value: str) -> tuple[str, str]:
    """(first given name, its formal form)."""
    given = clean_given_name(value)
    return given, canonical_given_name(given)


def family_forms(value: str) -> tuple[str, tuple[str, ...], str]:
    """(family name, its parts, the family name read as a given name)."""
    family, parts = clean_family_name(value)
    return family, parts, canonical_given_name(family)


def clean_record(raw: RawRecord, *, today: date | None = None) -> CleanRecord:
    return _Cleaner(today or date.today()).clean(raw)


def clean_records(raws: Sequence[RawRecord], *, today: date | None = None) -> list[CleanRecord]:
    """`clean_record` of each record, each distinct value of a field cleaned once: a list of a
    million records holds far fewer distinct names, dates, postcodes and identifiers, and the
    records cleaned share the strings of their values."""
    clean = _Cleaner(today or date.today()).clean
    return [clean(raw) for raw in raws]


class _Memo(dict[str, Any]):
    """What `clean` made of each value it was given, computed on the first lookup only."""

    def __init__(self, clean: Callable[[str], Any]) -> None:
        super().__init__()
        self.clean = clean

    def __missing__(self, value: str) -> Any:
        made = self[value] = self.clean(value)
        return made


class _Cleaner:
    """Cleans records, remembering what each distinct value of a field became."""

    def __init__(self, today: date) -> None:
        self.given_of = _Memo(given_forms)
        self.family_of = _Memo(family_forms)
        self.dob_of = _Memo(lambda value: clean_dob(value, today=today))
        self.nhs_of = _Memo(clean_nhs_number)
        self.pnc_of = _Memo(lambda value: pnc_id_key(value) or "")
        self.postcode_of = _Memo(clean_postcode)
        self.sex_of = _Memo(clean_sex)
        self.source_of = _Memo(lambda value: value.strip().lower())

    def clean(self, raw: RawRecord) -> CleanRecord:
        given, given_canonical = self.given_of[raw.given_name]
        family, family_parts, family_as_given = self.family_of[raw.family_name]
        if not given and "," in raw.family_name:
            # "Smith, John" written into one field.
            family_text, _, given_text = raw.family_name.partition(",")
            given, given_canonical = self.given_of[given_text]
            family, family_parts, family_as_given = self.family_of[family_text]
        dob = self.dob_of[raw.dob]
        nhs = self.nhs_of[raw.nhs_number]
        pnc = self.pnc_of[raw.pnc_id]
        postcode = self.postcode_of[raw.postcode]
        sex = self.sex_of[raw.sex]
        source = self.source_of[raw.source]
        return CleanRecord(
            record_id=raw.record_id,
            given=given,
            given_canonical=given_canonical,
            family=family,
            family_parts=family_parts,
            dob=dob[0],
            birth_year=dob[1],
            dob_year_only=dob[2],
            sex=sex,
            nhs_number=nhs,
            pnc=pnc,
            postcode=postcode[0],
            no_fixed_abode=postcode[1],
            source=source,
            family_as_given=family_as_given,
        )
