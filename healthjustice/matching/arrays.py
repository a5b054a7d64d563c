"""Linking a whole list as columns of numbers (`manage.py link_records`).

The same blocking, comparison levels, weights and clustering as `scoring`, which compares one
pair of `CleanRecord`s at a time (and which the register search still uses), done over numpy
arrays so that a million records take seconds per phase rather than minutes:

- every distinct value (a name, a name's sound, a date of birth, a postcode, an identifier) is
  given an integer code once, and what is derived from it (its NYSIIS key, its first letter, its
  formal form) is computed once per distinct value, not per record or per pair;
- blocking groups the records' key codes by sorting them; pairs come from each block of 2 to
  `max_block` records, as `scoring.candidate_pair_codes` makes them, each pair one int64
  `i * n + j` (i < j), sorted and deduplicated in buckets of `i` so that the list of
  pairs is never sorted whole;
- each field's comparison level is computed for a chunk of pairs at once; the only comparisons
  that are not a lookup (Jaro-Winkler, a keyboard slip, a shared part of a double-barrelled
  name) are made once per distinct pair of names, kept, and looked up for every pair after;
- weights are the `Model`'s own (computed in Python, per level and per distinct name, then
  looked up), added in the order `Model.score` adds them, so a pair's weight is the same float;
- clusters are connected components, numbered by their lowest record (as
  `scoring.connected_components` numbers them), by a union-find over arrays (`clusters`), or,
  as `link_records` makes them, the links joined strongest first by `scoring.clusters_apart`,
  which keeps apart clusters whose dates of birth would be more than five years apart
  (`clusters_apart`).

`tests/matching/test_arrays.py` checks the pairs, levels, weights, links and clusters against
`scoring`.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import jellyfish
import numpy as np
import numpy.typing as npt

from healthjustice.people.names import canonical_given_name

from .cleaning import CleanRecord
from .scoring import FIELDS, NULL, UNDATED_ONLY, Model, close_spelling, family_close, one_slip
from .scoring import clusters_apart as clusters_apart_of

Ints = npt.NDArray[np.int64]
Codes = npt.NDArray[np.int32]
Small = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]

# Pairs are sorted and deduplicated in this many buckets of their first record (one bucket's
# sort at a time), and scored this many at a time (the arrays of one chunk at a time).
BUCKETS = 64
CHUNK = 2_000_000
# Pairs made at once when a kind of blocking key is expanded into pairs.
BATCH = 4_000_000


class _Vocabulary:
    """Integer codes for distinct strings; code 0 is the empty string (missing)."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {"": 0}
        self.values: list[str] = [""]

    def code(self, value: str) -> int:
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        return code


@dataclass
class Columns:
    """The cleaned records as columns of codes (0, or -1 for a date, when missing)."""

    size: int
    names: list[str]  # every given, formal given, family and family-as-given name; 0 is ""
    given: Codes
    given_canonical: Codes
    family: Codes
    family_as_given: Codes  # the family name read as a given name (records written swapped)
    first_letter: Codes  # of each name in `names` (0 for "")
    given_key: Codes  # NYSIIS of the formal given name, in `keys`
    family_key: Codes
    given_two: Codes  # first two letters of the formal given name, in `keys`
    family_two: Codes
    initials: Codes  # both initials in order, in `keys`
    parts: tuple[Codes, Codes]  # (record, part's NYSIIS key) for double-barrelled family names
    keys: int  # how many codes `keys` has
    # The date of birth as ((year * 16 + month) * 32 + day) * 2 + 1 if "year only" else 0, so
    # that one lookup gives all of it; -1 when missing.
    dob: Codes
    nhs_number: Codes
    pnc: Codes
    postcode: Codes
    outward: Codes  # the postcode's outward code (district)
    sex: Codes


