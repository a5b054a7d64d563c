"""Fellegi–Sunter scoring of pairs of cleaned records, blocking and clustering.

Each pair is compared field by field; each field falls into a comparison level (0 is the
strongest agreement), or is null when either side lacks the field (no evidence either way). A
level carries m, the probability of that level among pairs that are the same person, and u,
among pairs that are not; the pair's match weight is log2(prior odds) plus the sum of
log2(m / u). For an exact agreement on a given or family name, u is the frequency of that name in
the data (term-frequency adjustment: agreeing on "Smith" says less than agreeing on "Quayle").
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import jellyfish

from healthjustice.people.names import canonical_given_name

from .cleaning import CleanRecord, day_month_swapped

FIELDS = ("given", "family", "dob", "nhs_number", "pnc", "postcode", "sex")
# How many levels each field has (the last is "disagrees").
LEVELS = {"given": 5, "family": 3, "dob": 5, "nhs_number": 2, "pnc": 2, "postcode": 3, "sex": 2}
NULL = -1
Levels = tuple[int, int, int, int, int, int, int]


def one_slip(a: str, b: str) -> bool:
    """One letter changed, dropped or added, or two neighbours swapped: a keyboard slip, which
    in a short name ("Amy", "Ajy") leaves too little for Jaro-Winkler to call it close."""
    return abs(len(a) - len(b)) <= 1 and jellyfish.damerau_levenshtein_distance(a, b) <= 1


def close_spelling(a: str, b: str) -> bool:
    return jellyfish.jaro_winkler_similarity(a, b) >= 0.9


def family_close(a: str, a_parts: Iterable[str], b: str, b_parts: Iterable[str]) -> bool:
    """Close spelling, one slip or a shared part of a double-barrelled name."""
    return close_spelling(a, b) or one_slip(a, b) or bool(set(a_parts) & set(b_parts))


def _given_level(a: str, a_canon: str, b: str, b_canon: str) -> int:
    """0 same, 1 same formal name (Jon/John), 2 close spelling or one slip, 3 same initial,
    4 differ."""
    if not a or not b:
        return NULL
    if a == b:
        return 0
    if a_canon == b_canon:
        return 1
    if close_spelling(a_canon, b_canon) or one_slip(a, b):
        return 2
    if a[0] == b[0]:
        return 3
    return 4


def _family_level(a: str, a_parts: tuple[str, ...], b: str, b_parts: tuple[str, ...]) -> int:
    """0 same, 1 close spelling, one slip or one part of a double-barrelled name, 2 differ."""
    if not a or not b:
        return NULL
    if a == b:
        return 0
    if family_close(a, a_parts, b, b_parts):
        return 1
    return 2


def _one_digit_slip(x: int, y: int) -> bool:
    """One apart (1985 and 1986, the 11th and the 12th) or one digit different (1985 and
    1983, the 3rd and the 13th): a slip of one keystroke in a date's part."""
    if abs(x - y) == 1:
        return True
    return sum(x // 10**k % 10 != y // 10**k % 10 for k in range(4)) == 1


def _dob_level(a: CleanRecord, b: CleanRecord) -> int:
    """0 same, 1 day and month swapped or same year where one is "year only", 2 two of year,
    month and day agree and the third is one apart or one digit different (a slip), 3 differ
    otherwise by up to five years, 4 by more (a father and son)."""
    if a.dob is None or b.dob is None:
        return NULL
    if a.dob == b.dob:
        return 0
    if day_month_swapped(a.dob, b.dob) or (
        (a.dob_year_only or b.dob_year_only) and a.dob.year == b.dob.year
    ):
        return 1
    parts = ((a.dob.year, b.dob.year), (a.dob.month, b.dob.month), (a.dob.day, b.dob.day))
    differ = [(x, y) for x, y in parts if x != y]
    # Years more than five apart are never a slip (1965 and 1985 may be a father and son).
    if len(differ) == 1 and _one_digit_slip(*differ[0]) and abs(a.dob.year - b.dob.year) <= 5:
        return 2
    return 3 if abs(a.dob.year - b.dob.year) <= 5 else 4


def _exact(a: str, b: str) -> int:
    if not a or not b:
        return NULL
    return 0 if a == b else 1


def _postcode_level(a: CleanRecord, b: CleanRecord) -> int:
    """0 same, 1 same outward code (district), 2 differ; no fixed abode is no evidence."""
    if not a.postcode or not b.postcode:
        return NULL
    if a.postcode == b.postcode:
        return 0
    if a.postcode.split(" ")[0] == b.postcode.split(" ")[0]:
        return 1
    return 2


def compare(a: CleanRecord, b: CleanRecord) -> tuple[Levels, bool]:
    """Comparison levels of a pair and whether the names agreed better with given and family
    swapped on one side (the levels are then those of the swapped reading)."""
    straight = (
        _given_level(a.given, a.given_canonical, b.given, b.given_canonical),
        _family_level(a.family, a.family_parts, b.family, b.family_parts),
    )
    swapped_names = straight
    swapped = False
    # Read crossed, names can only agree better when an initial meets the other name's: with
    # both initials different the crossed levels are "differ" (a spelling close enough to count
    # nearly always shares its first letter).
    if (straight[0] != 0 or straight[1] != 0) and (
        a.given[:1] == b.family[:1] or a.family[:1] == b.given[:1]
    ):
        b_given_as_family = (b.given,)
        crossed = (
            _given_level(
                a.given,
                a.given_canonical,
                b.family,
                b.family_as_given or canonical_given_name(b.family),
            ),
            _family_level(a.family, a.family_parts, b.given, b_given_as_family),
        )
        if NULL not in crossed and crossed[0] + crossed[1] < max(straight[0], 0) + max(
            straight[1], 0
        ):
            swapped_names, swapped = crossed, True
    levels: Levels = (
        swapped_names[0],
        swapped_names[1],
        _dob_level(a, b),
        _exact(a.nhs_number, b.nhs_number),
        _exact(a.pnc, b.pnc),
        _postcode_level(a, b),
        _exact(a.sex, b.sex),
    )
    return levels, swapped


# Below this many records, name counts say more about chance than about the names (in twenty
# records "Smith" may be two, and a person's own records count their name again), so names are
# weighed by the stored u alone.
MIN_RECORDS_FOR_FREQUENCIES = 5_000


@dataclass
class Model:
    """m and u for every level of every field, the prior and the name frequencies."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    pairs_per_record: float  # same-person pairs per record in the labelled set
    record_count: int  # records the prior and the name frequencies are for
    given_frequency: dict[str, float] = field(default_factory=dict)
    family_frequency: dict[str, float] = field(default_factory=dict)
    # Share of records carrying each (given, family) name: when both names agree, what the
    # agreement says is how rare the whole name is, not the product of its parts' rarities
    # ("Bryan Patel" may be rarer or commoner than "Bryan" and "Patel" suggest).
    full_name_frequency: dict[tuple[str, str], float] = field(default_factory=dict)
    _weights: dict[str, list[float]] = field(default_factory=dict, init=False, repr=False)
    _prior_weight: float = field(default=0.0, init=False, repr=False)
    _field_weights: tuple[list[float], ...] = field(default=(), init=False, repr=False)
    _both_names_m: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        self._weights = {
            f: [math.log2(m / u) for m, u in zip(self.m[f], self.u[f], strict=True)] for f in FIELDS
        }
        self._field_weights = tuple(self._weights[f] for f in FIELDS)
        self._prior_weight = math.log2(self.prior / (1 - self.prior))
        self._both_names_m = self.m["given"][0] * self.m["family"][0]

    @property
    def prior(self) -> float:
        """Probability that two records drawn at random are the same person: the same number
        of duplicates per record spread over all pairs of `record_count` records."""
        return min(2 * self.pairs_per_record / max(self.record_count - 1, 1), 0.5)

    @property
    def prior_weight(self) -> float:
        return self._prior_weight

    def for_records(self, records: Sequence[CleanRecord]) -> Model:
        """The same m and u with the prior and name frequencies of `records` (no name
        frequencies below `MIN_RECORDS_FOR_FREQUENCIES`)."""
        if len(records) < MIN_RECORDS_FOR_FREQUENCIES:
            return Model(self.m, self.u, self.pairs_per_record, max(len(records), 2))
        given_frequency, family_frequency = name_frequencies(records)
        return Model(
            self.m,
            self.u,
            self.pairs_per_record,
            len(records),
            given_frequency,
            family_frequency,
            full_name_frequencies(records),
        )

    def weights(self, fieldname: str) -> list[float]:
        return self._weights[fieldname]

    def match_weight(self, a: CleanRecord, b: CleanRecord) -> float:
        return self.score(a, b)[0]

    def score(self, a: CleanRecord, b: CleanRecord) -> tuple[float, Levels]:
        """The pair's match weight and its comparison levels."""
        levels, _ = compare(a, b)
        total = self._prior_weight
        first = 0
        if levels[0] == 0 and levels[1] == 0:
            frequency = self.full_name_frequency.get((a.given, a.family))
            if frequency:
                total += math.log2(self._both_names_m / frequency)
                first = 2
        for index in range(first, len(FIELDS)):
            level = levels[index]
            if level == NULL:
                continue
            weight = self._field_weights[index][level]
            if level == 0 and index < 2:
                weight = self._name_tf_weight(FIELDS[index], a, weight)
            total += weight
        return total, levels

    def _name_tf_weight(self, fieldname: str, a: CleanRecord, default: float) -> float:
        value = a.given if fieldname == "given" else a.family
        frequencies = self.given_frequency if fieldname == "given" else self.family_frequency
        frequency = frequencies.get(value)
        if not frequency:
            return default
        return math.log2(self.m[fieldname][0] / max(frequency, 1e-7))

    def match_probability(self, a: CleanRecord, b: CleanRecord) -> float:
        return probability(self.match_weight(a, b))


def names_conflict(levels: Levels) -> bool:
    """Given names that differ beyond a slip or a nickname, family names that differ, or dates
    of birth more than five years apart, with no NHS number or PNC ID in common.

    Fellegi–Sunter treats the fields as independent, but twins share a family name, a date of
    birth and an address, and a father and son a name and an address: their agreement on those
    adds up to a high weight. Such pairs are never linked on the score alone (they belong in the
    review queue).
    """
    given, family, dob, nhs, pnc, _, _ = levels
    return (given >= 3 or family == 2 or dob == 4) and nhs != 0 and pnc != 0


def probability(weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** (-weight))


def name_frequencies(records: Sequence[CleanRecord]) -> tuple[dict[str, float], dict[str, float]]:
    """Share of records carrying each given and family name: u for an exact agreement on it is
    the chance two records share it, its frequency (for names of more than negligible share)."""
    given = Counter(r.given for r in records if r.given)
    family = Counter(r.family for r in records if r.family)
    total_g, total_f = sum(given.values()) or 1, sum(family.values()) or 1
    return (
        {k: v / total_g for k, v in given.items()},
        {k: v / total_f for k, v in family.items()},
    )


def full_name_frequencies(records: Sequence[CleanRecord]) -> dict[tuple[str, str], float]:
    """Share of records carrying each (given, family) name, both present."""
    counts = Counter((r.given, r.family) for r in records if r.given and r.family)
    total = sum(counts.values()) or 1
    return {name: count / total for name, count in counts.items()}


def level_shares(pairs: Iterable[tuple[CleanRecord, CleanRecord]]) -> dict[str, list[float]]:
    counts = {f: [1.0] * LEVELS[f] for f in FIELDS}  # add-one smoothing: no level is impossible
    for a, b in pairs:
        levels, _ = compare(a, b)
        for index, fieldname in enumerate(FIELDS):
            if levels[index] != NULL:
                counts[fieldname][levels[index]] += 1
    return {f: [c / sum(counts[f]) for c in counts[f]] for f in FIELDS}


def random_pairs(
    records: Sequence[CleanRecord], count: int, rng: random.Random
) -> Iterator[tuple[CleanRecord, CleanRecord]]:
    n = len(records)
    for _ in range(count):
        i, j = rng.randrange(n), rng.randrange(n)
        if i != j:
            yield records[i], records[j]


def estimate_model(
    records: Sequence[CleanRecord],
    true_pairs: Sequence[tuple[int, int]],
    *,
    random_pair_count: int = 200_000,
    seed: int = 0,
) -> Model:
    """u from random pairs of `records` (nearly all are different people); m from pairs known to
    be the same person (a labelled set); the prior from how many such pairs there are."""
    rng = random.Random(seed)
    u = level_shares(random_pairs(records, random_pair_count, rng))
    m = level_shares((records[i], records[j]) for i, j in true_pairs)
    given_frequency, family_frequency = name_frequencies(records)
    pairs_per_record = max(len(true_pairs), 1) / max(len(records), 1)
    return Model(
        m,
        u,
        pairs_per_record,
        len(records),
        given_frequency,
        family_frequency,
        full_name_frequencies(records),
    )


# Blocking ------------------------------------------------------------------------------------


def blocking_keys(record: CleanRecord) -> list[str]:
    """Keys under which a record is put; two records are compared when they share one.

    Several keys, so a pair that disagrees on one field still meets on another: NHS number; PNC
    ID; date of birth with either name's sound (so a typo in one name, or given and family
    swapped, still meets); both names' sounds in either order (no or different dates of birth);
    one name's sound with the other's first two letters, for pairs where a date of birth is
    missing (`UNDATED_ONLY`); date of birth with the initials or the postcode (both names
    mistyped); date of birth with day and month in order, where they could be swapped, with
    either name's sound; postcode with either name's sound, or with the initials; each part
    of a double-barrelled family name.

    Measured on the labelled set at 50,000 people (`benchmarks/blocking_keys.py`): birth year
    with one name's sound gave half of all pairs and 46 same-person pairs no other key found,
    so it is not used; the two "sound and two letters" keys gave 60% of the rest, nearly all
    of their own finds being pairs where one record has no date of birth.
    """
    keys: list[str] = []
    given, family = record.given_canonical, record.family
    if record.nhs_number:
        keys.append("n" + record.nhs_number)
    if record.pnc:
        keys.append("p" + record.pnc)
    name_keys = [k for k in (record.given_key, record.family_key) if k]
    if record.dob is not None:
        iso = record.dob.isoformat()
        keys.extend(f"d{iso}{k}" for k in name_keys)
        # Both names mistyped: the date of birth with the initials, or with the postcode.
        keys.append(f"b{iso}{''.join(sorted((given[:1], family[:1])))}")
        if record.postcode:
            keys.append(f"c{iso}{record.postcode}")
        day, month = record.dob.day, record.dob.month
        if day <= 12 and month <= 12 and day != month:
            # Day and month swapped: the date with the two in order, with either name's sound.
            low, high = min(day, month), max(day, month)
            keys.extend(f"e{record.dob.year}-{low:02d}-{high:02d}{k}" for k in name_keys)
    if len(name_keys) == 2:
        keys.append("g" + "|".join(sorted(name_keys)))
        # One name's sound and the other's first two letters (a typo and no date of birth).
        keys.append(f"i{record.family_key}{given[:2]}")
        keys.append(f"j{record.given_key}{family[:2]}")
    if record.postcode:
        keys.extend(f"a{record.postcode}{k}" for k in name_keys)
        # Both names mistyped at one address: the postcode with the initials.
        keys.append(f"f{record.postcode}{''.join(sorted((given[:1], family[:1])))}")
    if len(record.family_parts) > 1 and record.given_key:
        # Each part of a double-barrelled name, for the records that carry only one.
        for part in record.family_parts:
            part_key = jellyfish.nysiis(part)[:8]
            keys.append("g" + "|".join(sorted((record.given_key, part_key))))
            if record.dob is not None:
                keys.append(f"d{record.dob.isoformat()}{part_key}")
    return keys


# Keys (by their first letter) that pair records only where at least one has no date of birth:
# records that both carry one meet under the keys that include it.
UNDATED_ONLY = frozenset("ij")


def candidate_pair_codes(records: Sequence[CleanRecord], *, max_block: int = 400) -> set[int]:
    """Pairs (i < j) sharing a blocking key, each as one integer `i * len(records) + j` (a set
    of ints takes a third of the memory of a set of tuples at a million records); a block larger
    than `max_block` (a very common name) is left to the other keys."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        for key in blocking_keys(record):
            blocks[key].append(index)
    n = len(records)
    codes: set[int] = set()
    add = codes.add
    for key, members in blocks.items():
        size = len(members)
        if size < 2 or size > max_block:
            continue
        if key[0] in UNDATED_ONLY:
            undated = [m for m in members if records[m].dob is None]
            if not undated:
                continue
            for first in undated:
                for second in members:
                    if first != second and (records[second].dob is not None or first < second):
                        add(first * n + second if first < second else second * n + first)
            continue
        for x in range(size - 1):
            base = members[x] * n
            for y in range(x + 1, size):
                add(base + members[y])
    return codes


def candidate_pairs(
    records: Sequence[CleanRecord], *, max_block: int = 400
) -> set[tuple[int, int]]:
    """Index pairs (i < j) sharing a blocking key (see `candidate_pair_codes`)."""
    n = len(records)
    codes = candidate_pair_codes(records, max_block=max_block)
    return {(code // n, code % n) for code in codes}


# Clustering ----------------------------------------------------------------------------------


def connected_components(count: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """Cluster number of each of `count` items, joining every edge (union-find)."""
    parent = list(range(count))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(x) for x in range(count)]


# A cluster whose dates of birth are further apart than this is two people (`names_conflict`).
MAX_BIRTH_YEARS_APART = 5


def clusters_apart(
    count: int,
    first: Sequence[int],
    second: Sequence[int],
    identified: Sequence[bool],
    birth_years: Sequence[int],
) -> list[int]:
    """Each of `count` records' cluster, numbered by its lowest record, joining the links
    (`first[k]`, `second[k]`) in the order given (strongest first) but never two clusters
    whose dates of birth would then be more than `MAX_BIRTH_YEARS_APART` years apart, unless
    the link agrees on an NHS number or a PNC ID (`identified[k]`). `birth_years` is -1 where
    a record has no date of birth.

    `names_conflict` keeps a father and son of one name and address from being linked as a
    pair; without this rule a record of that name with no date of birth, linked to both,
    would still put them in one cluster."""
    parent = list(range(count))
    low, high = list(birth_years), list(birth_years)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, sure in zip(first, second, identified, strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if low[ra] < 0:
            lo, hi = low[rb], high[rb]
        elif low[rb] < 0:
            lo, hi = low[ra], high[ra]
        else:
            lo, hi = min(low[ra], low[rb]), max(high[ra], high[rb])
            if hi - lo > MAX_BIRTH_YEARS_APART and not sure:
                continue
        root, other = (ra, rb) if ra < rb else (rb, ra)
        parent[other] = root
        low[root], high[root] = lo, hi
    return [find(x) for x in range(count)]


def _identified(a: CleanRecord, b: CleanRecord) -> bool:
    return bool(a.nhs_number and a.nhs_number == b.nhs_number) or bool(a.pnc and a.pnc == b.pnc)


@dataclass(frozen=True)
class Linkage:
    pairs_scored: int
    links: list[tuple[int, int, float]]  # pairs at or above the threshold, with probability
    clusters: list[int]


Link = tuple[int, int, float]


def score_pairs(
    records: Sequence[CleanRecord],
    model: Model,
    codes: Iterable[int],
    *,
    threshold: float,
    strict_names: bool = True,
) -> list[Link]:
    """Pairs (as `candidate_pair_codes` gives them) at or above `threshold` whose names do not
    conflict, one pair at a time (`arrays.score_buckets` scores a whole list at once)."""
    cut = math.log2(threshold / (1 - threshold))
    n = len(records)
    score = model.score
    links: list[Link] = []
    for code in codes:
        i, j = divmod(code, n)
        weight, levels = score(records[i], records[j])
        if weight >= cut and not (strict_names and names_conflict(levels)):
            links.append((i, j, probability(weight)))
    return links


def link(
    records: Sequence[CleanRecord],
    model: Model,
    *,
    threshold: float = 0.9,
    strict_names: bool = True,
) -> Linkage:
    """Block, score and cluster: records joined by a pair at or above `threshold` (a match
    probability), whose names do not conflict (`names_conflict`, unless `strict_names` is
    False), share a cluster, unless their dates of birth would put it more than five years
    apart (`clusters_apart`). The prior and name frequencies are those of `records`."""
    model = model.for_records(records)
    codes = list(candidate_pair_codes(records))
    links = score_pairs(records, model, codes, threshold=threshold, strict_names=strict_names)
    ordered = sorted(links, key=lambda link: -link[2])
    clusters = clusters_apart(
        len(records),
        [i for i, _, _ in ordered],
        [j for _, j, _ in ordered],
        [_identified(records[i], records[j]) for i, j, _ in ordered],
        [r.dob.year if r.dob is not None else -1 for r in records],
    )
    return Linkage(len(codes), links, clusters)
