"""Pairwise quality and time of the identity matcher on a labelled synthetic set.

    .venv/bin/python benchmarks/matching.py --people 10000 100000 [--seed 1] [--train-people 5000]
        [--threshold 0.9]

For each size: generates the people and their records (healthjustice/demo/matching_records.py,
seeded), cleans them, estimates m and u on a separate training set (another seed: m from its
labelled same-person pairs, u from random pairs), then blocks, scores and clusters. It prints
pairwise precision, recall and F1 after clustering, blocking recall (true pairs that met in a
block), recall by corruption type, and the time of each phase beside its floor measured in the
same run: one pass over the records building a dictionary (the exact-match baseline's own cost).
The baseline, on the same records: records are the same person when NHS number, given and
family name and date of birth are all present and equal after normalising. No database is used.
See benchmarks/README.md and docs/matching.md.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from healthjustice.demo.matching_records import LabelledRecord, make_labelled_set
from healthjustice.matching.cleaning import CleanRecord, RawRecord, clean_record
from healthjustice.matching.scoring import Model, candidate_pairs, estimate_model, link
from healthjustice.people.names import normalise


def raw(r: LabelledRecord) -> RawRecord:
    return RawRecord(
        r.record_id,
        r.given_name,
        r.family_name,
        r.dob,
        r.sex,
        r.nhs_number,
        r.pnc_id,
        r.postcode,
        r.source,
    )


def true_pairs(records: Sequence[LabelledRecord]) -> list[tuple[int, int]]:
    by_person: dict[int, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        by_person[record.person_id].append(index)
    return [
        (a, b)
        for members in by_person.values()
        for x, a in enumerate(members)
        for b in members[x + 1 :]
    ]


def pairwise(
    records: Sequence[LabelledRecord], clusters: Sequence[int], truth: int
) -> tuple[float, float, float]:
    """Precision, recall and F1 over pairs of records put in one cluster."""
    predicted = sum(c * (c - 1) // 2 for c in Counter(clusters).values())
    both = Counter((clusters[i], records[i].person_id) for i in range(len(records)))
    correct = sum(c * (c - 1) // 2 for c in both.values())
    precision = correct / predicted if predicted else 1.0
    recall = correct / truth if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def print_quality(
    records: Sequence[LabelledRecord],
    truth: Sequence[tuple[int, int]],
    methods: dict[str, Sequence[int]],
    baseline: Sequence[int],
) -> None:
    """Precision, recall and F1 of each method's clusters beside the exact baseline, then the
    recall of same-person pairs by the corruption either record carries."""
    every = {"exact NHS no., name, DOB (baseline)": baseline, **methods}
    print(f"{'method':<36}{'precision':>10}{'recall':>9}{'F1':>9}")
    for name, clusters in every.items():
        p, r, f = pairwise(records, clusters, len(truth))
        print(f"{name:<36}{p:>10.4f}{r:>9.4f}{f:>9.4f}")
    total: Counter[str] = Counter()
    found: dict[str, Counter[str]] = {name: Counter() for name in every}
    for a, b in truth:
        for kind in set(records[a].corruptions) | set(records[b].corruptions):
            total[kind] += 1
            for name, clusters in every.items():
                found[name][kind] += clusters[a] == clusters[b]
    print("  recall of same-person pairs where either record has the corruption:")
    names = [*methods, "exact NHS no., name, DOB (baseline)"]
    heads = "".join(f"{n if n in methods else 'baseline':>14}" for n in names)
    print(f"  {'corruption':<26}{'pairs':>10}{heads}")
    for kind in sorted(total):
        print(
            f"  {kind:<26}{total[kind]:>10,}"
            + "".join(f"{found[n][kind] / total[kind]:>14.3f}" for n in names)
        )


def exact_baseline(records: Sequence[LabelledRecord]) -> list[int]:
    """Same NHS number, given and family name and date of birth, all present."""
    clusters: list[int] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for index, r in enumerate(records):
        key = (
            r.nhs_number.replace(" ", ""),
            normalise(r.given_name),
            normalise(r.family_name),
            r.dob,
        )
        if all(key):
            clusters.append(seen.setdefault(key, index))
        else:
            clusters.append(index)
    return clusters


def train(people: int, seed: int) -> Model:
    records = make_labelled_set(people, seed)
    clean = [clean_record(raw(r)) for r in records]
    return estimate_model(clean, true_pairs(records), seed=seed)


def run(people: int, seed: int, model: Model, threshold: float) -> None:
    started = time.perf_counter()
    records = make_labelled_set(people, seed)
    generate = time.perf_counter() - started
    truth = true_pairs(records)

    started = time.perf_counter()
    baseline_clusters = exact_baseline(records)
    floor = time.perf_counter() - started

    started = time.perf_counter()
    clean: list[CleanRecord] = [clean_record(raw(r)) for r in records]
    cleaning = time.perf_counter() - started

    started = time.perf_counter()
    blocked = candidate_pairs(clean)
    blocking = time.perf_counter() - started
    blocking_recall = sum(pair in blocked for pair in truth) / len(truth)
    del blocked

    started = time.perf_counter()
    linkage = link(clean, model, threshold=threshold)
    linking = time.perf_counter() - started

    print(
        f"\n{people:,} people, {len(records):,} records, "
        f"{len(truth):,} same-person pairs (seed {seed})"
    )
    print(f"  generating the set: {generate:.1f} s (not part of linking)")
    print(f"{'phase':<34}{'s':>8}{'floor s':>9}")
    print(f"{'cleaning':<34}{cleaning:>8.2f}{floor:>9.2f}")
    print(f"{'blocking (pairs only)':<34}{blocking:>8.2f}{floor:>9.2f}")
    print(f"{'block, score, cluster':<34}{linking:>8.2f}{floor:>9.2f}")
    print(f"{'total (cleaning + linking)':<34}{cleaning + linking:>8.2f}{floor:>9.2f}")
    print(
        f"  pairs scored {linkage.pairs_scored:,}; "
        f"links at p >= {threshold} {len(linkage.links):,}; "
        f"clusters {len(set(linkage.clusters)):,}; blocking recall {blocking_recall:.4f}"
    )
    print_quality(records, truth, {"matcher": linkage.clusters}, baseline_clusters)
    mistaken = Counter()
    for i, j, _ in linkage.links:
        if records[i].person_id != records[j].person_id:
            a, b = records[i], records[j]
            same_name = normalise(a.given_name + a.family_name) == normalise(
                b.given_name + b.family_name
            )
            mistaken["same written name" if same_name else "different written name"] += 1
    print(f"  links between different people: {dict(mistaken)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, nargs="+", default=[10_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--train-people", type=int, default=5_000)
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    started = time.perf_counter()
    model = train(args.train_people, args.seed + 1000)
    print(
        f"m and u estimated on {args.train_people:,} other people (seed {args.seed + 1000}) in "
        f"{time.perf_counter() - started:.1f} s; threshold p >= {args.threshold}"
    )
    for size in args.people:
        run(size, args.seed, model, args.threshold)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of the process: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
