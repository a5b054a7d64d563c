"""The array matcher (`matching/arrays.py`) against the pair-by-pair one (`matching/scoring.py`):
the same pairs, levels, weights, links and clusters."""

import itertools
import random

import numpy as np
import pytest

from healthjustice.demo.matching_records import make_labelled_set, raw_record
from healthjustice.matching import arrays
from healthjustice.matching.cleaning import RawRecord, clean_record
from healthjustice.matching.model_store import fitted_to, load_model
from healthjustice.matching.scoring import (
    candidate_pair_codes,
    clusters_apart,
    compare,
    connected_components,
    names_conflict,
    score_pairs,
)


def raw(given, family, dob="", sex="", nhs="", pnc="", postcode=""):
    return RawRecord("x", given, family, dob, sex, nhs, pnc, postcode, "court")


# Records written as lists write them: every field missing in turn, names swapped or in one
# field, nicknames, slips, double-barrelled names, dates swapped, "year only", far apart.
EDGE_CASES = [
    raw("John", "Smith", "1985-02-01", "M", "9434765919", "19/123456E", "ST4 1NF"),
    raw("Jon", "Smith", "1985-01-02", "M", "", "2019/0123456E", "ST4 2AB"),
    raw("Johnny", "Smyth", "1985-02-01", "", "9434765919", "", "ST4 1NF"),
    raw("Smith", "John", "1985-02-01", "M", "", "", "ST4 1NF"),
    raw("", "Smith, John", "", "M", "", "19/123456E", ""),
    raw("John", "", "1985-01-01", "M"),
    raw("", "Smith", "1985-03-04"),
    raw("", "", "", "", "", "", "NFA"),
    raw("John", "Smith-Jones", "1985-01-01", "M", "", "", "B17 5ZH"),
    raw("John", "Jones", "1985-06-07", "M", "", "", "B17 5ZH"),
    raw("Jones", "John Smith", "1985-06-07"),
    raw("Margaret", "Quayle", "1972-03-04", "F", "", "", "WV1 1AA"),
    raw("Peggy", "Quayle", "1972-04-03", "F", "", "", "wv11aa"),
    raw("Quayle", "Peggy", "1972-04-03", "F"),
    raw("Amy", "Lee", "1990-01-01", "F"),
    raw("Ajy", "Lee", "1990-12-31", "F"),
    raw("Amy", "Le", "1979-05-06", "F"),
    raw("Ann", "Lee", "1960-05-06", "F", "9434765870"),
    raw("A", "Lee"),
    raw("Katherine", "Hughes", "1980-10-11"),
    raw("Catherine", "Hughs", "1980-11-10"),
    raw("William", "Hughes-Parry", "1990-06-07", "M", "", "", "B17 5ZH"),
    raw("Wiliam", "Parry", "1990-06-07", "M", "", "", "B17 5ZH"),
    raw("Parry", "William", "1990-06-07"),
    raw("John", "Powell", "1962-09-03", "M", "", "", "E3 6YA"),
    raw("John", "Powell", "1999-09-25", "M", "", "", "E3 6YA"),
    raw("Jonathan", "Smith", ""),
    raw("Joe", "Smith", ""),
    raw("Joe", "Smith", "1991-07-08"),
    # Dates two of whose parts agree: the third one apart or one digit off (a slip), or not.
    raw("Joe", "Smith", "1991-07-09"),
    raw("Joe", "Smith", "1991-07-28"),
    raw("Joe", "Smith", "1991-07-15"),
    raw("Joe", "Smith", "1981-07-08"),
    raw("Joe", "Smith", "1991-12-08"),
    raw("Joe", "Smith", "1971-07-08"),
]


@pytest.fixture(scope="module")
def records():
    labelled = [clean_record(raw_record(r)) for r in make_labelled_set(1_500, seed=21)]
    edge = [clean_record(r) for r in EDGE_CASES]
    return edge + labelled


@pytest.fixture(scope="module")
def model(records):
    # Name frequencies (and so the term-frequency and whole-name weights) from these records,
    # though they are fewer than a list needs before its frequencies are used.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("healthjustice.matching.scoring.MIN_RECORDS_FOR_FREQUENCIES", 0)
        patch.setattr("healthjustice.matching.model_store.MIN_RECORDS_FOR_FREQUENCIES", 0)
        return fitted_to(records, load_model(), random_pair_count=20_000)


def some_pairs(records):
    """Every pair of the edge cases and with them, the candidate pairs, and random pairs."""
    n = len(records)
    edge = range(len(EDGE_CASES))
    pairs = {(i, j) for i in edge for j in range(i + 1, n)}
    pairs |= {divmod(code, n) for code in candidate_pair_codes(records)}
    rng = random.Random(4)
    pairs |= {tuple(sorted(rng.sample(range(n), 2))) for _ in range(3_000)}
    pairs.discard((0, 0))
    return sorted((i, j) for i, j in pairs if i != j)


