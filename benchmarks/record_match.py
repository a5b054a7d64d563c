"""One record at a time scored against a large register, beside its floor.

    DJANGO_SETTINGS_MODULE=healthjustice.config.settings.local \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hj_bench \\
        .venv/bin/python benchmarks/record_match.py [--records 200] [--seed 7] \\
        [--min-people 100000]

The database must already hold the people (`manage.py seed_synthetic`, docs/performance.md).

It makes records as `benchmarks/list_import.py` makes a custody list's rows (half people the
register holds, written with the slips real lists carry: capitals, "Family, Given",
nicknames, day and month swapped, short or missing PNC IDs, missing NHS numbers and dates of
birth; half new people), read and checked as an import reads them but not saved, and scores
each one on its own against the register for a practitioner of the team with the most people
(`imports.selectors.row_match`, the matcher a list's page uses for a row: identifiers, names
and dates of birth, the candidates' details, the scoring, and who may see them). Each
record's time is beside its floor: the same SQL the match sent, replayed raw on the same
connection right after it. The same records are then checked as a person being registered with
those details (`matching.registration.likely_duplicates`, the check the registration page
makes: the same lookup, who may see the people found, the records of those shown). It prints
the 50th and 95th percentiles of each and its floor, the queries a record, and the load
average before and after (the machine is shared: read the times against the floor).

Nothing is written, except the benchmark account (`bench.records`, no usable password) made
once and kept.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.local")

import django  # noqa: E402
from list_import import build_list, csv_bytes, custody_suite  # noqa: E402
from support import bench_practitioner, p95, people_or_none  # noqa: E402

BENCH_USERNAME = "bench.records"
TARGET_MS = 100
# What the matcher reads of a list's row.
MATCHED_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "pnc_id",
    "nhs_number",
    "prison_number",
    "postcode",
    "no_fixed_abode",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--min-people", type=int, default=100_000, help="stop if the register holds fewer"
    )
    args = parser.parse_args(argv)
    django.setup()
    from django.db import connection

    from healthjustice.imports.choices import ListKind
    from healthjustice.imports.models import ListRow
    from healthjustice.imports.selectors import row_match
    from healthjustice.imports.services import read_list
    from healthjustice.matching.registration import likely_duplicates
    from healthjustice.people.duplicates import NewPerson

    people = people_or_none(args.min_people)
    if people is None:
        return 2
    user, team = bench_practitioner(BENCH_USERNAME, "Records")
    suite = custody_suite(team)
    planned = build_list(args.records, 0.5, 0.0, args.seed, suite.name)
    read = read_list(ListKind.CUSTODY, team, csv_bytes(planned))
    rows = [
        ListRow(team=team, kind=ListKind.CUSTODY, **{f: getattr(r, f) for f in MATCHED_FIELDS})
        for r in read.rows
    ]

    sent: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))
        return execute(sql, params, many, context)

    # The same records as a person being registered with those details (no list, no team).
    registering = [
        NewPerson(
            r.given_name,
            r.family_name,
            r.date_of_birth,
            r.nhs_number,
            r.pnc_id,
            r.prison_number,
            r.postcode,
            r.no_fixed_abode,
        )
        for r in rows
    ]

    def timed(
        check: Any, records: list[Any]
    ) -> tuple[list[float], list[float], list[int], list[Any]]:
        """Each record checked on its own, beside the same SQL replayed raw."""
        check(user, records[0])  # the model, the nickname table and the connection, once
        times: list[float] = []
        floors: list[float] = []
        queries: list[int] = []
        results: list[Any] = []
        for record in records:
            sent.clear()
            with connection.execute_wrapper(capture):
                started = time.perf_counter()
                results.append(check(user, record))
                times.append((time.perf_counter() - started) * 1000)
            queries.append(len(sent))
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for sql, params in sent:
                    cursor.execute(sql, params)
                    cursor.fetchall()
            floors.append((time.perf_counter() - started) * 1000)
        return times, floors, queries, results

    load_before = os.getloadavg()
    times, floors, queries, matches = timed(row_match, rows)
    reg_times, reg_floors, reg_queries, checks = timed(likely_duplicates, registering)
    load_after = os.getloadavg()
    states: dict[str, int] = {}
    for match in matches:
        states[match.state] = states.get(match.state, 0) + 1

    version = ".".join(str(n) for n in connection.get_database_version())
    print(
        f"One record scored against the register ({connection.vendor} {version}, "
        f"{people:,} people), practitioner of {team.name}; load average before / after "
        f"{' '.join(f'{x:.2f}' for x in load_before)} / "
        f"{' '.join(f'{x:.2f}' for x in load_after)}"
    )
    print(
        f"records: {len(rows):,} (seed {args.seed}): "
        + ", ".join(f"{state} {count}" for state, count in sorted(states.items()))
    )
    shown = sum(1 for check in checks if check.shown)
    hidden = sum(1 for check in checks if check.hidden)
    print(f"registering the same records: {shown} with a likely match shown, {hidden} counted")
    print(f"{'':34}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
    for label, values, sent_ in (
        ("a list's row (row_match)", times, queries),
        ("  floor: its SQL replayed", floors, queries),
        ("registering (likely_duplicates)", reg_times, reg_queries),
        ("  floor: its SQL replayed", reg_floors, reg_queries),
    ):
        print(
            f"{label:34}{statistics.median(values):9.1f}{p95(values):9.1f}"
            f"{statistics.median(sent_):9.0f}"
        )
    worst = max(p95(times), p95(reg_times))
    print(
        f"p95 / floor p95: {p95(times) / p95(floors):.1f} (row), "
        f"{p95(reg_times) / p95(reg_floors):.1f} (registering); target p95 {TARGET_MS} ms: "
        f"{'met' if worst <= TARGET_MS else 'not met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