def _sorted_set(values: Ints) -> Ints:
    """The distinct values, sorted: as `np.unique`, which took twenty times as long as a sort on
    eight million int64 codes with numpy 2.4."""
    values = np.sort(values)
    if len(values) < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _distinct(values: Ints) -> tuple[Ints, Ints]:
    """The distinct values, sorted, and the index of each value among them."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.ones(len(values), dtype=np.bool_)
    new[1:] = ordered[1:] != ordered[:-1]
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def _array(values: list[int] | array[int]) -> Codes:
    if isinstance(values, array):
        return np.frombuffer(values, dtype=np.int32).copy()
    return np.asarray(values, dtype=np.int32)


class Fields(NamedTuple):
    """The cleaned records' fields, one iterable each in record order (each read once): what
    `columns` needs of a `CleanRecord`, for callers that hold the values without the records."""

    given: Iterable[str]
    given_canonical: Iterable[str]
    family: Iterable[str]
    family_as_given: Iterable[str]  # the family name read as a given name, never "" when known
    dob: Iterable[date | None]
    dob_year_only: Iterable[bool]
    nhs_number: Iterable[str]
    pnc: Iterable[str]
    postcode: Iterable[str]
    sex: Iterable[str]


def columns(records: Sequence[CleanRecord]) -> Columns:
    """Codes for every field of `records`, each derived value computed once per distinct value."""
    return columns_of(
        Fields(
            (r.given for r in records),
            (r.given_canonical for r in records),
            (r.family for r in records),
            (r.family_as_given or canonical_given_name(r.family) for r in records),
            (r.dob for r in records),
            (r.dob_year_only for r in records),
            (r.nhs_number for r in records),
            (r.pnc for r in records),
            (r.postcode for r in records),
            (r.sex for r in records),
        )
    )


def columns_of(fields: Fields) -> Columns:
    """`columns` of records given field by field."""
    names, keys = _Vocabulary(), _Vocabulary()
    # Identifiers, postcodes and sexes: codes compared only for equality.
    nhs_of, pnc_of, postcode_of, sex_of = _Vocabulary(), _Vocabulary(), _Vocabulary(), _Vocabulary()
    # The dates of birth, None (missing) first so that it becomes -1.
    dates: dict[date | None, int] = {None: 0}

    def coded(vocabulary: dict[Any, int], values: Iterable[Any]) -> array[int]:
        """The code of each value, new values numbered as they come: one comprehension calling
        no function of ours per record, into compact C ints rather than a list of Python ints."""
        return array("i", [vocabulary.setdefault(v, len(vocabulary)) for v in values])

    given = coded(names.codes, fields.given)
    canonical = coded(names.codes, fields.given_canonical)
    family = coded(names.codes, fields.family)
    as_given = coded(names.codes, fields.family_as_given)
    names.values[:] = list(names.codes)  # codes were given in insertion order
    dob = _array(coded(dates, fields.dob)) - 1
    year_only = array("i", fields.dob_year_only)
    nhs = coded(nhs_of.codes, fields.nhs_number)
    pnc = coded(pnc_of.codes, fields.pnc)
    postcode = coded(postcode_of.codes, fields.postcode)
    postcode_of.values[:] = list(postcode_of.codes)
    sex = coded(sex_of.codes, fields.sex)
    given_a, canonical_a, family_a = _array(given), _array(canonical), _array(family)
    del given, canonical, family

    # Per distinct name: its first letter, its sound, its first two letters, its parts.
    values = names.values
    first_letter = _array([ord(v[0]) if v else 0 for v in values])
    sound = _array([keys.code(jellyfish.nysiis(v)[:8]) if v else 0 for v in values])
    flat_sound = _array(
        [keys.code(jellyfish.nysiis(v.replace(" ", ""))[:8]) if v else 0 for v in values]
    )
    two = _array([keys.code("~" + v[:2]) if v else 0 for v in values])
    given_key, family_key = sound[canonical_a], flat_sound[family_a]

    # Initials in order: sorted((given[:1], family[:1])) joined, with "" for a missing one.
    g_first, f_first = first_letter[canonical_a], first_letter[family_a]
    low, high = np.minimum(g_first, f_first), np.maximum(g_first, f_first)
    initials_code = low.astype(np.int64) * 256 + high
    initial_values, initials = _distinct(initials_code)

    # Double-barrelled family names: each part's sound, for records with a given name's sound.
    part_keys = {
        code: [keys.code(jellyfish.nysiis(p)[:8]) for p in value.split(" ")]
        for code, value in enumerate(values)
        if " " in value
    }
    part_records: list[int] = []
    part_codes: list[int] = []
    for index in np.flatnonzero((given_key != 0) & np.isin(family_a, list(part_keys))):
        for key in part_keys[int(family_a[index])]:
            part_records.append(int(index))
            part_codes.append(key)

    packed = _array(
        [((d.year * 16 + d.month) * 32 + d.day) * 2 if d else 0 for d in dates][1:] or [0]
    )
    dob_packed = np.where(dob >= 0, packed[np.maximum(dob, 0)] + _array(year_only), -1)

    outward_of = _Vocabulary()
    outward = _array([outward_of.code(v.split(" ")[0]) for v in postcode_of.values])
    postcode_a = _array(postcode)
    return Columns(
        size=len(given_a),
        names=values,
        given=given_a,
        given_canonical=canonical_a,
        family=family_a,
        family_as_given=_array(as_given),
        first_letter=first_letter,
        given_key=given_key,
        family_key=family_key,
        given_two=two[canonical_a],
        family_two=two[family_a],
        initials=initials.astype(np.int32) + len(keys.values) + 1,
        parts=(_array(part_records), _array(part_codes)),
        keys=len(keys.values) + 1 + len(initial_values),
        dob=dob_packed.astype(np.int32),
        nhs_number=_array(nhs),
        pnc=_array(pnc),
        postcode=postcode_a,
        outward=outward[postcode_a],
        sex=_array(sex),
    )


# Blocking ------------------------------------------------------------------------------------


def _keyed(*parts: tuple[npt.NDArray[np.integer], int]) -> Ints:
    """One int64 per record from several codes, each below its given bound."""
    key = np.zeros(len(parts[0][0]), dtype=np.int64)
    for values, bound in parts:
        key = key * bound + values.astype(np.int64)
    return key


def _blocks(c: Columns) -> Iterator[tuple[str, Ints, Ints]]:
    """(kind, records, keys) for every kind of blocking key of `scoring.blocking_keys`: the keys
    of one kind share one namespace (a date of birth with a given name's sound meets the same
    date with a family name's sound, as the text keys do)."""
    n = c.size
    everyone = np.arange(n, dtype=np.int64)
    dated = c.dob >= 0
    has_given, has_family = c.given_key != 0, c.family_key != 0
    both = has_given & has_family
    has_postcode = c.postcode != 0
    dob = np.maximum(c.dob, 0) >> 1  # the date without "year only"
    part_records, part_keys = c.parts[0].astype(np.int64), c.parts[1]
    part_dated = dated[part_records]
    keys, dates, postcodes = c.keys, int(dob.max(initial=0)) + 1, int(c.postcode.max(initial=0)) + 1

    def pick(mask: Flags, key: Ints) -> tuple[Ints, Ints]:
        return everyone[mask], key[mask]

    def join(*picked: tuple[Ints, Ints]) -> tuple[Ints, Ints]:
        return (
            np.concatenate([r for r, _ in picked]),
            np.concatenate([k for _, k in picked]),
        )

    yield "n", *pick(c.nhs_number != 0, c.nhs_number.astype(np.int64))
    yield "p", *pick(c.pnc != 0, c.pnc.astype(np.int64))
    yield (
        "d",
        *join(
            pick(dated & has_given, _keyed((dob, dates), (c.given_key, keys))),
            pick(dated & has_family, _keyed((dob, dates), (c.family_key, keys))),
            (
                part_records[part_dated],
                _keyed((dob[part_records[part_dated]], dates), (part_keys[part_dated], keys)),
            ),
        ),
    )
    yield "b", *pick(dated, _keyed((dob, dates), (c.initials, keys)))
    yield "c", *pick(dated & has_postcode, _keyed((dob, dates), (c.postcode, postcodes)))
    # Day and month in order, where both are 12 or less and differ (they could be swapped).
    year, month, day = dob >> 9, (dob >> 5) & 15, dob & 31
    swappable = dated & (day <= 12) & (month <= 12) & (day != month)
    ordered = (year * 16 + np.minimum(day, month)) * 32 + np.maximum(day, month)
    yield (
        "e",
        *join(
            pick(swappable & has_given, _keyed((ordered, dates), (c.given_key, keys))),
            pick(swappable & has_family, _keyed((ordered, dates), (c.family_key, keys))),
        ),
    )
    low = np.minimum(c.given_key, c.family_key)
    high = np.maximum(c.given_key, c.family_key)
    part_given = c.given_key[part_records]
    yield (
        "g",
        *join(
            pick(both, _keyed((low, keys), (high, keys))),
            (
                part_records,
                _keyed(
                    (np.minimum(part_given, part_keys), keys),
                    (np.maximum(part_given, part_keys), keys),
                ),
            ),
        ),
    )
    yield "i", *pick(both, _keyed((c.family_key, keys), (c.given_two, keys)))
    yield "j", *pick(both, _keyed((c.given_key, keys), (c.family_two, keys)))
    yield (
        "a",
        *join(
            pick(has_postcode & has_given, _keyed((c.postcode, postcodes), (c.given_key, keys))),
            pick(has_postcode & has_family, _keyed((c.postcode, postcodes), (c.family_key, keys))),
        ),
    )
    yield "f", *pick(has_postcode, _keyed((c.postcode, postcodes), (c.initials, keys)))


def _block_pairs(
    records: Ints, keys: Ints, max_block: int, batch: int = BATCH
) -> Iterator[tuple[Ints, Ints]]:
    """(first, second) records of every pair in every block of 2 to `max_block` entries (a
    record entered twice under one key counts twice, as in `scoring.candidate_pair_codes`),
    in batches of about `batch` pairs; a pair of a record with itself is left out."""
    order = np.argsort(keys, kind="stable")
    keys, records = keys[order], records[order]
    if not len(keys):
        return
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.append(starts, len(keys)))
    kept = (sizes >= 2) & (sizes <= max_block)
    starts, sizes = starts[kept], sizes[kept]
    pairs = sizes.astype(np.int64) * (sizes - 1) // 2
    cumulative = np.cumsum(pairs)
    begin = 0
    while begin < len(starts):
        done = int(cumulative[begin - 1]) if begin else 0
        end = int(np.searchsorted(cumulative, done + batch, side="right"))
        end = max(end, begin + 1)
        yield _pairs_within(records, starts[begin:end], sizes[begin:end])
        begin = end


