"""Reading a file of person records for linkage (`manage.py link_records`).

The file has a header row naming the columns of `COLUMNS` (in any order; no others) and one
record per row. A fault in the file's shape stops the run with a message naming the line: not
text, no header, a missing or unknown column, a row with too many or too few fields, a record
with no id or an id used twice. A field whose value is not in its documented form is a slip in
one record, as lists from custody, courts and prisons carry: it is read where its meaning is
clear (a date written 01/02/1985) and otherwise left out of the comparison, counted, and the
first lines with it are named in the report, so one mistyped PNC ID does not stop a
million-record run.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .cleaning import CleanRecord, RawRecord, parse_dob

COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "dob",
    "sex",
    "nhs_number",
    "pnc_id",
    "postcode",
    "source",
)
SOURCES = frozenset({"custody", "court", "prison", "community"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SEXES = frozenset({"M", "F"})
_LINES_NAMED = 5


class RecordsFileError(Exception):
    """The file cannot be read as a records file; nothing is written."""


@dataclass
class FieldProblems:
    """Values not in their documented form, by column: how many, and the first lines."""

    counts: dict[str, int] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)

    def add(self, column: str, line: int) -> None:
        self.counts[column] = self.counts.get(column, 0) + 1
        named = self.lines.setdefault(column, [])
        if len(named) < _LINES_NAMED:
            named.append(line)

    def describe(self) -> list[str]:
        out = []
        for column in COLUMNS:
            count = self.counts.get(column)
            if count:
                lines = ", ".join(str(n) for n in self.lines[column])
                more = " ..." if count > len(self.lines[column]) else ""
                out.append(f"{column}: {count:,} not in the documented form (lines {lines}{more})")
        return out


def field_problems(
    raw: Sequence[RawRecord], clean: Sequence[CleanRecord], lines: Sequence[int]
) -> FieldProblems:
    """Values not in their documented form, found by comparing each record as written with
    what cleaning could read of it (so nothing is parsed twice)."""
    problems = FieldProblems()
    today = date.today()
    for written, read, line in zip(raw, clean, lines, strict=True):
        if written.dob and (
            not _ISO_DATE.match(written.dob)
            or (read.dob is None and not _placeholder_or_past(written.dob, today))
        ):
            problems.add("dob", line)
        if written.sex and written.sex not in _SEXES:
            problems.add("sex", line)
        if written.nhs_number and not read.nhs_number:
            problems.add("nhs_number", line)
        if written.pnc_id and not read.pnc:
            problems.add("pnc_id", line)
        if written.postcode and not read.postcode and not read.no_fixed_abode:
            problems.add("postcode", line)
        if written.source and written.source not in SOURCES:
            problems.add("source", line)
    return problems


def _placeholder_or_past(text: str, today: date) -> bool:
    """A real date not after today: 1900-01-01 and like placeholders say "not known"."""
    parsed = parse_dob(text)
    return parsed is not None and parsed <= today


def _header(reader: Iterator[list[str]]) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise RecordsFileError("The file is empty: it needs a header row.") from None
    names = [name.strip().lower() for name in header]
    if names and names[0].startswith("\ufeff"):
        names[0] = names[0][1:]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS]
    repeated = sorted({n for n in names if names.count(n) > 1})
    problems = []
    if missing:
        problems.append("missing " + ", ".join(missing))
    if unknown:
        problems.append("not known " + ", ".join(repr(n) for n in unknown))
    if repeated:
        problems.append("named twice " + ", ".join(repeated))
    if problems:
        raise RecordsFileError(
            "Line 1, the header, must name the columns "
            + ",".join(COLUMNS)
            + ": "
            + "; ".join(problems)
            + "."
        )
    return names


def read_records(path: Path) -> tuple[list[RawRecord], list[int]]:
    """Every record of the file with the line it is on, or RecordsFileError naming the first
    fault in the file's shape."""
    records: list[RawRecord] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle, strict=True)
            names = _header(reader)
            width = len(names)
            order = [names.index(column) for column in COLUMNS]
            for values in reader:
                line = reader.line_num
                if not values:
                    continue
                if len(values) != width:
                    raise RecordsFileError(
                        f"Line {line} has {len(values)} fields; the header has {width}."
                    )
                record = RawRecord(*[values[i].strip() for i in order])
                if not record.record_id:
                    raise RecordsFileError(f"Line {line} has no record_id.")
                first = seen.setdefault(record.record_id, line)
                if first != line:
                    raise RecordsFileError(
                        f"Line {line} repeats record_id {record.record_id!r}, first on line "
                        f"{first}; each record needs its own id."
                    )
                records.append(record)
                lines.append(line)
    except UnicodeDecodeError as error:
        raise RecordsFileError(
            f"The file is not UTF-8 text (byte {error.start} cannot be read): save it as CSV "
            "in UTF-8."
        ) from None
    except csv.Error as error:
        raise RecordsFileError(f"The file is not readable CSV: {error}.") from None
    except OSError as error:
        raise RecordsFileError(f"The file cannot be opened: {error.strerror}.") from None
    return records, lines


def write_clusters(path: Path, record_ids: list[str], clusters: list[int]) -> None:
    """`record_id,cluster_id` for every record, written beside the target and moved into place
    only when complete, so a failed run leaves no half-written file."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(("record_id", "cluster_id"))
            writer.writerows(
                (record_id, record_ids[cluster])
                for record_id, cluster in zip(record_ids, clusters, strict=True)
            )
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise RecordsFileError(f"The output cannot be written: {error.strerror}.") from None
