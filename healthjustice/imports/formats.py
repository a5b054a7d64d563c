"""The three list formats, and reading a file into checked rows (docs/imports.md).

Reading never writes: `read_list` returns the rows that passed and, for the others, the line
and the reason. The file as a whole is refused (ListFileError) when it cannot be a list of
this kind at all: not CSV text, too big, no rows, or headers that are wrong or missing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from healthjustice.core.text import clean_single_line
from healthjustice.journeys.choices import OffenceCategory
from healthjustice.matching.cleaning import NO_FIXED_ABODE, PLACEHOLDER_DOBS, parse_dob
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.models import Site, Team
from healthjustice.people.identifiers import (
    PNC_ID_RE,
    clean_nhs_number,
    clean_pnc_id,
    clean_postcode,
    clean_prison_number,
    pnc_id_key,
)
from healthjustice.reconnect.choices import ReleaseType

from .choices import ListKind


class ListFileError(Exception):
    """The whole file is refused; nothing from it is kept."""


@dataclass(frozen=True)
class Column:
    name: str  # the header, as documented
    label: str  # the field in words, for messages
    required: bool  # must every row give a value?
    optional_column: bool = False  # may the header be left out altogether?


_COMMON_TAIL = (Column("nhs_number", "NHS number", False, optional_column=True),)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ListKind.CUSTODY: (
        Column("custody_suite", "custody suite", True),
        Column("custody_record_number", "custody record number", True),
        Column("arrival_time", "arrival time", True),
        Column("name", "name", True),
        Column("date_of_birth", "date of birth", False),
        Column("pnc_id", "PNC ID", False),
        Column("offence_category", "offence category", False),
        *_COMMON_TAIL,
    ),
    ListKind.COURT: (
        Column("court", "court", True),
        Column("courtroom", "courtroom", False),
        Column("hearing_time", "hearing time", True),
        Column("name", "name", True),
        Column("date_of_birth", "date of birth", False),
        Column("postcode", "postcode", False),
        Column("offence", "offence", False),
        Column("pnc_id", "PNC ID", False),
        *_COMMON_TAIL,
    ),
    ListKind.RELEASE: (
        Column("establishment", "establishment", True),
        Column("prison_number", "prison number", True),
        Column("name", "name", True),
        Column("date_of_birth", "date of birth", False),
        Column("expected_release_date", "expected release date", True),
        Column("release_type", "release type", False),
        *_COMMON_TAIL,
    ),
}

SITE_COLUMN: dict[str, str] = {
    ListKind.CUSTODY: "custody_suite",
    ListKind.COURT: "court",
    ListKind.RELEASE: "establishment",
}
SITE_KINDS: dict[str, tuple[str, ...]] = {
    ListKind.CUSTODY: (SiteKind.CUSTODY_SUITE,),
    ListKind.COURT: (SiteKind.COURT,),
    ListKind.RELEASE: (SiteKind.PRISON, SiteKind.IMMIGRATION_REMOVAL_CENTRE),
}
MAX_ROWS = 20_000
_TIME_RE = re.compile(
    r"^(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})|(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4}))"
    r"[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?$"
)


def max_bytes() -> int:
    return int(settings.HJ_LIST_MAX_BYTES)


def too_big_message(size: int | None = None) -> str:
    limit = f"{max_bytes() / (1024 * 1024):.0f} MB"
    said = f" Yours is {size / (1024 * 1024):.1f} MB." if size else ""
    return f"The file must be smaller than {limit}.{said} Split the list into smaller files."


@dataclass
class ParsedRow:
    line: int
    key: str
    site: Site
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    reference: str = ""
    courtroom: str = ""
    event_at: datetime | None = None
    release_on: date | None = None
    pnc_id: str = ""
    nhs_number: str = ""
    prison_number: str = ""
    postcode: str = ""
    no_fixed_abode: bool = False
    offence_category: str = ""
    offence: str = ""
    release_type: str = ""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


@dataclass
class ReadList:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_in_file: int = 0


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def row_key(kind: str, team: Team, natural_key: tuple[str, ...]) -> str:
    """The row's identity across uploads: the same custody record in the same team's list is
    the same row, whichever file brings it."""
    text = "\x1f".join((kind, str(team.pk), *(part.strip().casefold() for part in natural_key)))
    return hashlib.sha256(text.encode()).hexdigest()


def _header(name: str) -> str:
    return "_".join(clean_single_line(name).lower().replace("-", " ").split())


def _decode(data: bytes) -> str:
    if not data.strip():
        raise ListFileError("The file is empty. Choose the list's CSV file.")
    if len(data) > max_bytes():
        raise ListFileError(too_big_message(len(data)))
    if b"\x00" in data:
        raise ListFileError(
            "The file is not a CSV file (it holds binary data). Save the list as "
            "'CSV UTF-8 (comma delimited)' and upload that."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ListFileError(
            "The file is not a CSV file in UTF-8 text (it could not be read from byte "
            f"{exc.start}). Save the list as 'CSV UTF-8 (comma delimited)' and upload that."
        ) from exc


def column_positions(
    found: list[str], *, required: list[str], known: list[str], what: str
) -> dict[str, int]:
    """Where each column is, from a file's first line, or ListFileError naming the columns
    missing, not known to `what` (a custody list, a caseload) and repeated."""
    names = [_header(h) for h in found]
    missing = [c for c in required if c not in names]
    unknown = [h or "(blank)" for h in names if h not in known]
    repeated = sorted({h for h in names if h and names.count(h) > 1})
    problems = []
    if missing:
        problems.append(
            "missing the column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing)
        )
    if unknown:
        problems.append(
            "has the column"
            + ("s " if len(unknown) > 1 else " ")
            + ", ".join(unknown)
            + f" that a {what} does not have"
        )
    if repeated:
        problems.append("has the column " + ", ".join(repeated) + " more than once")
    if problems:
        raise ListFileError(
            f"The first line of the file is {' and '.join(problems)}. "
            f"A {what} starts with the line: {','.join(known)}"
        )
    return {name: i for i, name in enumerate(names)}


def _check_headers(kind: str, found: list[str]) -> dict[str, int]:
    columns = COLUMNS[kind]
    return column_positions(
        found,
        required=[c.name for c in columns if not c.optional_column],
        known=[c.name for c in columns],
        what=ListKind(kind).label.lower(),
    )


def _name(value: str) -> tuple[str, str]:
    """(given, family) from 'Smith, John', 'SMITH, John' or 'John Smith'; capitals softened."""
    text = clean_single_line(value)
    if text.isupper():
        text = text.title()
    if "," in text:
        family, _, given = text.partition(",")
        return clean_single_line(given), clean_single_line(family)
    parts = text.split(" ")
    if len(parts) < 2:
        return "", text
    return " ".join(parts[:-1]), parts[-1]


def _date(value: str, label: str) -> date:
    parsed = parse_dob(value)
    if parsed is None:
        raise ValidationError(
            f"the {label} '{value}' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"
        )
    return parsed


def _datetime(value: str, label: str) -> datetime:
    match = _TIME_RE.match(value)
    if match:
        y, m, d = (
            (match["y"], match["m"], match["d"])
            if match["y"]
            else (match["y2"], match["m2"], match["d2"])
        )
        try:
            naive = datetime(int(y), int(m), int(d), int(match["H"]), int(match["M"]))
        except ValueError:
            match = None
        else:
            return timezone.make_aware(naive)
    raise ValidationError(
        f"the {label} '{value}' is not a date and time: write it as YYYY-MM-DD HH:MM "
        "or DD/MM/YYYY HH:MM"
    )


def _pnc(value: str) -> str:
    candidate = value.strip().upper().replace(" ", "")
    if not PNC_ID_RE.match(candidate):
        raise ValidationError(
            f"the PNC ID '{value}' is not in the form year/number and check letter, "
            "for example 19/0123456A or 2019/0123456A"
        )
    if pnc_id_key(candidate) is None:
        raise ValidationError(
            f"the PNC ID '{value}' has the wrong check letter: check it against the record"
        )
    return clean_pnc_id(candidate)


def _choice(value: str, choices: Any, label: str) -> str:
    wanted = clean_single_line(value).casefold()
    for code, words in choices:
        if wanted in (str(code).casefold(), str(words).casefold()):
            return str(code)
    allowed = ", ".join(str(code) for code, _ in choices)
    raise ValidationError(f"the {label} '{value}' is not one of: {allowed}")


def _site_finder(kind: str, team: Team) -> Callable[[str], Site]:
    kinds = SITE_KINDS[kind]
    sites = list(Site.objects.filter(kind__in=kinds, is_active=True).prefetch_related("teams"))
    label = {"custody": "custody suite", "court": "court", "release": "establishment"}[kind]

    found_for: dict[str, Site] = {}

    def find(value: str) -> Site:
        # A list names a few sites over thousands of rows: each is looked for once.
        if value not in found_for:
            found_for[value] = find_site(value)
        return found_for[value]

    def find_site(value: str) -> Site:
        wanted = clean_single_line(value).casefold()
        found = [s for s in sites if wanted in (s.name.casefold(), s.code.casefold() or None)]
        if not found:
            raise ValidationError(
                f"the {label} '{value}' is not a known {label}: use its name or code as the "
                "service's list of sites has it"
            )
        if kind != ListKind.RELEASE:
            # An episode is opened at one of the team's own sites.
            own = [s for s in found if any(t.pk == team.pk for t in s.teams.all())]
            if not own:
                raise ValidationError(f"{team.name} does not work at the {label} '{value}'")
            return own[0]
        return found[0]

    return find


def _cells(row: list[str], index: dict[str, int]) -> dict[str, str]:
    return {name: clean_single_line(row[i]) if i < len(row) else "" for name, i in index.items()}


def _parse_row(
    kind: str, team: Team, line: int, cells: dict[str, str], find_site: Callable[[str], Site]
) -> tuple[ParsedRow, tuple[str, ...]]:
    """One row checked; a ValidationError carries every reason it is refused."""
    reasons: list[str] = []

    def check(fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except ValidationError as exc:
            reasons.extend(exc.messages)
            return None

    for column in COLUMNS[kind]:
        if column.required and not cells.get(column.name):
            reasons.append(f"the {column.label} is missing")
    site_text = cells.get(SITE_COLUMN[kind], "")
    site = check(lambda: find_site(site_text)) if site_text else None
    given, family = _name(cells.get("name", ""))
    if cells.get("name") and not given:
        reasons.append(
            f"the name '{cells['name']}' needs a first name and a last name, "
            "as 'Smith, John' or 'John Smith'"
        )
    values: dict[str, Any] = {}
    # The site as found, so its name and its code give the same row.
    site_key = f"site:{site.pk}" if site is not None else site_text
    dob_text = cells.get("date_of_birth", "")
    if dob_text:
        dob = check(lambda: _date(dob_text, "date of birth"))
        if dob and dob > timezone.localdate():
            reasons.append(f"the date of birth '{dob_text}' is in the future")
        elif dob and dob not in PLACEHOLDER_DOBS:
            values["date_of_birth"] = dob
    if cells.get("pnc_id"):
        values["pnc_id"] = check(lambda: _pnc(cells["pnc_id"])) or ""
    if cells.get("nhs_number"):
        nhs = cells["nhs_number"]
        values["nhs_number"] = check(lambda: _nhs(nhs)) or ""
    if kind == ListKind.CUSTODY:
        values["reference"] = cells.get("custody_record_number", "")[:40]
        if cells.get("arrival_time"):
            arrived = check(lambda: _datetime(cells["arrival_time"], "arrival time"))
            if arrived and arrived > timezone.now():
                reasons.append(f"the arrival time '{cells['arrival_time']}' is in the future")
            values["event_at"] = arrived
        if cells.get("offence_category"):
            values["offence_category"] = (
                check(
                    lambda: _choice(
                        cells["offence_category"], OffenceCategory.choices, "offence category"
                    )
                )
                or ""
            )
        natural: tuple[str, ...] = (site_key, values["reference"])
    elif kind == ListKind.COURT:
        values["courtroom"] = cells.get("courtroom", "")[:40]
        values["offence"] = cells.get("offence", "")[:200]
        if cells.get("hearing_time"):
            values["event_at"] = check(lambda: _datetime(cells["hearing_time"], "hearing time"))
        postcode = cells.get("postcode", "")
        if postcode.upper().replace(" ", "") in NO_FIXED_ABODE:
            values["no_fixed_abode"] = True
        elif postcode:
            values["postcode"] = check(lambda: _postcode(postcode)) or ""
        natural = (
            site_key,
            cells.get("hearing_time", ""),
            cells.get("name", ""),
            dob_text,
            cells.get("pnc_id", ""),
        )
    else:
        number = cells.get("prison_number", "")
        if number:
            values["prison_number"] = check(lambda: _prison_number(number)) or ""
        values["reference"] = values.get("prison_number", "")
        if cells.get("expected_release_date"):
            values["release_on"] = check(
                lambda: _date(cells["expected_release_date"], "expected release date")
            )
        if cells.get("release_type"):
            values["release_type"] = (
                check(lambda: _choice(cells["release_type"], ReleaseType.choices, "release type"))
                or ""
            )
        natural = (
            site_key,
            number.upper().replace(" ", ""),
            cells.get("expected_release_date", ""),
        )
    if reasons:
        raise ValidationError(reasons)
    assert site is not None  # a missing or unknown site is a reason above
    row = ParsedRow(
        line=line,
        key=row_key(kind, team, natural),
        site=site,
        given_name=given[:100],
        family_name=family[:100],
        **values,
    )
    return row, natural


def _nhs(value: str) -> str:
    try:
        return clean_nhs_number(value)
    except ValidationError as exc:
        raise ValidationError(f"the NHS number '{value}': {exc.messages[0]}") from exc


def _postcode(value: str) -> str:
    try:
        return clean_postcode(value)
    except ValidationError as exc:
        raise ValidationError(
            f"the postcode '{value}' is not a full UK postcode (or NFA for no fixed abode)"
        ) from exc


def _prison_number(value: str) -> str:
    try:
        return clean_prison_number(value)
    except ValidationError as exc:
        raise ValidationError(
            f"the prison number '{value}' is not a letter, 4 numbers and 2 letters, "
            "for example A1234BC"
        ) from exc


def read_list(kind: str, team: Team, data: bytes) -> ReadList:
    """Check every row of a file; ListFileError when the file as a whole cannot be read."""
    if kind not in ListKind.values:
        raise ListFileError("Choose the kind of list: custody, court or release.")
    text = _decode(data)
    numbered: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        started = 1
        for row in reader:
            # The line the row starts on: a quoted cell may run over several lines.
            if any(cell.strip() for cell in row):
                numbered.append((started, row))
            started = reader.line_num + 1
    except csv.Error as exc:
        raise ListFileError(
            f"The file is not a CSV file that can be read (line {reader.line_num}: {exc})."
        ) from exc
    lines = numbered
    if not lines:
        raise ListFileError("The file is empty. Choose the list's CSV file.")
    _, header = lines[0]
    index = _check_headers(kind, header)
    body = lines[1:]
    if not body:
        raise ListFileError("The file has a header line but no rows.")
    if len(body) > MAX_ROWS:
        raise ListFileError(
            f"The file has {len(body):,} rows; a list may have at most {MAX_ROWS:,}. "
            "Split it into smaller files."
        )
    result = ReadList(rows_in_file=len(body))
    find_site = _site_finder(kind, team)
    first_seen: dict[str, int] = {}
    for line, row in body:
        if len(row) > len(header):
            result.errors.append(
                RowError(line, f"Line {line} has {len(row)} cells; the header has {len(header)}")
            )
            continue
        try:
            parsed, _ = _parse_row(kind, team, line, _cells(row, index), find_site)
        except ValidationError as exc:
            reasons = "; ".join(exc.messages)
            result.errors.append(RowError(line, f"Line {line}: {reasons}"))
            continue
        if parsed.key in first_seen:
            result.errors.append(
                RowError(line, f"Line {line} repeats line {first_seen[parsed.key]} of this file")
            )
            continue
        first_seen[parsed.key] = line
        result.rows.append(parsed)
    return result
