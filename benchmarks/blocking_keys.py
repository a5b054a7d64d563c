"""What each kind of blocking key contributes, on the labelled synthetic set.

    .venv/bin/python benchmarks/blocking_keys.py --people 50000 [--seed 1]

For each kind of key (the first letter of the keys `healthjustice.matching.scoring.blocking_keys`
gives), the candidate pairs it makes, the same-person pairs among them, and the same-person
pairs no other kind finds: a key that makes many pairs and finds little alone costs scoring
time for nothing. Keys in `UNDATED_ONLY` are counted as the matcher uses them (pairs with a
record lacking a date of birth). No database is used.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching import raw, true_pairs

from healthjustice.demo.matching_records import make_labelled_set
from healthjustice.matching.cleaning import clean_record
from healthjustice.matching.scoring import (
    UNDATED_ONLY,
    blocking_keys,
    candidate_pair_codes,
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    labelled = make_labelled_set(args.people, args.seed)
    records = [clean_record(raw(r)) for r in labelled]
    n = len(records)
    truth = {a * n + b for a, b in true_pairs(labelled)}
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        for key in blocking_keys(record):
            blocks[key].append(index)
    by_kind: dict[str, set[int]] = defaultdict(set)
    for key, members in blocks.items():
        if not 2 <= len(members) <= 400:
            continue
        found = by_kind[key[0]]
        for x, first in enumerate(members):
            for second in members[x + 1 :]:
                if key[0] in UNDATED_ONLY and records[first].dob and records[second].dob:
                    continue
                found.add(min(first, second) * n + max(first, second))
    started = time.perf_counter()
    every = candidate_pair_codes(records)
    seconds = time.perf_counter() - started
    print(
        f"{args.people:,} people, {n:,} records, {len(truth):,} same-person pairs; blocking "
        f"makes {len(every):,} pairs in {seconds:.1f} s and meets {len(every & truth):,} of them"
    )
    print(f"{'key':<5}{'pairs':>12}{'same person':>13}{'found only here':>17}")
    for kind in sorted(by_kind):
        others: set[int] = set().union(*(v for k, v in by_kind.items() if k != kind))
        pairs = by_kind[kind]
        print(
            f"{kind:<5}{len(pairs):>12,}{len(pairs & truth):>13,}"
            f"{len((pairs - others) & truth):>17,}"
        )


if __name__ == "__main__":
    main()
