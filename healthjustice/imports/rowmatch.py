"""Every row of a list matched against the register together, for one user.

A row is **known** only on real evidence about a record:
- an identifier that agrees (NHS number, PNC ID in either form, prison number; the list's
  values were checked on import) and a date of birth that does not contradict it (missing on
  either side, the same, day and month swapped or a one-keystroke slip);
- or a name and date of birth that agree strongly enough by the matcher's own scoring
  (`matching.scoring`: the stored m and u, the prior of a list's row against a register of this
  size) that the probability reaches `KNOWN_PROBABILITY`, where the date is the same or has day
  and month swapped, and the given name is the same or the same formal name (Dan, Daniel): a
  given name one letter away may be a twin (Daniel, Danielle), so it is only possible.

Weaker candidates are **possible** matches: a similar name with no date of birth on one side,
a close date (one slip), a name and date below the threshold, or an identifier whose record's
date of birth differs. They are shown for the user to look at, with registering the person as
new still offered. Everything else (a namesake born in another year, a twin of another given
name) is not a match at all.

The whole list is matched in a few set-based queries: identifiers for every row at once, names
through the search-name table's phonetic keys joined to the rows' keys, and names by date of
birth joined to the rows' dates (with day and month swapped); each candidate record's details
and names are read once, and who may see them is asked once for all candidates. The candidates
of a row and each pair's verdict depend only on that row and that record, so a row matched on
its own and within its list come out the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice
from typing import Any, TypeVar

from django.db import connection
from django.db.models.expressions import RawSQL

from healthjustice.accounts.models import User
from healthjustice.matching.cleaning import CleanRecord, RawRecord, clean_records
from healthjustice.matching.register import list_model
from healthjustice.matching.scoring import NULL, Model, names_conflict, probability
from healthjustice.people.access import break_glass_candidates, visible_people
from healthjustice.people.identifiers import pnc_id_key
from healthjustice.people.models import Person, SearchName
from healthjustice.people.names import normalise, phonetic_key

from .choices import MatchState
from .models import ListRow

KNOWN_PROBABILITY = 0.99
# People shown on a row, and the count of records held elsewhere (only ever "some").
SHOWN = 5
HIDDEN_CAP = 20
# Rows per blocking query, and ids per `IN (...)`: within SQLite's limit on parameters.
ROWS_PER_QUERY = 1000
IDS_PER_QUERY = 2000
_BY_IDENTIFIER = "identifier"
_BY_NAME = "name and date of birth"

T = TypeVar("T")


@dataclass
class RowMatch:
    state: MatchState
    people: list[Person] = field(default_factory=list)  # visible to the user, best first
    hidden: int = 0  # held by the service, not visible to the user
    by: str = ""  # "identifier", "name and date of birth", or for possible ones "a similar name"
    person_ids: list[int] = field(default_factory=list)  # the people's ids, best first


@dataclass(frozen=True)
class _Verdict:
    strong: bool
    by: str
    weight: float


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _each_in(queryset: Any, fieldname: str, values: Sequence[Any], kind: str) -> Iterator[Any]:
    """`queryset` filtered to `fieldname` in `values`: on PostgreSQL in one query with the
    values as one array parameter, elsewhere a chunk at a time (SQLite's limit on parameters)."""
    if not values:
        return
    if connection.vendor == "postgresql":
        array = RawSQL(f"SELECT unnest(%s::{kind}[])", (list(values),))  # noqa: S611
        yield queryset.filter(**{f"{fieldname}__in": array})
        return
    for chunk in _chunks(values, IDS_PER_QUERY):
        yield queryset.filter(**{f"{fieldname}__in": chunk})


def pnc_forms(value: str) -> list[str]:
    """The ways the register may hold this PNC ID: short form, and long form in either century."""
    key = pnc_id_key(value)
    if key is None:
        return []
    year, rest = key.split("/")
    return [key, f"19{year}/{rest}", f"20{year}/{rest}"]


def _row_raw(index: int, row: ListRow) -> RawRecord:
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


def _by_identifier(rows: Sequence[ListRow], found: dict[int, set[int]]) -> None:
    """Records holding a row's PNC ID (either form), NHS number or prison number."""
    wanted: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        for form in pnc_forms(row.pnc_id) if row.pnc_id else []:
            wanted["pnc_id", form].append(index)
        if row.nhs_number:
            wanted["nhs_number", row.nhs_number].append(index)
        if row.prison_number:
            wanted["prison_number", row.prison_number].append(index)
    register = Person.objects.filter(merged_into__isnull=True)
    for fieldname in ("pnc_id", "nhs_number", "prison_number"):
        values = sorted(v for f, v in wanted if f == fieldname)
        for queryset in _each_in(register, fieldname, values, "text"):
            for pk, value in queryset.values_list("pk", fieldname):
                for index in wanted[fieldname, value]:
                    found[index].add(pk)


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


def _join(
    sql: str, columns: Sequence[tuple[str, str]], keyed: list[tuple[Any, ...]]
) -> Iterator[tuple[int, int, date | None]]:
    """(row index, person id, their date of birth) of `sql` run with the rows' keys as table v.

    PostgreSQL takes each column as one array (a handful of parameters whatever the list's
    length); other databases a VALUES list, a chunk of rows at a time."""
    names = ", ".join(name for name, _ in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for _, kind in columns)
            params = [list(column) for column in zip(*keyed, strict=True)]
            # Column names and types from this module, placeholders only: values are parameters.
            query = f"WITH v({names}) AS (SELECT * FROM unnest({arrays})) {sql}"  # noqa: S608
            cursor.execute(query, params)
            yield from cursor.fetchall()
            return
        for chunk in _chunks(keyed, ROWS_PER_QUERY):
            values, params = _values(list(chunk))
            cursor.execute(f"WITH v({names}) AS (VALUES {values}) {sql}", params)
            for index, person_id, born in cursor.fetchall():
                yield index, person_id, _as_date(born)


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


def _by_name(
    rows: Sequence[ListRow], records: Sequence[CleanRecord], found: dict[int, set[int]]
) -> None:
    """Search names with the row's phonetic keys (records of a date of birth that could agree),
    and records born on the row's date of birth (or with day and month swapped) whose family or
    given name starts with one of the row's initials."""
    quote = connection.ops.quote_name
    names = quote(SearchName._meta.db_table)
    people = quote(Person._meta.db_table)
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
    hits: list[tuple[int, int, date | None]] = []
    if keyed:
        hits += _join(
            f"SELECT DISTINCT v.i, p.id, p.date_of_birth FROM v JOIN {names} sn "  # noqa: S608
            "ON sn.family_key = v.fk AND sn.given_key = v.gk "
            f"JOIN {people} p ON p.id = sn.person_id WHERE p.merged_into_id IS NULL "
            "AND (p.date_of_birth IS NULL OR p.date_of_birth BETWEEN v.lo AND v.hi)",
            [("i", "integer"), ("fk", "text"), ("gk", "text"), ("lo", "date"), ("hi", "date")],
            keyed,
        )
    dated: set[tuple[int, date, str, str]] = set()
    for i, record in enumerate(records):
        if record.dob is None or not (record.family or record.given):
            continue
        initials = (record.family[:1] or record.given[:1], record.given[:1] or record.family[:1])
        for day in (record.dob, _swapped(record.dob)):
            if day is not None:
                dated.add((i, day, *initials))
    if dated:
        hits += _join(
            f"SELECT DISTINCT v.i, p.id, p.date_of_birth FROM v JOIN {people} p "  # noqa: S608
            f"ON p.date_of_birth = v.dob JOIN {names} sn ON sn.person_id = p.id "
            "WHERE p.merged_into_id IS NULL AND "
            "(substr(sn.family, 1, 1) IN (v.a, v.b) OR substr(sn.given, 1, 1) IN (v.a, v.b))",
            [("i", "integer"), ("dob", "date"), ("a", "text"), ("b", "text")],
            sorted(dated),
        )
    for index, person_id, born in hits:
        if _dates_may_agree(records[index].dob, born):
            found[index].add(person_id)


# --- Scoring ------------------------------------------------------------------------------


def _candidate_records(person_ids: Sequence[int]) -> dict[int, tuple[list[CleanRecord], str]]:
    """Each candidate not merged away: a record for each of their names, and their prison
    number. Names and dates are cleaned as the matcher cleans any record; the identifiers and
    postcode were checked and formatted when the record was written, so they are taken as
    they are (a PNC ID in its short form)."""
    rows: list[tuple[Any, ...]] = []
    names = SearchName.objects.filter(person__merged_into__isnull=True)
    for queryset in _each_in(names, "person_id", person_ids, "integer"):
        rows += queryset.values_list(
            "person_id",
            "given",
            "family",
            "person__date_of_birth",
            "person__nhs_number",
            "person__pnc_id",
            "person__postcode",
            "person__no_fixed_abode",
            "person__prison_number",
        )
    rows.sort()
    raws = [
        RawRecord(str(pk), given, family, born.isoformat() if born else "")
        for pk, given, family, born, *_ in rows
    ]
    result: dict[int, tuple[list[CleanRecord], str]] = {}
    for record, (pk, _, _, _, nhs, pnc, postcode, nfa, prison) in zip(
        clean_records(raws), rows, strict=True
    ):
        pnc = pnc or ""
        record = replace(
            record,
            nhs_number=nhs or "",
            pnc=pnc[2:] if len(pnc) == 13 else pnc,
            postcode="" if nfa else (postcode or ""),
            no_fixed_abode=nfa,
        )
        result.setdefault(pk, ([], prison or ""))[0].append(record)
    return result


def _dates_close(row: CleanRecord, person: CleanRecord) -> bool:
    """The same day, or day and month swapped: the dates a name-only match may stand on."""
    if row.dob is None or person.dob is None:
        return False
    return row.dob == person.dob or _swapped(row.dob) == person.dob


def _verdict(
    model: Model, row: CleanRecord, prison: str, records: list[CleanRecord], candidate_prison: str
) -> _Verdict | None:
    """Strong, weak or no evidence that the row is this person (the best of their names)."""
    best: _Verdict | None = None
    for record in records:
        weight, levels = model.score(row, record)
        given, family, dob, nhs, pnc, _, _ = levels
        identifier = nhs == 0 or pnc == 0 or (bool(prison) and prison == candidate_prison)
        identifiers_differ = nhs == 1 or pnc == 1
        if identifier:
            # A date of birth more than a slip away says the identifier was mistyped or shared.
            strong = not identifiers_differ and dob not in (3, 4)
            verdict = _Verdict(strong, _BY_IDENTIFIER, weight)
        elif (
            _dates_close(row, record)
            and given in (0, 1)
            and family in (0, 1)
            and probability(weight) >= KNOWN_PROBABILITY
        ):
            verdict = _Verdict(True, _BY_NAME, weight)
        elif not names_conflict(levels) and dob in (NULL, 0, 1, 2) and given != NULL:
            verdict = _Verdict(False, "a similar name", weight)
        else:
            continue
        if best is None or (verdict.strong, verdict.weight) > (best.strong, best.weight):
            best = verdict
    return best


# --- Who may see whom, and the rows' states ------------------------------------------------


def _ids_in(queryset: Any, ids: Sequence[int]) -> set[int]:
    seen: set[int] = set()
    for part in _each_in(queryset, "pk", ids, "integer"):
        seen.update(part.values_list("pk", flat=True))
    return seen


def register_size() -> int:
    return Person.objects.filter(merged_into__isnull=True).count()


def match_rows(
    user: User, rows: Sequence[ListRow], *, load_people: bool = True, model: Model | None = None
) -> list[RowMatch]:
    """How each row stands for `user`: known to their team, known to the service only, a
    possible match, or new. With `load_people` the people shown are loaded (for a page);
    without, only their ids (for storing each row's state)."""
    rows = list(rows)
    if not rows:
        return []
    records = clean_records([_row_raw(i, row) for i, row in enumerate(rows)])
    found: dict[int, set[int]] = defaultdict(set)
    _by_identifier(rows, found)
    _by_name(rows, records, found)
    every = sorted(set().union(*found.values())) if found else []
    candidates = _candidate_records(every)
    model = model or list_model(register_size())
    verdicts: dict[int, dict[int, _Verdict]] = {}
    for index, pks in found.items():
        row, prison = records[index], rows[index].prison_number
        judged = {}
        for pk in pks:
            if pk in candidates:
                verdict = _verdict(model, row, prison, *candidates[pk])
                if verdict is not None:
                    judged[pk] = verdict
        verdicts[index] = judged
    matched = sorted({pk for judged in verdicts.values() for pk in judged})
    visible = _ids_in(visible_people(user), matched)
    countable = _ids_in(break_glass_candidates(user), matched)
    matches = [_state(verdicts.get(i, {}), visible, countable) for i in range(len(rows))]
    if load_people:
        wanted = sorted({pk for m in matches for pk in m.person_ids})
        loaded: dict[int, Person] = {}
        for chunk in _chunks(wanted, IDS_PER_QUERY):
            loaded.update(visible_people(user).in_bulk(chunk))
        for match in matches:
            match.people = [loaded[pk] for pk in match.person_ids if pk in loaded]
    return matches


def _state(judged: dict[int, _Verdict], visible: set[int], countable: set[int]) -> RowMatch:
    def best_first(pks: list[int]) -> list[int]:
        return sorted(pks, key=lambda pk: (judged[pk].by != _BY_IDENTIFIER, -judged[pk].weight, pk))

    strong = best_first([pk for pk, v in judged.items() if v.strong])
    weak = best_first([pk for pk, v in judged.items() if not v.strong])
    for state, pks in ((MatchState.KNOWN, strong), (MatchState.POSSIBLE, weak)):
        shown = [pk for pk in pks if pk in visible]
        hidden = min(len([pk for pk in pks if pk in countable and pk not in visible]), HIDDEN_CAP)
        if shown or (hidden and state == MatchState.POSSIBLE):
            by = judged[shown[0]].by if shown else "a similar name"
            return RowMatch(state, [], hidden, by, shown[:SHOWN])
        if hidden:
            best = next(pk for pk in pks if pk in countable and pk not in visible)
            return RowMatch(MatchState.HIDDEN, [], hidden, judged[best].by)
    return RowMatch(MatchState.NEW)
