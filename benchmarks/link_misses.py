"""Where `link_records` loses recall: the same-person pairs it leaves in different clusters.

    .venv/bin/python benchmarks/link_misses.py --people 100000 [--seed 1] [--threshold 0.9]

Runs the command's own steps in this process (clean, fit the model, columns, block, score,
cluster: `healthjustice.matching.linkage` without reading or writing a file) on the labelled set
(healthjustice/demo/matching_records.py) and, for every same-person pair not in one cluster,
says whether blocking never made it a candidate or it was scored and not linked (below the
threshold, or its names conflict), broken down by the corruptions either record carries and by
which fields both records have (date of birth, NHS number, PNC ID, postcode: the fields besides
the names that could tell the pair from namesakes).

It also counts the same-person pairs no method could tell from namesakes: both records have no
date of birth, NHS number, PNC ID or postcode in common presence (one side or the other lacks
each), so only the names (and sex) can be compared, and the cleaned given and family name of
one of the two is carried by a record of another person in the set. Linking such pairs on the
name would link those namesakes as well. F1 is printed over all pairs (the figure that counts)
and over the decidable pairs only, with those pairs left out of both sides.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching import true_pairs

from healthjustice.demo.matching_records import make_labelled_set, raw_record
from healthjustice.matching.arrays import (
    Comparer,
    candidate_buckets,
    clusters_apart,
    columns,
    match_weights,
    names_conflict,
    score_buckets,
    weights,
)
from healthjustice.matching.cleaning import clean_records
from healthjustice.matching.model_store import fitted_to, load_model

OTHER_FIELDS = ("dob", "nhs", "pnc", "postcode")


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--show", type=int, default=0, help="print this many missed pairs")
    args = parser.parse_args()
    gc.disable()
    labelled = make_labelled_set(args.people, args.seed)
    records = clean_records([raw_record(r) for r in labelled])
    n = len(records)
    model = fitted_to(records, load_model())
    table = columns(records)
    weighed = weights(table, model)
    buckets = candidate_buckets(table)
    links = score_buckets(table, weighed, buckets, threshold=args.threshold)
    first = links.first
    cluster = clusters_apart(table, links)
    person = np.asarray([r.person_id for r in labelled], dtype=np.int64)

    truth = np.asarray(true_pairs(labelled), dtype=np.int64).reshape(-1, 2)
    ti, tj = truth[:, 0], truth[:, 1]
    candidates = np.concatenate(buckets)
    is_candidate = np.isin(ti * n + tj, candidates)
    found = cluster[ti] == cluster[tj]

    # Which of the fields besides the names both records of each pair have.
    c = table
    has = {
        "dob": (c.dob[ti] >= 0) & (c.dob[tj] >= 0),
        "nhs": (c.nhs_number[ti] != 0) & (c.nhs_number[tj] != 0),
        "pnc": (c.pnc[ti] != 0) & (c.pnc[tj] != 0),
        "postcode": (c.postcode[ti] != 0) & (c.postcode[tj] != 0),
    }
    names_only = ~(has["dob"] | has["nhs"] | has["pnc"] | has["postcode"])
    # A cleaned full name carried by records of more than one person.
    people_of: dict[tuple[str, str], set[int]] = defaultdict(set)
    for r, p in zip(records, person.tolist(), strict=True):
        if r.given and r.family:
            people_of[(r.given, r.family)].add(p)
    shared = np.asarray(
        [
            len(people_of.get((r.given, r.family), ())) > 1 if r.given and r.family else True
            for r in records
        ],
        dtype=np.bool_,
    )
    undecidable = names_only & (shared[ti] | shared[tj])
    # Broader: nothing but the name agrees (the postcodes, if both have one, are in different
    # districts: a move, or namesakes at two addresses).
    apart = c.outward[ti] != c.outward[tj]
    name_alone = ~(has["dob"] | has["nhs"] | has["pnc"]) & (~has["postcode"] | apart)
    only_name = name_alone & (shared[ti] | shared[tj])

    # Pairwise precision and recall after clustering, over all pairs and over decidable ones.
    predicted = sum(k * (k - 1) // 2 for k in Counter(cluster.tolist()).values())
    correct = int(found.sum())
    print(
        f"{args.people:,} people, {n:,} records, {len(ti):,} same-person pairs (seed "
        f"{args.seed}), threshold {args.threshold}; {len(candidates):,} pairs scored, "
        f"{len(first):,} links"
    )
    print(f"{'':<44}{'pairs':>10}{'precision':>11}{'recall':>9}{'F1':>9}")
    for label, left_out in (
        ("all same-person pairs", np.zeros(len(ti), dtype=np.bool_)),
        ("without those with only a shared name", undecidable),
        ("without those agreeing on a shared name alone", only_name),
    ):
        lost = int((left_out & found).sum())
        kept = len(ti) - int(left_out.sum())
        precision = (correct - lost) / (predicted - lost)
        recall = (correct - lost) / kept
        print(
            f"{label:<44}{kept:>10,}{precision:>11.4f}{recall:>9.4f}{f1(precision, recall):>9.4f}"
        )
    print(
        f"  only a shared name: {int(undecidable.sum()):,} pairs with no date of birth, NHS "
        f"number, PNC ID or postcode on both records, whose name another person carries "
        f"({int((undecidable & found).sum()):,} of them linked all the same; "
        f"{int(names_only.sum()):,} pairs have only names to compare, whoever else carries "
        f"them)\n  a shared name alone: {int(only_name.sum()):,} pairs as those, or whose "
        f"postcodes are in different districts and have nothing else on both "
        f"({int((only_name & found).sum()):,} linked)"
    )

    missed = np.flatnonzero(~found)
    mi, mj = ti[missed], tj[missed]
    never = ~is_candidate[missed]
    levels, _ = Comparer(table).levels(mi, mj)
    weight = match_weights(weighed, mi, levels)
    cut = float(np.log2(args.threshold / (1 - args.threshold)))
    conflict = names_conflict(levels)
    # A pair scored above the threshold is linked unless its names conflict; one found neither
    # way is in another cluster because the dates of birth of the two clusters are too far
    # apart (`clusters_apart`).
    below = ~never & (weight < cut)
    conflicted = ~never & ~below & conflict
    print(
        f"\nmissed same-person pairs: {len(missed):,} ({len(missed) / len(ti):.1%} of all): "
        f"never candidates {int(never.sum()):,}; scored below the threshold "
        f"{int(below.sum()):,}; above it but names conflict {int(conflicted.sum()):,}; "
        f"linked but kept apart by the dates of birth in their clusters "
        f"{int((~never & ~below & ~conflict).sum()):,}; "
        f"undecidable {int(undecidable[missed].sum()):,}"
    )

    def row(label: str, mask: np.ndarray, width: int = 30) -> str:
        m = mask[missed]
        return (
            f"  {label:<{width}}{int(mask.sum()):>9,}{int(m.sum()):>9,}"
            f"{int((m & never).sum()):>9,}{int((m & below).sum()):>9,}"
            f"{int((m & conflicted).sum()):>9,}{int((m & undecidable[missed]).sum()):>9,}"
        )

    heads = f"{'pairs':>9}{'missed':>9}{'blocking':>9}{'below':>9}{'conflict':>9}{'undecid.':>9}"
    print(f"\nby the fields both records have (besides the names):\n  {'fields':<30}{heads}")
    signature = np.zeros(len(ti), dtype=np.int64)
    for bit, fieldname in enumerate(OTHER_FIELDS):
        signature |= has[fieldname].astype(np.int64) << bit
    counts = Counter(signature[missed].tolist())
    for code, _ in counts.most_common():
        label = "+".join(f for bit, f in enumerate(OTHER_FIELDS) if code >> bit & 1) or "names only"
        print(row(label, signature == code))

    print(f"\nby the corruption either record carries:\n  {'corruption':<30}{heads}")
    kinds = sorted({k for r in labelled for k in r.corruptions})
    for kind in kinds:
        carries = np.asarray([kind in r.corruptions for r in labelled], dtype=np.bool_)
        print(row(kind, carries[ti] | carries[tj]))
    clean_pair = np.asarray([not r.corruptions for r in labelled], dtype=np.bool_)
    print(row("(neither record corrupted)", clean_pair[ti] & clean_pair[tj]))

    if never.any():
        would = never & (weight >= cut) & ~conflict
        print(
            f"\nof the {int(never.sum()):,} never candidates, {int(would.sum()):,} would be "
            "linked if they were scored"
        )
    print("\nmissed pairs that were scored, by comparison levels (given family dob nhs pnc "
          "postcode sex; -1 missing):")  # fmt: skip
    scored = np.flatnonzero(~never)
    shapes = Counter(tuple(int(level[k]) for level in levels) for k in scored.tolist())
    for shape, count in shapes.most_common(15):
        print(f"  {shape!s:<34}{count:>8,}")

    # Calibration of name-only agreement: candidate pairs whose names agree exactly and which
    # have nothing else in common, by how many records carry the name, and how many are the
    # same person beside the probability the model gives them.
    ci, cj = candidates // n, candidates % n
    alone = (
        (c.given[ci] == c.given[cj])
        & (c.family[ci] == c.family[cj])
        & (c.given[ci] != 0)
        & (c.family[ci] != 0)
        & ((c.dob[ci] < 0) | (c.dob[cj] < 0))
        & ((c.nhs_number[ci] == 0) | (c.nhs_number[cj] == 0))
        & ((c.pnc[ci] == 0) | (c.pnc[cj] == 0))
        & ((c.postcode[ci] == 0) | (c.postcode[cj] == 0))
    )
    ai, aj = ci[alone], cj[alone]
    name_code = c.given.astype(np.int64) * len(c.names) + c.family
    _, inverse, name_counts = np.unique(name_code, return_inverse=True, return_counts=True)
    carried = name_counts[inverse][ai]
    same = person[ai] == person[aj]
    alone_levels, _ = Comparer(table).levels(ai, aj)
    alone_p = 1 / (1 + 2.0 ** -match_weights(weighed, ai, alone_levels))
    print(
        "\ncandidate pairs with the same given and family name and nothing else to compare, by "
        "the records carrying the name:"
    )
    print(f"  {'records':>8}{'pairs':>9}{'same person':>13}{'mean p':>9}")
    for low, high in ((2, 2), (3, 3), (4, 4), (5, 6), (7, 10), (11, 10**9)):
        m = (carried >= low) & (carried <= high)
        if m.any():
            label = str(low) if low == high else f"{low}+" if high > 10**6 else f"{low}-{high}"
            print(f"  {label:>8}{int(m.sum()):>9,}{same[m].mean():>13.3f}{alone_p[m].mean():>9.3f}")

    for k in range(min(args.show, len(missed))):
        a, b = labelled[int(mi[k])], labelled[int(mj[k])]
        status = "never a candidate" if never[k] else f"weight {weight[k]:.1f}"
        print(f"\n  {status}; levels {[int(level[k]) for level in levels]}")
        for r in (a, b):
            print(
                f"    {r.given_name!r} {r.family_name!r} {r.dob!r} {r.sex!r} {r.nhs_number!r} "
                f"{r.pnc_id!r} {r.postcode!r} {r.source} {r.corruptions}"
            )


if __name__ == "__main__":
    main()