def test_levels_and_weights_are_those_of_the_pair_by_pair_comparison(records, model):
    table = arrays.columns(records)
    pairs = some_pairs(records)
    assert len(pairs) > 5_000
    i = np.asarray([p[0] for p in pairs], dtype=np.int64)
    j = np.asarray([p[1] for p in pairs], dtype=np.int64)
    levels, swapped = arrays.Comparer(table).levels(i, j)
    weights = arrays.match_weights(arrays.weights(table, model), i, levels)
    conflict = arrays.names_conflict(levels)
    seen_levels = set()
    for k, (a, b) in enumerate(pairs):
        expected, expected_swapped = compare(records[a], records[b])
        got = tuple(int(field[k]) for field in levels)
        assert got == expected, (records[a], records[b])
        assert bool(swapped[k]) == expected_swapped, (records[a], records[b])
        assert weights[k] == model.score(records[a], records[b])[0]
        seen_levels.update(enumerate(expected))
        assert bool(conflict[k]) == names_conflict(expected)
    # Every level of every field occurred, missing ones included.
    assert seen_levels == {
        (field, level) for field, count in enumerate((5, 3, 5, 2, 2, 3, 2)) for level in
        range(-1, count)
    }  # fmt: skip
    assert swapped.any()


@pytest.mark.parametrize("source", ["none", "one", "edge cases", "3,000 people"])
def test_blocking_makes_the_same_pairs(source):
    records = {
        "none": [],
        "one": [clean_record(EDGE_CASES[0])],
        "edge cases": [clean_record(r) for r in EDGE_CASES],
        "3,000 people": [clean_record(raw_record(r)) for r in make_labelled_set(3_000, seed=22)],
    }[source]
    n = len(records)
    expected = sorted(code for code in candidate_pair_codes(records) if code // n != code % n)
    got = np.concatenate(arrays.candidate_buckets(arrays.columns(records))).tolist()
    assert got == expected


def test_blocks_over_the_cap_are_skipped_and_undated_keys_pair_only_the_undated():
    # 5 records share the name keys; with a cap of 4 only the date keys pair them.
    records = [clean_record(raw("John", "Smith", dob)) for dob in ("", "", "1980-01-02")] + [
        clean_record(raw("Jonathan", "Smith", dob)) for dob in ("", "1991-07-08")
    ]
    n = len(records)
    for cap in (2, 3, 4, 5, 400):
        expected = sorted(candidate_pair_codes(records, max_block=cap))
        got = np.concatenate(
            arrays.candidate_buckets(arrays.columns(records), max_block=cap)
        ).tolist()
        assert got == expected, cap
    assert (0 * n + 1) in got


def test_links_and_clusters_are_those_of_the_pair_by_pair_scoring(records, model):
    table = arrays.columns(records)
    buckets = arrays.candidate_buckets(table)
    codes = np.concatenate(buckets).tolist()
    first, second, weight, identified = arrays.score_buckets(
        table, arrays.weights(table, model), buckets, threshold=0.9
    )
    links = score_pairs(records, model, codes, threshold=0.9)
    assert sorted(zip(first.tolist(), second.tolist(), strict=True)) == sorted(
        (i, j) for i, j, _ in links
    )
    assert len(links) > 500
    expected = connected_components(len(records), ((i, j) for i, j, _ in links))
    assert arrays.clusters(len(records), first, second).tolist() == expected
    # Clusters kept apart by dates of birth: the same links joined in the same order.
    weight_of = {(i, j): model.score(records[i], records[j])[0] for i, j, _ in links}
    pairs = list(zip(first.tolist(), second.tolist(), strict=True))
    assert weight.tolist() == [weight_of[pair] for pair in pairs]
    assert identified.tolist() == [
        bool(records[a].nhs_number and records[a].nhs_number == records[b].nhs_number)
        or bool(records[a].pnc and records[a].pnc == records[b].pnc)
        for a, b in pairs
    ]
    ordered = sorted(sorted(weight_of), key=lambda pair: -weight_of[pair])
    apart = clusters_apart(
        len(records),
        [a for a, _ in ordered],
        [b for _, b in ordered],
        [identified[pairs.index(pair)] for pair in ordered],
        [r.dob.year if r.dob else -1 for r in records],
    )
    got = arrays.clusters_apart(table, arrays.Links(first, second, weight, identified))
    assert got.tolist() == apart
    assert apart != expected  # the rule keeps some cluster of this set apart


def test_clusters_apart_never_join_dates_of_birth_more_than_five_years_apart():
    # A father (0) and son (1), an undated record of their name (2), linked to both; a
    # record (3) of the son with a year one off; and a record (4) with the father's NHS number.
    years = [1960, 1990, -1, 1991, 1975]
    first, second = [2, 2, 1, 4], [1, 0, 3, 0]
    assert clusters_apart(5, first, second, [False] * 4, years) == [0, 1, 1, 1, 4]
    assert clusters_apart(5, first, second, [False, False, False, True], years) == [
        0, 1, 1, 1, 0,
    ]  # fmt: skip
    # Joined by an NHS number or PNC ID, the dates do not keep them apart; a later link by
    # the score alone then cannot add a record more than five years from one of them.
    assert clusters_apart(5, first, second, [False, True, False, False], years) == [
        0, 0, 0, 3, 4,
    ]  # fmt: skip


def test_clusters_are_numbered_by_their_lowest_record():
    rng = random.Random(5)
    for count in (1, 7, 300):
        edges = [tuple(rng.sample(range(count), 2)) for _ in range(count // 2)] if count > 1 else []
        first = np.asarray([min(e) for e in edges], dtype=np.int64)
        second = np.asarray([max(e) for e in edges], dtype=np.int64)
        assert arrays.clusters(count, first, second).tolist() == connected_components(count, edges)
    chain = list(itertools.pairwise(range(50, -1, -1)))
    first = np.asarray([b for _, b in chain], dtype=np.int64)
    second = np.asarray([a for a, _ in chain], dtype=np.int64)
    assert set(arrays.clusters(51, first, second).tolist()) == {0}
