"""`manage.py link_records` measured as a user runs it, on a labelled synthetic file.

    .venv/bin/python benchmarks/link_records.py --people 100000 1000000 [--seed 1] [--threshold 0.9]

For each size: writes the labelled set (healthjustice/demo/matching_records.py, seeded, its
corruption rates documented there) as RECORDS.csv in the command's input format, runs the
command in a child process (wall time and peak memory of the child and its own children, as
the operating system counts them), reads CLUSTERS.csv back and prints pairwise precision,
recall and F1 after clustering, overall and by corruption type, beside two references measured
in the same run on the same file:
- the floor: one pass reading the CSV into a dictionary by record_id in this process, the least
  any linker of this file must spend;
- the baseline: exact matching on NHS number, given and family name and date of birth.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from matching import exact_baseline, print_quality, true_pairs  # noqa: E402

from healthjustice.demo.matching_records import make_labelled_set, write_csv  # noqa: E402

TARGET_F1, TARGET_SECONDS, TARGET_GIB = 0.97, 91.0, 4.0


def floor_seconds(path: Path) -> float:
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = {row[0]: row for row in reader}
    seconds = time.perf_counter() - started
    del rows
    return seconds


def run_command(source: Path, target: Path, threshold: float) -> tuple[float, float, str]:
    """Wall seconds, peak MiB of the command's process tree, and what it printed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "healthjustice.config.settings.local"}
    command = [
        sys.executable, str(ROOT / "manage.py"), "link_records", "--in", str(source),
        "--out", str(target), "--threshold", str(threshold),
    ]  # fmt: skip
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
    output, _ = child.communicate()
    seconds = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"link_records failed ({child.returncode}):\n{output}")
    # The largest resident size of any process this one has waited for: the command (so a run
    # of this script with one size measures one command; with several, the largest so far).
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mib, output


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="link_records_") as folder:
        for people in args.people:
            records = make_labelled_set(people, args.seed)
            source, target = Path(folder, "records.csv"), Path(folder, "clusters.csv")
            write_csv(records, source)
            truth = true_pairs(records)
            floor = floor_seconds(source)
            started = time.perf_counter()
            baseline = exact_baseline(records)
            baseline_seconds = time.perf_counter() - started
            seconds, peak_mib, output = run_command(source, target, args.threshold)
            index = {r.record_id: i for i, r in enumerate(records)}
            clusters = [0] * len(records)
            ids: dict[str, int] = {}
            with target.open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                next(reader)
                written = 0
                for record_id, cluster_id in reader:
                    clusters[index[record_id]] = ids.setdefault(cluster_id, len(ids))
                    written += 1
            assert written == len(records), "every input record is in CLUSTERS.csv"

            print(
                f"\n{people:,} people, {len(records):,} records, {len(truth):,} same-person "
                f"pairs (seed {args.seed})"
            )
            print("  the command printed:")
            print("".join(f"    {line}\n" for line in output.splitlines()), end="")
            print(f"{'':<36}{'seconds':>9}{'floor s':>9}{'target':>9}")
            print(f"{'link_records, whole command':<36}{seconds:>9.1f}{floor:>9.1f}"
                  f"{TARGET_SECONDS:>9.0f}")  # fmt: skip
            print(f"{'exact baseline (in process)':<36}{baseline_seconds:>9.1f}{floor:>9.1f}")
            print(f"  peak memory of the command: {peak_mib / 1024:.2f} GiB "
                  f"(target {TARGET_GIB:.0f} GiB)")  # fmt: skip
            print_quality(records, truth, {"link_records": clusters}, baseline)
            print(f"  target F1 >= {TARGET_F1}")


if __name__ == "__main__":
    main()
