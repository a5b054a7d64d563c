"""Records looked up in the register: the people each may be, and how strongly.

The matcher for a few records at a time against the whole register, in the database: a list's
rows (`imports`) and a person being registered (`registration`) are looked up the same way.

A record is the same person as a register's record on **strong** evidence only:
- an identifier that agrees (NHS number, PNC ID in either form, prison number) and a date of
  birth that does not contradict it (missing on either side, the same, day and month swapped or
  a one-keystroke slip);
- or a name and date of birth that agree strongly enough by the matcher's own scoring
  (`matching.scoring`: the stored m and u, the prior of a record against a register of this
  size) that the probability reaches `KNOWN_PROBABILITY`, where the date is the same or has day
  and month swapped, and the given name is the same or the same formal name (Dan, Daniel): a
  given name one letter away may be a twin (Daniel, Danielle), so it is only weak evidence.

Weaker candidates are **possible** matches: a similar name with no date of birth on one side,
a close date (one slip), a name and date below the threshold, or an identifier whose record's
date of birth differs. Everything else (a namesake born in another year, a twin of another given
name) is not a match at all.

Records are looked up together in a few set-based queries: identifiers for every record at
once, names through the search-name table's phonetic keys joined to the records' keys, and
search names of the record's date of birth (or with day and month swapped) with the record's
given name in a form of its formal name, or with its family name; the search names carry the
person's date of birth, so each of these reads one index. Each candidate's details and names are
read once, every pair of a record and a candidate's name is scored at once over arrays
(`matching.arrays`, the same levels and weights as `matching.scoring`). The candidates of a
record and each pair's verdict depend only on that record and that candidate, so a record
looked up on its own and among others come out the same.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from itertools import chain, islice, repeat
from typing import Any, NamedTuple, Protocol, TypeVar

import numpy as np
from django.db import connection
from django.db.models import Exists, OuterRef, Value
from django.db.models.expressions import RawSQL

from healthjustice.accounts.models import User
from healthjustice.core.report_queries import many_rows
from healthjustice.core.value_lists import array_sql
from healthjustice.people.access import break_glass_candidates, visible_people
from healthjustice.people.identifiers import pnc_id_key
from healthjustice.people.models import Person, SearchName
from healthjustice.people.names import (
    canonical_given_name,
    given_name_variants,
    normalise,
    phonetic_key,
)

from .arrays import (
    Codes,
    Comparer,
    Fields,
    Flags,
    Ints,
    columns_of,
    match_weights,
    names_conflict,
    weights,
)
from .cleaning import (
    CleanRecord,
    RawRecord,
    clean_dob,
    clean_records,
    family_forms,
    given_forms,
)
from .register import list_model
from .scoring import NULL, Model, probability

KNOWN_PROBABILITY = 0.99
# Records looked up in one statement on PostgreSQL (more: a statement a kind of key).
ONE_STATEMENT_UP_TO = 20
# Registers of at least this many people are sized by the database's estimate, not counted.
ESTIMATE_REGISTER_FROM = 100_000
# Rows per blocking query, and ids per `IN (...)`: within SQLite's limit on parameters.
ROWS_PER_QUERY = 1000
IDS_PER_QUERY = 2000
BY_IDENTIFIER = "identifier"
BY_NAME = "name and date of birth"
SIMILAR = "a similar name"

T = TypeVar("T")


class Wanted(Protocol):
    """What a record looked up carries (a list's row, a person being registered)."""

    @property
    def given_name(self) -> str: ...
    @property
    def family_name(self) -> str: ...
    @property
    def date_of_birth(self) -> date | None: ...
    @property
    def pnc_id(self) -> str: ...
    @property
    def nhs_number(self) -> str: ...
    @property
    def prison_number(self) -> str: ...
    @property
    def postcode(self) -> str: ...
    @property
    def no_fixed_abode(self) -> bool: ...


@dataclass(frozen=True)
class Verdict:
    """How a record stands against one person: strong evidence or weak, found by what (an
    identifier, name and date of birth, a similar name), the weight of the best of their names,
    and that name's comparison levels (`scoring.FIELDS`, -1 where missing)."""

    strong: bool
    by: str
    weight: float
    levels: tuple[int, ...] = ()


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _each_in(queryset: Any, fieldname: str, values: Sequence[Any], kind: str) -> Iterator[Any]:
    """`queryset` filtered to `fieldname` in `values`: on PostgreSQL in one query with the
    values as one array parameter, elsewhere a chunk at a time (SQLite's limit on parameters)."""
    if not values:
        return
    if connection.vendor == "postgresql":
        sql, param = array_sql(values, kind)
        array = RawSQL(f"SELECT unnest({sql})", (param,))  # noqa: S611
        yield queryset.filter(**{f"{fieldname}__in": array})
        return
    for chunk in chunks(values, IDS_PER_QUERY):
        yield queryset.filter(**{f"{fieldname}__in": chunk})


def pnc_forms(value: str) -> list[str]:
    """The ways the register may hold this PNC ID: short form, and long form in either century."""
    key = pnc_id_key(value)
    if key is None:
        return []
    year, rest = key.split("/")
    return [key, f"19{year}/{rest}", f"20{year}/{rest}"]


def _row_raw(index: int, row: Wanted) -> RawRecord:
    postcode = "NFA" if row.no_fixed_abode else row.postcode
    dob = row.date_of_birth.isoformat() if row.date_of_birth else ""
    return RawRecord(
        str(index), row.given_name, row.family_name, dob, "", row.nhs_number, row.pnc_id, postcode
    )


def _swapped(day: date) -> date | None:
    if day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)


