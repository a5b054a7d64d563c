"""The caseload transfer format, and reading a file into checked rows (docs/imports.md).

Reading never writes. The whole file is checked before anything is imported: `read_caseload`
returns every row that passed and, for the others, the line and the reason; the file as a
whole is refused (ListFileError) when it cannot be a caseload at all.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from healthjustice.core.text import clean_single_line
from healthjustice.matching.cleaning import NO_FIXED_ABODE
from healthjustice.organisations.choices import Pathway
from healthjustice.people.choices import Sex

from .formats import (
    ListFileError,
    RowError,
    _date,
    _decode,
    _nhs,
    _pnc,
    _postcode,
    column_positions,
)

HEADER = (
    "reference",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "nhs_number",
    "pnc_id",
    "postcode",
    "pathway",
    "opened_on",
    "stage",
    "handover_note",
)
REQUIRED = {
    "reference": "previous provider's reference",
    "given_name": "given name",
    "family_name": "family name",
    "date_of_birth": "date of birth",
    "postcode": "postcode (or NFA)",
    "pathway": "pathway",
    "opened_on": "episode opened date",
    "stage": "stage",
}
# Pathways whose open episodes can be transferred, by the words a file may use.
PATHWAYS = {
    "liaison_diversion": Pathway.LIAISON_DIVERSION,
    "l&d": Pathway.LIAISON_DIVERSION,
    "ld": Pathway.LIAISON_DIVERSION,
    "liaison and diversion": Pathway.LIAISON_DIVERSION,
}
# An imported episode opens at its pathway's first stage, as any new episode does; later
# stages are reached by recording a screening or an assessment, which a transfer does not hold.
STAGES = ("identified",)
SEXES = {
    "m": Sex.MALE,
    "male": Sex.MALE,
    "1": Sex.MALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "2": Sex.FEMALE,
    "9": Sex.INDETERMINATE,
    "x": Sex.NOT_KNOWN,
    "": Sex.NOT_KNOWN,
}
MAX_ROWS = 20_000
NOTE_MAX = 1500


@dataclass
class CaseloadRow:
    line: int
    reference: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    nhs_number: str
    pnc_id: str
    postcode: str
    no_fixed_abode: bool
    pathway: str
    opened_on: date
    stage: str
    handover_note: str


@dataclass
class ReadCaseload:
    rows: list[CaseloadRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_in_file: int = 0


def _check_headers(found: list[str]) -> dict[str, int]:
    return column_positions(found, required=list(HEADER), known=list(HEADER), what="caseload")


def _parse_row(line: int, cells: dict[str, str]) -> CaseloadRow:
    reasons: list[str] = []
    for name, label in REQUIRED.items():
        if not cells[name]:
            reasons.append(f"the {label} is missing")
    today = timezone.localdate()
    dob = opened = None
    if cells["date_of_birth"]:
        try:
            dob = _date(cells["date_of_birth"], "date of birth")
        except ValidationError as exc:
            reasons.extend(exc.messages)
        else:
            if dob > today:
                reasons.append(f"the date of birth '{cells['date_of_birth']}' is in the future")
    if cells["opened_on"]:
        try:
            opened = _date(cells["opened_on"], "episode opened date")
        except ValidationError as exc:
            reasons.extend(exc.messages)
        else:
            if opened > today:
                reasons.append(f"the episode opened date '{cells['opened_on']}' is in the future")
            elif dob is not None and opened < dob:
                reasons.append("the episode opened date is before the date of birth")
    values: dict[str, str] = {"nhs_number": "", "pnc_id": ""}
    for name, clean in (("nhs_number", _nhs), ("pnc_id", _pnc)):
        if cells[name]:
            try:
                values[name] = clean(cells[name])
            except ValidationError as exc:
                reasons.extend(exc.messages)
    sex = SEXES.get(cells["sex"].casefold())
    if sex is None:
        reasons.append(f"the sex '{cells['sex']}' is not one of: M, F, X (not known), 9")
    postcode, nfa = "", False
    if cells["postcode"].upper().replace(" ", "") in NO_FIXED_ABODE:
        nfa = True
    elif cells["postcode"]:
        try:
            postcode = _postcode(cells["postcode"])
        except ValidationError as exc:
            reasons.extend(exc.messages)
    pathway = PATHWAYS.get(cells["pathway"].casefold())
    if cells["pathway"] and pathway is None:
        reasons.append(
            f"the pathway '{cells['pathway']}' cannot be transferred: only liaison_diversion "
            "(L&D) episodes can"
        )
    stage = cells["stage"].casefold()
    if cells["stage"] and stage not in STAGES:
        reasons.append(
            f"the stage '{cells['stage']}' cannot be set on import: an episode opens at "
            f"{' or '.join(STAGES)}"
        )
    if len(cells["reference"]) > 40:
        reasons.append("the previous provider's reference is longer than 40 characters")
    if len(cells["handover_note"]) > NOTE_MAX:
        reasons.append(f"the handover note is longer than {NOTE_MAX} characters")
    if reasons:
        raise ValidationError(reasons)
    assert dob is not None and opened is not None and pathway is not None
    return CaseloadRow(
        line=line,
        reference=cells["reference"],
        given_name=cells["given_name"][:100],
        family_name=cells["family_name"][:100],
        date_of_birth=dob,
        sex=str(sex),
        postcode=postcode,
        no_fixed_abode=nfa,
        pathway=str(pathway),
        opened_on=opened,
        stage=stage,
        handover_note=cells["handover_note"],
        **values,
    )


def read_caseload(data: bytes) -> ReadCaseload:
    """Check every row of a caseload file; ListFileError when the file cannot be read at all."""
    text = _decode(data)
    numbered: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        started = 1
        for row in reader:
            if any(cell.strip() for cell in row):
                numbered.append((started, row))
            started = reader.line_num + 1
    except csv.Error as exc:
        raise ListFileError(
            f"The file is not a CSV file that can be read (line {reader.line_num}: {exc})."
        ) from exc
    if not numbered:
        raise ListFileError("The file is empty. Choose the caseload's CSV file.")
    _, header = numbered[0]
    if len(header) < 2:
        raise ListFileError(
            "Line 1 of the file is not a CSV header line. A caseload starts with the line: "
            + ",".join(HEADER)
        )
    index = _check_headers(header)
    body = numbered[1:]
    if not body:
        raise ListFileError("The file has a header line but no rows.")
    if len(body) > MAX_ROWS:
        raise ListFileError(
            f"The file has {len(body):,} rows; a caseload file may have at most {MAX_ROWS:,}. "
            "Split it into smaller files."
        )
    result = ReadCaseload(rows_in_file=len(body))
    seen: dict[tuple[str, str], int] = {}
    for line, row in body:
        if len(row) > len(header):
            result.errors.append(
                RowError(line, f"Line {line} has {len(row)} cells; the header has {len(header)}")
            )
            continue
        cells = {n: clean_single_line(row[i]) if i < len(row) else "" for n, i in index.items()}
        # The handover note may run over several lines; keep its line breaks.
        note_at = index["handover_note"]
        cells["handover_note"] = row[note_at].strip() if note_at < len(row) else ""
        try:
            parsed = _parse_row(line, cells)
        except ValidationError as exc:
            result.errors.append(RowError(line, f"Line {line}: {'; '.join(exc.messages)}"))
            continue
        repeats = []
        keys = [
            ("reference", parsed.reference.casefold(), "the previous provider's reference"),
            ("nhs", parsed.nhs_number, "the NHS number"),
            ("pnc", parsed.pnc_id, "the PNC ID"),
            (
                "person",
                f"{parsed.given_name.casefold()}|{parsed.family_name.casefold()}|"
                f"{parsed.date_of_birth}",
                "the name and date of birth",
            ),
        ]
        for kind, value, label in keys:
            if value and (kind, value) in seen:
                repeats.append(f"repeats {label} of line {seen[(kind, value)]}")
        if repeats:
            result.errors.append(
                RowError(
                    line,
                    f"Line {line} {'; '.join(repeats)}: a person appears once in a caseload",
                )
            )
            continue
        for kind, value, _ in keys:
            if value:
                seen[(kind, value)] = line
        result.rows.append(parsed)
    return result
