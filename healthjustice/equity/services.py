"""Writes of the equity app: the region → local authority mapping and census populations.

Each write runs in one transaction and records an audit event; bad input raises
ValidationError with a message that says what to fix, and nothing is stored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from healthjustice.audit.models import Action
from healthjustice.audit.services import Actor, audit_record
from healthjustice.organisations.models import Region

from .groups import (
    CENSUS_CATEGORIES,
    CODE_COLUMN,
    NAME_COLUMN,
    TOTAL_COLUMN,
    census_column,
)
from .models import CensusPopulation, LocalAuthority

TS021_SOURCE = "ONS Census 2021 TS021 (ethnic group), usual residents"
MEASURES_SUFFIX = "; measures: Value"


@transaction.atomic
def local_authority_map(
    *, actor: Actor, gss_code: str, name: str, region: Region
) -> LocalAuthority:
    """Put a local authority in a region (or move it); the GSS code is its identity."""
    code = gss_code.strip().upper()
    if len(code) != 9 or not code[0].isalpha() or not code[1:].isdigit():
        raise ValidationError(
            f"'{gss_code}' is not a GSS code: a letter and 8 digits, for example E06000021"
        )
    if not name.strip():
        raise ValidationError("Enter the local authority's name")
    authority, created = LocalAuthority.objects.update_or_create(
        gss_code=code, defaults={"name": name.strip(), "region": region}
    )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        object_type="local_authority",
        object_id=code,
        detail={"region": str(region.public_id)},
    )
    return authority


@dataclass(frozen=True)
class CensusLoad:
    authorities: int
    rows: int
    skipped: tuple[str, ...]  # GSS codes in the file but in no region (when allowed)


def _header(names: Iterable[str]) -> dict[str, int]:
    """Published column name → position, with Nomis's '; measures: Value' taken off."""
    index: dict[str, int] = {}
    for i, raw in enumerate(names):
        name = " ".join(raw.replace("\ufeff", "").split())
        if name.endswith(MEASURES_SUFFIX):
            name = name[: -len(MEASURES_SUFFIX)]
        index[name] = i
    return index


def _count(value: str, line: int, column: str) -> int:
    text = value.strip().replace(",", "")
    if not text.isdigit():
        raise ValidationError(
            f"Line {line}: '{value}' in the column '{column}' is not a whole number"
        )
    return int(text)


@transaction.atomic
def census_ethnicity_load(
    *,
    actor: Actor,
    text: str,
    source: str = TS021_SOURCE,
    skip_unmapped: bool = False,
) -> CensusLoad:
    """Load a TS021 CSV as ONS publishes it (one row per area, a column per category).

    Needs the columns 'geography code', 'geography', 'Ethnic group: Total: All usual
    residents' and the 19 detailed categories (broad-group columns are read past). Each
    area's 19 counts must add up to its total. Every area must be a local authority mapped
    to a region, unless `skip_unmapped` (for the national file), when the others are left
    out and listed. A reload replaces the areas' figures: the same file twice gives the same
    rows.
    """
    reader = csv.reader(io.StringIO(text))
    try:
        header = _header(next(reader))
    except StopIteration:
        raise ValidationError("The file is empty: it needs the TS021 header row") from None
    needed = [CODE_COLUMN, NAME_COLUMN, TOTAL_COLUMN] + [
        census_column(c) for c in CENSUS_CATEGORIES
    ]
    missing = [name for name in needed if name not in header]
    if missing:
        shown = "; ".join(f"'{m}'" for m in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise ValidationError(
            f"The file does not have the columns of the ONS TS021 table: missing {shown}{more}"
        )
    authorities = {a.gss_code: a for a in LocalAuthority.objects.all()}
    parsed: list[tuple[LocalAuthority, dict[str, int]]] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise ValidationError(f"Line {line} has {len(row)} columns, not {len(header)}")
        code = row[header[CODE_COLUMN]].strip().upper()
        if code in seen:
            raise ValidationError(f"Line {line}: the area {code} is in the file twice")
        seen.add(code)
        authority = authorities.get(code)
        if authority is None:
            if skip_unmapped:
                skipped.append(code)
                continue
            name = row[header[NAME_COLUMN]].strip()
            raise ValidationError(
                f"Line {line}: the local authority {name} ({code}) is not in any region. "
                "Map it to a region first, or load only the mapped areas"
            )
        counts = {
            c.key: _count(row[header[census_column(c)]], line, census_column(c))
            for c in CENSUS_CATEGORIES
        }
        total = _count(row[header[TOTAL_COLUMN]], line, TOTAL_COLUMN)
        if sum(counts.values()) != total:
            raise ValidationError(
                f"Line {line}: the 19 categories of {authority.name} add up to "
                f"{sum(counts.values()):,}, not the total {total:,}"
            )
        parsed.append((authority, counts))
    if not parsed:
        raise ValidationError("The file has no area of any region to load")
    now = timezone.now()
    CensusPopulation.objects.filter(local_authority__in=[a for a, _ in parsed]).delete()
    CensusPopulation.objects.bulk_create(
        CensusPopulation(
            local_authority=authority,
            census_group=category.census_group,
            census_category=category.key,
            nhs_code=category.nhs_code,
            count=counts[category.key],
            approximate=False,
            source=source[:300],
            loaded_at=now,
        )
        for authority, counts in parsed
        for category in CENSUS_CATEGORIES
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="census_population",
        detail={
            "areas": sorted(a.gss_code for a, _ in parsed),
            "skipped": len(skipped),
            "source": source[:120],
        },
    )
    return CensusLoad(len(parsed), len(parsed) * len(CENSUS_CATEGORIES), tuple(skipped))


@dataclass(frozen=True)
class ApproximateFigure:
    census_group: str
    count: int
    census_category: str = ""
    nhs_code: str = ""


@transaction.atomic
def approximate_population_set(
    *,
    actor: Actor,
    authority: LocalAuthority,
    figures: Iterable[ApproximateFigure],
    source: str,
) -> int:
    """Replace an area's figures with approximate ones (partial, from secondary sources),
    marked so that every page using them says they are approximate."""
    rows = [
        CensusPopulation(
            local_authority=authority,
            census_group=f.census_group,
            census_category=f.census_category,
            nhs_code=f.nhs_code,
            count=f.count,
            approximate=True,
            source=source[:300],
        )
        for f in figures
    ]
    CensusPopulation.objects.filter(local_authority=authority).delete()
    CensusPopulation.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="census_population",
        detail={"areas": [authority.gss_code], "approximate": True},
    )
    return len(rows)