# --- Finding candidates -------------------------------------------------------------------


class _Part(NamedTuple):
    """One blocking query: `sql` reads the records' keys from table `{v}` (columns `columns`,
    a row of `keyed` each) and gives (record index, person id, their date of birth)."""

    sql: str
    columns: Sequence[tuple[str, str]]
    keyed: list[tuple[Any, ...]]
    by_name: bool


def _identifier_keys(rows: Sequence[Wanted]) -> dict[str, set[tuple[int, str]]]:
    """(record index, value) of each identifier the records carry, by field: a PNC ID in each
    of its forms."""
    keyed: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for index, row in enumerate(rows):
        for form in pnc_forms(row.pnc_id) if row.pnc_id else []:
            keyed["pnc_id"].add((index, form))
        if row.nhs_number:
            keyed["nhs_number"].add((index, row.nhs_number))
        if row.prison_number:
            keyed["prison_number"].add((index, row.prison_number))
    return keyed


def _by_identifier(rows: Sequence[Wanted], found: dict[int, set[int]]) -> None:
    """Records holding a row's PNC ID (either form), NHS number or prison number, a query a
    field (for a list's many rows)."""
    register = Person.objects.filter(merged_into__isnull=True)
    for fieldname, keyed in _identifier_keys(rows).items():
        wanted: dict[str, list[int]] = defaultdict(list)
        for index, value in keyed:
            wanted[value].append(index)
        for queryset in _each_in(register, fieldname, sorted(wanted), "text"):
            for pk, value in queryset.values_list("pk", fieldname):
                for index in wanted[value]:
                    found[index].add(pk)


def _identifier_parts(rows: Sequence[Wanted]) -> list[_Part]:
    """Records holding a row's PNC ID (either form), NHS number or prison number, as parts of
    the statement that finds a few records' candidates."""
    keyed = _identifier_keys(rows)
    people = connection.ops.quote_name(Person._meta.db_table)
    return [
        _Part(
            # Table and column names from this module and the model: values are parameters.
            f"SELECT {{v}}.i, p.id, p.date_of_birth FROM {{v}} JOIN {people} p "  # noqa: S608
            f"ON p.{fieldname} = {{v}}.value WHERE p.merged_into_id IS NULL",
            [("i", "integer"), ("value", "text")],
            sorted(keyed[fieldname]),
            by_name=False,
        )
        for fieldname in ("pnc_id", "nhs_number", "prison_number")
        if keyed.get(fieldname)
    ]