def _pairs_within(records: Ints, starts: Ints, sizes: Ints) -> tuple[Ints, Ints]:
    """Every entry of each block (`starts`, `sizes` into `records`) with every later entry."""
    rank = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    position = np.repeat(starts, sizes) + rank
    later = np.repeat(sizes, sizes) - rank - 1
    first = np.repeat(position, later)
    step = np.arange(len(first), dtype=np.int64) - np.repeat(np.cumsum(later) - later, later)
    return records[first], records[first + 1 + step]


def candidate_buckets(c: Columns, *, max_block: int = 400) -> list[Ints]:
    """The pairs `scoring.candidate_pair_codes` makes (without a record paired with itself), as
    sorted int64 codes `i * n + j`, i < j, in `BUCKETS` arrays by i."""
    n = c.size
    parts: list[list[Ints]] = [[] for _ in range(BUCKETS)]
    undated = c.dob < 0
    for kind, records, keys in _blocks(c):
        for first, second in _block_pairs(records, keys, max_block):
            keep = first != second
            if kind in UNDATED_ONLY:
                keep &= undated[first] | undated[second]
            first, second = first[keep], second[keep]
            low = np.minimum(first, second)
            codes = low * n + np.maximum(first, second)
            # Into buckets by the first record: a stable sort of one-byte bucket numbers (numpy
            # sorts those by radix, in one pass), not a sort of the codes.
            bucket = (low * BUCKETS // max(n, 1)).astype(np.uint8)
            codes = codes[np.argsort(bucket, kind="stable")]
            cuts = np.cumsum(np.bincount(bucket, minlength=BUCKETS))
            for k in range(BUCKETS):
                start = int(cuts[k - 1]) if k else 0
                if cuts[k] > start:
                    parts[k].append(codes[start : cuts[k]])
    buckets = []
    for k in range(BUCKETS):
        bucket = _sorted_set(np.concatenate(parts[k])) if parts[k] else np.zeros(0, np.int64)
        parts[k] = []
        buckets.append(bucket)
    return buckets


# Comparison ----------------------------------------------------------------------------------


class _PairTest:
    """A test of two names (by code) made once per distinct pair and kept."""

    def __init__(self, names: list[str], test: Callable[[str, str], bool]) -> None:
        self.names, self.test = names, test
        self.width = len(names)
        self.known = np.zeros(0, dtype=np.int64)
        self.results = np.zeros(0, dtype=np.bool_)

    def __call__(self, a: Codes, b: Codes) -> Flags:
        if not len(a):
            return np.zeros(0, dtype=np.bool_)
        codes = a.astype(np.int64) * self.width + b
        distinct, inverse = _distinct(codes)
        where = np.searchsorted(self.known, distinct)
        found = where < len(self.known)
        found[found] = self.known[where[found]] == distinct[found]
        if not found.all():
            new = distinct[~found]
            names, test, width = self.names, self.test, self.width
            results = np.fromiter(
                (test(names[code // width], names[code % width]) for code in new.tolist()),
                dtype=np.bool_,
                count=len(new),
            )
            known = np.concatenate((self.known, new))
            order = np.argsort(known, kind="stable")
            self.known = known[order]
            self.results = np.concatenate((self.results, results))[order]
            where = np.searchsorted(self.known, distinct)
        return self.results[where][inverse]


def _family_close(a: str, b: str) -> bool:
    """`scoring.family_close`, a family name's parts being its words."""
    return family_close(a, a.split(" "), b, b.split(" "))


class Comparer:
    """Comparison levels of pairs of records given as arrays of indexes, as `scoring.compare`
    gives them for one pair."""

    def __init__(self, c: Columns) -> None:
        self.c = c
        self.close = _PairTest(c.names, close_spelling)
        self.slip = _PairTest(c.names, one_slip)
        self.family_close = _PairTest(c.names, _family_close)

    def _given(self, a: Codes, a_canonical: Codes, b: Codes, b_canonical: Codes) -> Small:
        first = self.c.first_letter
        level = np.where(first[a] == first[b], 3, 4).astype(np.int8)
        same, formal = a == b, a_canonical == b_canonical
        missing = (a == 0) | (b == 0)
        test = ~(missing | same | formal)
        close = self.close(a_canonical[test], b_canonical[test])
        rest = ~close
        close[rest] = self.slip(a[test][rest], b[test][rest])
        level[test] = np.where(close, 2, level[test])
        level[formal] = 1
        level[same] = 0
        level[missing] = NULL
        return level

    def _family(self, a: Codes, b: Codes) -> Small:
        level = np.full(len(a), 2, dtype=np.int8)
        same = a == b
        missing = (a == 0) | (b == 0)
        test = ~(missing | same)
        level[test] = np.where(self.family_close(a[test], b[test]), 1, 2)
        level[same] = 0
        level[missing] = NULL
        return level

    def levels(self, i: Ints, j: Ints) -> tuple[list[Small], Flags]:
        """Each field's level (in `FIELDS` order) and whether the names were read swapped."""
        given, family, swapped = self.names(i, j)
        return [given, family, *self.others(i, j)], swapped

    def others(self, i: Ints, j: Ints) -> list[Small]:
        """The levels of the fields after the names (`FIELDS[2:]`)."""
        c = self.c
        return [
            self._dob(i, j),
            _exact(c.nhs_number[i], c.nhs_number[j]),
            _exact(c.pnc[i], c.pnc[j]),
            self._postcode(i, j),
            _exact(c.sex[i], c.sex[j]),
        ]

    def names(self, i: Ints, j: Ints) -> tuple[Small, Small, Flags]:
        """The given and family names' levels, read swapped where that agrees better (as
        `scoring.compare` reads them), and where they were."""
        c = self.c
        given = self._given(c.given[i], c.given_canonical[i], c.given[j], c.given_canonical[j])
        family = self._family(c.family[i], c.family[j])
        first = c.first_letter
        crossing = ((given != 0) | (family != 0)) & (
            (first[c.given[i]] == first[c.family[j]]) | (first[c.family[i]] == first[c.given[j]])
        )
        ci, cj = i[crossing], j[crossing]
        crossed_given = self._given(
            c.given[ci], c.given_canonical[ci], c.family[cj], c.family_as_given[cj]
        )
        crossed_family = self._family(c.family[ci], c.given[cj])
        straight = np.maximum(given[crossing], 0).astype(np.int16) + np.maximum(family[crossing], 0)
        better = (
            (crossed_given != NULL)
            & (crossed_family != NULL)
            & (crossed_given.astype(np.int16) + crossed_family < straight)
        )
        swapped = np.zeros(len(i), dtype=np.bool_)
        swapped[np.flatnonzero(crossing)[better]] = True
        given[swapped] = crossed_given[better]
        family[swapped] = crossed_family[better]
        return given, family, swapped

    def _dob(self, i: Ints, j: Ints) -> Small:
        packed_a, packed_b = self.c.dob[i], self.c.dob[j]
        a, b = packed_a >> 1, packed_b >> 1
        year_a, year_b = a >> 9, b >> 9
        month_a, month_b, day_a, day_b = (a >> 5) & 15, (b >> 5) & 15, a & 31, b & 31
        same_year = year_a == year_b
        same = same_year.astype(np.int8) + (month_a == month_b) + (day_a == day_b).astype(np.int8)
        level = np.where(np.abs(year_a - year_b) <= 5, 3, 4).astype(np.int8)
        # The one part that differs, where two agree: a slip when one apart or one digit off
        # (looked at only for those pairs, a small share of all).
        two = np.flatnonzero((same == 2) & (np.abs(year_a - year_b) <= 5))
        year_differs = ~same_year[two]
        month_differs = month_a[two] != month_b[two]
        x = np.where(year_differs, year_a[two], np.where(month_differs, month_a[two], day_a[two]))
        y = np.where(year_differs, year_b[two], np.where(month_differs, month_b[two], day_b[two]))
        digits = sum(((x // 10**k) % 10 != (y // 10**k) % 10).astype(np.int8) for k in range(4))
        level[two[(np.abs(x - y) == 1) | (digits == 1)]] = 2
        swapped = same_year & (day_a == month_b) & (month_a == day_b)
        year_only = ((packed_a | packed_b) & 1).astype(np.bool_) & same_year
        level[swapped | year_only] = 1
        level[a == b] = 0
        level[(packed_a < 0) | (packed_b < 0)] = NULL
        return level

    def _postcode(self, i: Ints, j: Ints) -> Small:
        c = self.c
        a, b = c.postcode[i], c.postcode[j]
        level = np.where(c.outward[i] == c.outward[j], 1, 2).astype(np.int8)
        level[a == b] = 0
        level[(a == 0) | (b == 0)] = NULL
        return level


def _exact(a: Codes, b: Codes) -> Small:
    level = (a != b).astype(np.int8)
    level[(a == 0) | (b == 0)] = NULL
    return level


# Weights -------------------------------------------------------------------------------------


@dataclass
class Weights:
    """The model's weights as lookups: per field and level (NULL, the last index, weighs 0), and
    per record the weight of an exact agreement on its given name, family name, or whole name
    (NaN where the whole name has no frequency: its parts are weighed apart)."""

    prior: float
    fields: list[Floats]
    given_exact: Floats
    family_exact: Floats
    whole_name: Floats
    best_names: Floats  # the most the names of a pair with this first record can weigh


def weights(c: Columns, model: Model) -> Weights:
    """`model`'s weights (`Model.score`), computed with `math` per distinct value."""
    fields = [np.asarray([*model.weights(f), 0.0], dtype=np.float64) for f in FIELDS]
    names = c.names

    def per_name(fieldname: str, codes: Codes) -> Floats:
        frequencies = model.given_frequency if fieldname == "given" else model.family_frequency
        default = model.weights(fieldname)[0]
        m = model.m[fieldname][0]
        table = np.empty(len(names), dtype=np.float64)
        for code, value in enumerate(names):
            frequency = frequencies.get(value)
            table[code] = math.log2(m / max(frequency, 1e-7)) if frequency else default
        return table[codes]

    whole = np.full(c.size, np.nan, dtype=np.float64)
    if model.full_name_frequency:
        both_m = model.m["given"][0] * model.m["family"][0]
        pair = c.given.astype(np.int64) * len(names) + c.family
        distinct, inverse = _distinct(pair)
        width = len(names)
        table = np.full(len(distinct), np.nan, dtype=np.float64)
        get = model.full_name_frequency.get
        for index, code in enumerate(distinct.tolist()):
            frequency = get((names[code // width], names[code % width]))
            if frequency:
                table[index] = math.log2(both_m / frequency)
        whole = table[inverse]
    given_exact = per_name("given", c.given)
    family_exact = per_name("family", c.family)
    # Any level (or none) of each name, with the given and family names weighed apart or, when
    # both agree, as a whole name.
    best_given = np.maximum(given_exact, fields[0][1:].max())
    best_family = np.maximum(family_exact, fields[1][1:].max())
    return Weights(
        prior=model.prior_weight,
        fields=fields,
        given_exact=given_exact,
        family_exact=family_exact,
        whole_name=whole,
        best_names=np.fmax(whole, best_given + best_family),
    )


def match_weights(w: Weights, i: Ints, levels: list[Small]) -> Floats:
    """Each pair's match weight, added in the order `Model.score` adds it."""
    given, family = levels[0], levels[1]
    given_weight = w.fields[0][given]
    family_weight = w.fields[1][family]
    given_weight = np.where(given == 0, w.given_exact[i], given_weight)
    family_weight = np.where(family == 0, w.family_exact[i], family_weight)
    whole = w.whole_name[i]
    by_whole = (given == 0) & (family == 0) & ~np.isnan(whole)
    given_weight = np.where(by_whole, whole, given_weight)
    family_weight = np.where(by_whole, 0.0, family_weight)
    total = np.full(len(i), w.prior, dtype=np.float64)
    total += given_weight
    total += family_weight
    for index in range(2, len(FIELDS)):
        total += w.fields[index][levels[index]]
    return total


def names_conflict(levels: list[Small]) -> Flags:
    """`scoring.names_conflict` for arrays of levels."""
    given, family, dob, nhs, pnc = levels[:5]
    return ((given >= 3) | (family == 2) | (dob == 4)) & (nhs != 0) & (pnc != 0)


# Linking -------------------------------------------------------------------------------------


class Links(NamedTuple):
    """Pairs linked: their first and second records, match weights, and whether they agree on
    an NHS number or a PNC ID."""

    first: Ints
    second: Ints
    weight: Floats
    identified: Flags


def score_buckets(
    c: Columns,
    w: Weights,
    buckets: Sequence[Ints],
    *,
    threshold: float,
    strict_names: bool = True,
) -> Links:
    """The pairs at or above `threshold` whose names do not conflict.

    The fields after the names are compared first, for every pair; the names only for the
    pairs that could still reach the threshold with the best weight their names could have
    (`Weights.best_names`) and whose dates of birth do not already make a conflict. The others
    could not be linked whatever their names, and most pairs a large list's blocks make are
    such pairs: the names are the costly comparison."""
    cut = math.log2(threshold / (1 - threshold))
    # Far below any weight's rounding: sums of the same terms in another order differ by less.
    slack = 1e-6
    comparer = Comparer(c)
    firsts: list[Ints] = []
    seconds: list[Ints] = []
    weights_of: list[Floats] = []
    identified: list[Flags] = []
    n = c.size
    for bucket in buckets:
        for start in range(0, len(bucket), CHUNK):
            codes = bucket[start : start + CHUNK]
            i, j = codes // n, codes % n
            others = comparer.others(i, j)
            best = w.best_names[i] + w.prior
            for index, level in enumerate(others, start=2):
                best += w.fields[index][level]
            hopeful = best >= cut - slack
            if strict_names:
                dob, nhs, pnc = others[:3]
                hopeful &= ~((dob == 4) & (nhs != 0) & (pnc != 0))
            i, j = i[hopeful], j[hopeful]
            given, family, _ = comparer.names(i, j)
            levels = [given, family, *(level[hopeful] for level in others)]
            weight = match_weights(w, i, levels)
            linked = weight >= cut
            if strict_names:
                linked &= ~names_conflict(levels)
            firsts.append(i[linked])
            seconds.append(j[linked])
            weights_of.append(weight[linked])
            identified.append(((levels[3] == 0) | (levels[4] == 0))[linked])
    if not firsts:
        none = np.zeros(0, np.int64)
        return Links(none, none, np.zeros(0, np.float64), np.zeros(0, np.bool_))
    return Links(
        np.concatenate(firsts),
        np.concatenate(seconds),
        np.concatenate(weights_of),
        np.concatenate(identified),
    )


def clusters(count: int, first: Ints, second: Ints) -> Ints:
    """Each record's cluster: the lowest record joined to it through the links (the numbering
    of `scoring.connected_components`), by union-find over arrays."""
    parent = np.arange(count, dtype=np.int64)
    a, b = first, second
    while len(a):
        root_a, root_b = parent[a], parent[b]
        apart = root_a != root_b
        a, b, root_a, root_b = a[apart], b[apart], root_a[apart], root_b[apart]
        if not len(a):
            break
        # Hook each higher root under the lowest root it meets, then flatten every path.
        np.minimum.at(parent, np.maximum(root_a, root_b), np.minimum(root_a, root_b))
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
    return parent


def clusters_apart(c: Columns, links: Links) -> Ints:
    """Each record's cluster, numbered by its lowest record, joining the links strongest first
    but never two clusters whose dates of birth would then be more than five years apart,
    unless the link agrees on an NHS number or a PNC ID (`scoring.clusters_apart`): a father
    and son of one name and address stay apart when an undated record of their name links to
    both."""
    order = np.argsort(-links.weight, kind="stable")
    years = np.where(c.dob >= 0, c.dob >> 10, -1)
    return np.asarray(
        clusters_apart_of(
            c.size,
            links.first[order].tolist(),
            links.second[order].tolist(),
            links.identified[order].tolist(),
            years.tolist(),
        ),
        dtype=np.int64,
    )