def _name_keys(record: CleanRecord, given_names: str) -> set[tuple[str, str]]:
    """(family key, given key) as the search-name table writes them, for the row's names read
    straight (all given names, or the first, or its formal form) and with given and family
    swapped."""
    family = record.family
    givens = {record.given, record.given_canonical, normalise(given_names)} - {""}
    keys = {(phonetic_key(family), phonetic_key(g)) for g in givens}
    keys |= {(phonetic_key(g), phonetic_key(family)) for g in givens}
    return {k for k in keys if k[0] and k[1]}


def _values(rows: list[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    width = len(rows[0])
    one = "(" + ", ".join(["%s"] * width) + ")"
    return ", ".join([one] * len(rows)), [value for row in rows for value in row]


def _join_all(
    parts: Sequence[_Part], *, together: bool
) -> Iterator[tuple[int, int, int, date | None]]:
    """(part, record index, person id, their date of birth) of every part.

    PostgreSQL takes each part's keys as one array a column (a handful of parameters whatever
    the list's length), all parts in one statement when `together`, else a statement a part;
    other databases a part at a time, its keys a VALUES list, a chunk of rows at a time."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not together:
            for k, part in enumerate(parts):
                names = ", ".join(name for name, _ in part.columns)
                arrays, params = _arrays(part)
                cursor.execute(
                    f"WITH v({names}) AS (SELECT * FROM unnest({arrays})) "  # noqa: S608
                    + part.sql.format(v="v"),
                    params,
                )
                yield from ((k, *row) for row in cursor.fetchall())
            return
        if connection.vendor == "postgresql":
            tables, selects, params = [], [], []
            # Column names, types and SQL from this module, placeholders only: values are
            # parameters.
            for k, part in enumerate(parts):
                names = ", ".join(name for name, _ in part.columns)
                arrays, part_params = _arrays(part)
                tables.append(f"v{k}({names}) AS (SELECT * FROM unnest({arrays}))")  # noqa: S608
                selects.append(f"SELECT {k}, q.* FROM ({part.sql.format(v=f'v{k}')}) q")  # noqa: S608
                params += part_params
            if not parts:
                return
            query = f"WITH {', '.join(tables)} {' UNION ALL '.join(selects)}"
            cursor.execute(query, params)
            yield from cursor.fetchall()
            return
        for k, part in enumerate(parts):
            names = ", ".join(name for name, _ in part.columns)
            for chunk in chunks(part.keyed, ROWS_PER_QUERY):
                values, params = _values(list(chunk))
                cursor.execute(
                    f"WITH v({names}) AS (VALUES {values}) {part.sql.format(v='v')}", params
                )
                for index, person_id, born in cursor.fetchall():
                    yield k, index, person_id, _as_date(born)


def _arrays(part: _Part) -> tuple[str, list[Any]]:
    """The part's keys as one array a column: their SQL, joined by commas, and parameters."""
    sql, params = [], []
    for (_, kind), column in zip(part.columns, zip(*part.keyed, strict=True), strict=True):
        one, param = array_sql(column, kind)
        sql.append(one)
        params.append(param)
    return ", ".join(sql), params


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# Dates of birth outside the window on a name-only candidate can never count for or against:
# five years either side (a slip of a year's digit is never more, `scoring._dob_level`).
_YEARS_APART = 5
_NO_DATE = (date(1, 1, 1), date(9999, 12, 31))


def _dates_may_agree(row: date | None, person: date | None) -> bool:
    """Whether the dates leave room for a match on names: one of them missing, the same year
    (a day and month swap, a slip of the day or the month, a year-only 1 January), or the same
    day and month within five years (a slip of the year)."""
    if row is None or person is None or row.year == person.year:
        return True
    return (row.month, row.day) == (person.month, person.day) and abs(
        row.year - person.year
    ) <= _YEARS_APART


def _name_parts(rows: Sequence[Wanted], records: Sequence[CleanRecord]) -> list[_Part]:
    """Search names with the row's phonetic keys (of a date of birth that could agree), and
    search names of the row's date of birth (or with day and month swapped) with the row's
    given name in any form the nickname table gives for its formal form, or with the row's
    family name: so that a family name mistyped even at its first letter, or a given name
    mistyped or a nickname the table does not know, is still found by its date of birth and
    the other name. Both read only the search names' indexes (which carry the person's date
    of birth); people merged away are left out when the candidates are read."""
    names = connection.ops.quote_name(SearchName._meta.db_table)
    keyed = []
    for i, record in enumerate(records):
        window = (
            (
                date(record.dob.year - _YEARS_APART, 1, 1),
                date(record.dob.year + _YEARS_APART, 12, 31),
            )
            if record.dob
            else _NO_DATE
        )
        for family, given in sorted(_name_keys(record, rows[i].given_name)):
            keyed.append((i, family, given, *window))
    parts = []
    if keyed:
        parts.append(
            _Part(
                f"SELECT DISTINCT {{v}}.i, sn.person_id, sn.date_of_birth FROM {{v}} "  # noqa: S608
                f"JOIN {names} sn ON sn.family_key = {{v}}.fk AND sn.given_key = {{v}}.gk "
                f"WHERE sn.date_of_birth IS NULL OR sn.date_of_birth BETWEEN {{v}}.lo AND {{v}}.hi",
                [("i", "integer"), ("fk", "text"), ("gk", "text"), ("lo", "date"), ("hi", "date")],
                keyed,
                by_name=True,
            )
        )
    by_given: set[tuple[int, date, str]] = set()
    by_family: set[tuple[int, date, str]] = set()
    for i, record in enumerate(records):
        if record.dob is None:
            continue
        # Given names with the row's formal form; and, for a row written with given and family
        # swapped, the row's family name as the first given name and its given as the family.
        givens = set(given_name_variants(record.given_canonical))
        families = {record.family, record.given} - {""}
        if record.family:
            givens.add(record.family.split(" ")[0])
        for day in (record.dob, _swapped(record.dob)):
            if day is not None:
                by_given.update((i, day, given) for given in givens)
                by_family.update((i, day, family) for family in families)
    for column, keys in (("given_first", by_given), ("family", by_family)):
        if keys:
            parts.append(
                _Part(
                    f"SELECT DISTINCT {{v}}.i, sn.person_id, sn.date_of_birth FROM {{v}} "  # noqa: S608
                    f"JOIN {names} sn ON sn.date_of_birth = {{v}}.dob AND sn.{column} = {{v}}.name",
                    [("i", "integer"), ("dob", "date"), ("name", "text")],
                    sorted(keys),
                    by_name=True,
                )
            )
    return parts


def _found(rows: Sequence[Wanted], records: Sequence[CleanRecord]) -> dict[int, set[int]]:
    """The people each record may be: by an identifier, or by a name whose date of birth could
    agree (`_dates_may_agree`).

    On PostgreSQL a few records (a person being registered, a row taken on) are looked up in
    one statement: round trips are most of their time. A list's thousands of rows are looked
    up a query a kind of key, identifiers through the people table's own `IN`: in one
    statement they took half as long again (10.5 s against 6.9 s for 10,000 rows)."""
    found: dict[int, set[int]] = defaultdict(set)
    together = len(rows) <= ONE_STATEMENT_UP_TO
    if connection.vendor == "postgresql" and not together:
        _by_identifier(rows, found)
        parts = _name_parts(rows, records)
    else:
        parts = _identifier_parts(rows) + _name_parts(rows, records)
    for k, index, person_id, born in _join_all(parts, together=together):
        if not parts[k].by_name or _dates_may_agree(records[index].dob, _as_date(born)):
            found[index].add(person_id)
    return found


# --- Scoring ------------------------------------------------------------------------------


class _Candidates(NamedTuple):
    """Every name of every candidate not merged away, as columns: the person, their prison
    number, and the fields the matcher compares, cleaned as it cleans any record (names and
    dates); the identifiers and postcode were checked and formatted when the record was
    written, so they are taken as they are (a PNC ID in its short form)."""

    person: Ints
    prison: list[str]
    given: list[str]
    given_canonical: list[str]
    family: list[str]
    family_as_given: list[str]
    dob: list[date | None]
    dob_year_only: list[bool]
    nhs_number: list[str]
    pnc: list[str]
    postcode: list[str]


def _candidate_records(person_ids: Sequence[int]) -> _Candidates:
    """The names and details of the candidates, read in one query (a chunk of ids at a time
    elsewhere than PostgreSQL) written out, not built by the ORM (building it took longer than
    running it); each distinct name and date is cleaned once."""
    names = connection.ops.quote_name(SearchName._meta.db_table)
    people = connection.ops.quote_name(Person._meta.db_table)
    # Table names from the models, placeholders only: the ids are parameters.
    sql = (
        "SELECT sn.person_id, sn.given, sn.family, p.date_of_birth, p.nhs_number, p.pnc_id, "  # noqa: S608
        f"p.postcode, p.no_fixed_abode, p.prison_number FROM {names} sn JOIN {people} p "
        "ON p.id = sn.person_id WHERE p.merged_into_id IS NULL AND sn.person_id "
    )
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if not person_ids:
            pass
        elif connection.vendor == "postgresql":
            # The ids on both tables: each is then read by its index, in order, and the two
            # merged (without it the planner read the whole people table for a list's rows).
            array, param = array_sql(person_ids, "integer")
            cursor.execute(sql + f"= ANY({array}) AND p.id = ANY({array})", [param, param])
            rows = cursor.fetchall()
        else:
            for chunk in chunks(person_ids, IDS_PER_QUERY):
                cursor.execute(sql + f"IN ({', '.join(['%s'] * len(chunk))})", list(chunk))
                rows += [
                    (pk, g, f, _as_date(dob), nhs, pnc, code, bool(nfa), prison)
                    for pk, g, f, dob, nhs, pnc, code, nfa, prison in cursor.fetchall()
                ]
    if not rows:
        empty: list[Any] = []
        return _Candidates(np.zeros(0, np.int64), *([empty] * 10))
    pks, givens, families, dobs, nhs, pnc, postcodes, nfa, prison = zip(*rows, strict=True)
    today = date.today()
    given_of = {value: given_forms(value) for value in set(givens)}
    family_of = {value: family_forms(value) for value in set(families)}
    dob_of = {
        value: clean_dob(value.isoformat() if value else "", today=today) for value in set(dobs)
    }
    given_pairs = [given_of[value] for value in givens]
    family_triples = [family_of[value] for value in families]
    dob_triples = [dob_of[value] for value in dobs]
    return _Candidates(
        person=np.asarray(pks, dtype=np.int64),
        prison=[value or "" for value in prison],
        given=[g for g, _ in given_pairs],
        given_canonical=[c for _, c in given_pairs],
        family=[f for f, _, _ in family_triples],
        family_as_given=[a or canonical_given_name(f) for f, _, a in family_triples],
        dob=[d for d, _, _ in dob_triples],
        dob_year_only=[y for _, _, y in dob_triples],
        nhs_number=[value or "" for value in nhs],
        pnc=[value[2:] if value and len(value) == 13 else (value or "") for value in pnc],
        postcode=[
            "" if no_abode else (code or "") for code, no_abode in zip(postcodes, nfa, strict=True)
        ],
    )


def _verdicts(
    model: Model,
    rows: Sequence[Wanted],
    records: Sequence[CleanRecord],
    found: dict[int, set[int]],
    candidates: _Candidates,
) -> dict[int, dict[int, Verdict]]:
    """Strong, weak or no evidence that each row is each of its candidates (the best of their
    names), every pair of a row and a candidate's name compared at once over arrays
    (`matching.arrays`, the same levels and weights as `Model.score`):

    - an identifier that agrees (NHS number, PNC ID, prison number) is strong evidence unless
      another identifier differs or the dates of birth are more than a slip apart;
    - otherwise the same date of birth (or day and month swapped), the same or formal given
      name, the same or a close family name and a probability of at least
      `KNOWN_PROBABILITY` are strong evidence;
    - otherwise names that do not conflict, a given name, and dates of birth no further apart
      than a slip (or one missing) are weak evidence."""
    pair_row, pair_person = _pairs(found)
    order = np.argsort(candidates.person, kind="stable")
    by_person = candidates.person[order]
    starts = np.searchsorted(by_person, pair_person, side="left")
    counts = np.searchsorted(by_person, pair_person, side="right") - starts
    # One pair for each name of each candidate (none for a candidate merged away since).
    i = np.repeat(pair_row, counts)
    offsets = np.arange(len(i)) - np.repeat(np.cumsum(counts) - counts, counts)
    name = order[np.repeat(starts, counts) + offsets]
    if not len(i):
        return {}
    n = len(records)
    c = columns_of(
        Fields(
            chain((r.given for r in records), candidates.given),
            chain((r.given_canonical for r in records), candidates.given_canonical),
            chain((r.family for r in records), candidates.family),
            chain(
                (r.family_as_given or canonical_given_name(r.family) for r in records),
                candidates.family_as_given,
            ),
            chain((r.dob for r in records), candidates.dob),
            chain((r.dob_year_only for r in records), candidates.dob_year_only),
            chain((r.nhs_number for r in records), candidates.nhs_number),
            chain((r.pnc for r in records), candidates.pnc),
            chain((r.postcode for r in records), candidates.postcode),
            repeat("", n + len(candidates.given)),
        )
    )
    j = name + n
    levels, _ = Comparer(c).levels(i, j)
    weight = match_weights(weights(c, model), i, levels)
    given, family, dob, nhs, pnc = levels[:5]
    prisons: dict[str, int] = {"": 0}
    row_prison = np.asarray(
        [prisons.setdefault(r.prison_number or "", len(prisons)) for r in rows], dtype=np.int64
    )
    candidate_prison = np.asarray(
        [prisons.setdefault(p, len(prisons)) for p in candidates.prison], dtype=np.int64
    )
    prison = row_prison[i]
    identifier = (nhs == 0) | (pnc == 0) | ((prison != 0) & (prison == candidate_prison[name]))
    # A date of birth more than a slip away says the identifier was mistyped or shared.
    strong_identifier = (nhs != 1) & (pnc != 1) & (dob != 3) & (dob != 4)
    names_agree = (given >= 0) & (given <= 1) & (family >= 0) & (family <= 1)
    known = ~identifier & _dates_close(c.dob[i], c.dob[j]) & names_agree
    for index in np.flatnonzero(known):
        known[index] = probability(float(weight[index])) >= KNOWN_PROBABILITY
    possible = (
        ~identifier
        & ~known
        & ~names_conflict(levels)
        & np.isin(dob, (NULL, 0, 1, 2))
        & (given != NULL)
    )
    kept = np.flatnonzero(identifier | known | possible)
    strong = np.where(identifier, strong_identifier, known)[kept]
    person = candidates.person[name[kept]]
    # The best name of each (row, person): the strongest, then the heaviest.
    best = np.lexsort((weight[kept], strong, person, i[kept]))
    last = np.ones(len(best), dtype=np.bool_)
    last[:-1] = (i[kept][best][1:] != i[kept][best][:-1]) | (person[best][1:] != person[best][:-1])
    verdicts: dict[int, dict[int, Verdict]] = {}
    for pick in best[last].tolist():
        at = int(kept[pick])
        by = BY_IDENTIFIER if identifier[at] else (BY_NAME if known[at] else SIMILAR)
        judged = verdicts.setdefault(int(i[at]), {})
        judged[int(person[pick])] = Verdict(
            bool(strong[pick]), by, float(weight[at]), tuple(int(level[at]) for level in levels)
        )
    return verdicts


def _pairs(found: dict[int, set[int]]) -> tuple[Ints, Ints]:
    """(row, person) of every candidate pair, as two arrays."""
    rows = [index for index, pks in found.items() for _ in pks]
    people = [pk for pks in found.values() for pk in pks]
    return np.asarray(rows, dtype=np.int64), np.asarray(people, dtype=np.int64)


def _dates_close(row: Codes, person: Codes) -> Flags:
    """The same day, or day and month swapped (`cleaning.day_month_swapped`, for a day of 12 or
    less): the dates a name-only match may stand on. `row` and `person` are dates packed as
    `matching.arrays.Columns.dob` packs them (-1 when missing)."""
    a, b = row >> 1, person >> 1
    year_a, year_b = a >> 9, b >> 9
    month_a, month_b, day_a, day_b = (a >> 5) & 15, (b >> 5) & 15, a & 31, b & 31
    swapped = (year_a == year_b) & (day_a <= 12) & (day_a != month_a)
    swapped &= (month_b == day_a) & (day_b == month_a)
    return (row >= 0) & (person >= 0) & ((a == b) | swapped)


# --- Looking records up ---------------------------------------------------------------------


def who_sees(user: User, ids: Sequence[int]) -> tuple[set[int], set[int]]:
    """Of `ids`, those `user` may see (`people.access.visible_people`), and those held where
    they may not look but may break the glass to (`break_glass_candidates`: counted, never
    named), asked in one query: every person visible is also one they may break the glass to."""
    if not ids:
        return set(), set()
    visible = visible_people(user)
    seen = (
        Exists(visible.filter(pk=OuterRef("pk"))) if not visible.query.is_empty() else Value(False)
    )
    people = break_glass_candidates(user).annotate(seen=seen).order_by()
    shown: set[int] = set()
    held: set[int] = set()
    with _settings_for(len(ids)):
        for part in _each_in(people, "pk", ids, "integer"):
            for pk, may_see in part.values_list("pk", "seen"):
                (shown if may_see else held).add(pk)
    return shown, held


def _settings_for(records: int) -> AbstractContextManager[None]:
    """A list's thousands of records are looked up with the settings of queries over many
    rows (`core.report_queries.many_rows`: no just-in-time compilation, which took half of the
    access query's second, and room to hash a search-name table's keys in memory)."""
    return many_rows() if records > ONE_STATEMENT_UP_TO else nullcontext()


def read_people(ids: Iterable[int]) -> dict[int, Person]:
    """The records of people `who_sees` has just found the user may see, by id (not asked
    again: the access rules were applied to these very ids a moment before)."""
    loaded: dict[int, Person] = {}
    for chunk in chunks(sorted(ids), IDS_PER_QUERY):
        loaded.update(Person.objects.filter(merged_into__isnull=True).in_bulk(chunk))
    return loaded


ESTIMATE_KEPT_SECONDS = 600
_estimates: dict[str, tuple[float, int]] = {}


def register_size() -> int:
    """How many people the register holds, for the prior (`register.list_model`).

    On PostgreSQL, once the people table is large, the planner's own estimate of its rows
    (kept by autovacuum; it counts the few records merged away too): counting a million rows
    took half a second on every match, a single row's included, and a share of a percent
    moves a pair's weight by a thousandth of a bit. Elsewhere, and for a small or never
    analysed table, they are counted. A large register's estimate is kept for
    `ESTIMATE_KEPT_SECONDS` in the process (it moves by a share of a percent a day), so a
    record looked up on its own does not ask for it every time."""
    if connection.vendor == "postgresql":
        kept = _estimates.get(connection.alias)
        if kept is not None and time.monotonic() - kept[0] < ESTIMATE_KEPT_SECONDS:
            return kept[1]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [Person._meta.db_table],
            )
            estimate = cursor.fetchone()
        if estimate and estimate[0] >= ESTIMATE_REGISTER_FROM:
            _estimates[connection.alias] = (time.monotonic(), int(estimate[0]))
            return int(estimate[0])
    return Person.objects.filter(merged_into__isnull=True).count()


def judge(wanted: Sequence[Wanted], *, model: Model | None = None) -> list[dict[int, Verdict]]:
    """For each record, the people it may be (by person id) and how strongly; people neither
    strong nor weak candidates are left out. Nothing about who may see them is decided here."""
    wanted = list(wanted)
    if not wanted:
        return []
    records = clean_records([_row_raw(i, row) for i, row in enumerate(wanted)])
    with _settings_for(len(wanted)):
        found = _found(wanted, records)
        every = sorted(set().union(*found.values())) if found else []
        candidates = _candidate_records(every)
    model = model or list_model(register_size())
    verdicts = _verdicts(model, wanted, records, found, candidates)
    return [verdicts.get(i, {}) for i in range(len(wanted))]
