"""A 10,000-row custody list imported and matched against a large register, beside its floor.

    DJANGO_SETTINGS_MODULE=healthjustice.config.settings.local \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hj_bench \\
        .venv/bin/python benchmarks/list_import.py [--rows 10000] [--known-share 0.5] \\
        [--refused-share 0.01] [--seed 7] [--min-people 100000] [--profile 0] [--phases] \\
        [--explain 0]

The database must already hold the people (`manage.py seed_synthetic`, docs/performance.md);
with fewer than --min-people the script says so and stops. It runs `VACUUM ANALYZE` first, as
autovacuum does on a database in use (a database just loaded has no visibility map, and the
search names' covering indexes are then not read alone).

It builds a custody list CSV in the documented format (docs/imports.md): a seeded mix of people
read from the register, written with the slips real lists carry (the name in capitals or as
"Family, Given", a nickname from the people app's table, day and month swapped, the PNC ID in
its short form or left out, the NHS number left out, no date of birth), and new people from
Faker en_GB with synthetic NHS numbers and PNC IDs (`healthjustice.demo.matching_records`), with
a share of rows whose PNC ID has a wrong check letter (refused). It imports the file through
`imports.services.list_import`, the service the upload page and `manage.py import_list` use, as
a practitioner of the team with the most people (account `bench.lists`, no usable password, made
once and kept), so every row is matched for that practitioner as the service does.

It prints the rows, how many were matched to a person the practitioner may see, known to the
service but not visible, new, and refused; how many rows from the register were matched to the
right record (known, or a possible match showing it) and how many new people were shown as
known to the team (none should be), as known to the service, or as possible matches; the wall time
and its split (reading and checking the file, matching the rows, and the rest: writing the rows
and the list's record, the audit event), measured by timing the service's own calls to
`read_list` and `match_rows`; the queries sent; and the floor, measured in the same run on the
same connection: one indexed SELECT per row finding a person by the row's PNC ID forms or NHS
number (by date of birth when it has neither).

Nothing the import writes is kept: it runs in a transaction that is rolled back at the end (the
list, its rows and its audit event), so the script can be run again on the same database. Only
the benchmark account and, if the team works at no custody suite, a custody suite for the team
("Load test custody suite") are kept.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import os
import pstats
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.local")

import django  # noqa: E402
from support import bench_practitioner, people_or_none, refresh_statistics  # noqa: E402

BENCH_USERNAME = "bench.lists"
SUITE_NAME = "Load test custody suite"
HEADER = [
    "custody_suite",
    "custody_record_number",
    "arrival_time",
    "name",
    "date_of_birth",
    "pnc_id",
    "offence_category",
    "nhs_number",
]

# The chance of each slip on a row of someone the register holds (docs/imports.md: names in
# capitals, "Family, Given", nicknames, day and month swapped, short PNC IDs).
SLIPS = {
    "capitals": 0.5,
    "family_first": 0.5,
    "nickname": 0.12,
    "day_month_swapped": 0.03,
    "dob_missing": 0.06,
    "pnc_missing": 0.3,
    "pnc_short_form": 0.5,
    "nhs_missing": 0.6,
}


@dataclass
class Planned:
    """A row of the file and what it should come to."""

    cells: list[str]
    person_id: int | None  # the register's record it was written from, or None for a new person
    refused: bool = False


def _swap_day_month(day: date) -> date:
    return date(day.year, day.day, day.month)


def _name(given: str, family: str, rng: random.Random) -> str:
    if rng.random() < SLIPS["capitals"]:
        given, family = given.upper(), family.upper()
    if rng.random() < SLIPS["family_first"]:
        return f"{family}, {given}"
    return f"{given} {family}"


def known_rows(count: int, rng: random.Random) -> list[tuple[int, str, str, Any, str, str]]:
    """`count` people read from the register, chosen by random ids."""
    from django.db.models import Max, Min

    from healthjustice.people.models import Person

    live = Person.objects.filter(merged_into__isnull=True)
    bounds = live.aggregate(low=Min("pk"), high=Max("pk"))
    fields = ("pk", "given_name", "family_name", "date_of_birth", "pnc_id", "nhs_number")
    found: dict[int, tuple[Any, ...]] = {}
    while len(found) < count:
        wanted = {rng.randint(bounds["low"], bounds["high"]) for _ in range(count - len(found))}
        for values in live.filter(pk__in=wanted).values_list(*fields):
            found[values[0]] = values
    return [found[pk] for pk in sorted(found)[:count]]


def build_list(
    rows: int, known_share: float, refused_share: float, seed: int, suite: str
) -> list[Planned]:
    from django.utils import timezone

    from healthjustice.demo.matching_records import _NICKNAMES, make_people
    from healthjustice.journeys.choices import OffenceCategory
    from healthjustice.people.models import Person

    rng = random.Random(seed)
    n_known = round(rows * known_share)
    planned: list[Planned] = []
    for pk, given, family, dob, pnc, nhs in known_rows(n_known, rng):
        if given.lower() in _NICKNAMES and rng.random() < SLIPS["nickname"]:
            given = rng.choice(_NICKNAMES[given.lower()]).title()
        if dob is not None:
            if dob.day <= 12 and dob.day != dob.month and rng.random() < SLIPS["day_month_swapped"]:
                dob = _swap_day_month(dob)
            elif rng.random() < SLIPS["dob_missing"]:
                dob = None
        if pnc and rng.random() < SLIPS["pnc_missing"]:
            pnc = ""
        elif len(pnc) == 13 and rng.random() < SLIPS["pnc_short_form"]:
            pnc = pnc[2:]
        if nhs and rng.random() < SLIPS["nhs_missing"]:
            nhs = ""
        cells = [_name(given, family, rng), dob.isoformat() if dob else "", pnc, nhs or ""]
        planned.append(Planned(cells, pk))

    new_people = make_people(rows - n_known, seed)
    # The synthetic ranges are shared with seed_synthetic: an identifier the register already
    # holds would make a new person someone else, so such identifiers are left out.
    held_nhs = set(
        Person.objects.filter(nhs_number__in=[p.nhs_number for p in new_people]).values_list(
            "nhs_number", flat=True
        )
    )
    held_pnc = set(
        Person.objects.filter(pnc_id__in=[p.pnc_id for p in new_people if p.pnc_id]).values_list(
            "pnc_id", flat=True
        )
    )
    for person in new_people:
        pnc = "" if person.pnc_id in held_pnc else person.pnc_id
        nhs = "" if person.nhs_number in held_nhs else person.nhs_number
        if pnc and rng.random() < SLIPS["pnc_short_form"]:
            pnc = pnc[2:]
        if nhs and rng.random() < SLIPS["nhs_missing"]:
            nhs = ""
        dob = person.dob if rng.random() >= SLIPS["dob_missing"] else None
        cells = [
            _name(person.given, person.family, rng),
            dob.isoformat() if dob else "",
            pnc,
            nhs,
        ]
        planned.append(Planned(cells, None))

    # Refused: a PNC ID whose check letter does not add up.
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    with_pnc = [p for p in planned if p.person_id is None and p.cells[2]]
    for p in rng.sample(with_pnc, min(len(with_pnc), round(rows * refused_share))):
        p.cells[2] = p.cells[2][:-1] + rng.choice(letters.replace(p.cells[2][-1], ""))
        p.refused = True

    rng.shuffle(planned)
    now = timezone.localtime()
    year = now.strftime("%y")
    offences = [*OffenceCategory.values, "", ""]
    out = []
    for n, p in enumerate(planned, start=1):
        arrived = now - timedelta(minutes=rng.randint(5, 24 * 60))
        name, dob_text, pnc, nhs = p.cells
        p.cells = [
            suite,
            f"LTC/{year}/{n:06d}",
            arrived.strftime("%Y-%m-%d %H:%M"),
            name,
            dob_text,
            pnc,
            rng.choice(offences),
            nhs,
        ]
        out.append(p)
    return out


def csv_bytes(planned: list[Planned]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(p.cells for p in planned)
    return buffer.getvalue().encode("utf-8")


def custody_suite(team: Any) -> Any:
    """A custody suite the team works at; one is made for it if it has none."""
    from healthjustice.organisations.choices import SiteKind
    from healthjustice.organisations.models import Site

    suite = Site.objects.filter(teams=team, kind=SiteKind.CUSTODY_SUITE, is_active=True).first()
    if suite is None:
        suite, _ = Site.objects.get_or_create(
            name=SUITE_NAME, kind=SiteKind.CUSTODY_SUITE, defaults={"region": team.region}
        )
        suite.teams.add(team)
    return suite


def floor_queries(planned: list[Planned]) -> list[tuple[str, list[Any]]]:
    """One indexed SELECT per valid row: by its PNC ID forms or NHS number, else its date of
    birth (the row's own values, as the file gives them)."""
    from django.db import connection

    from healthjustice.imports.selectors import pnc_forms
    from healthjustice.people.models import Person

    table = connection.ops.quote_name(Person._meta.db_table)  # a model's table, not input
    by_ids = (
        f"SELECT id FROM {table} WHERE (pnc_id IN (%s, %s, %s) OR nhs_number = %s) "  # noqa: S608
        "AND merged_into_id IS NULL LIMIT 5"
    )
    by_dob = (
        f"SELECT id FROM {table} WHERE date_of_birth = %s "  # noqa: S608
        "AND merged_into_id IS NULL LIMIT 5"
    )
    queries: list[tuple[str, list[Any]]] = []
    for p in planned:
        if p.refused:
            continue
        dob_text, pnc, nhs = p.cells[4], p.cells[5], p.cells[7]
        if pnc or nhs:
            forms = pnc_forms(pnc) if pnc else [None, None, None]
            queries.append((by_ids, [*forms, nhs or None]))
        elif dob_text:
            queries.append((by_dob, [date.fromisoformat(dob_text)]))
    return queries


# The matching's steps (`matching.lookup`; who may see whom in `imports.rowmatch`): candidates
# by identifier and by name (the blocking queries), reading the candidates' names and details,
# cleaning the rows and the candidates, scoring the pairs, and asking who may see the
# candidates.
PHASES = (
    "_found",
    "_candidate_records",
    "clean_records",
    "_verdicts",
    "who_sees",
    "register_size",
)


def _timed(function: Any, name: str, spent: dict[str, float]) -> Any:
    def timed(*a: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        try:
            return function(*a, **kw)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - t

    return timed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The import is rolled back at the end (nothing it writes is kept), so the script "
        "can be run again on the same database; it keeps only the account bench.lists and, if "
        "the team works at no custody suite, the suite it makes for it.",
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--known-share", type=float, default=0.5, help="rows from the register")
    parser.add_argument("--refused-share", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--min-people", type=int, default=100_000, help="stop if the register holds fewer"
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile the import, print top N"
    )
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="run the import's N slowest queries again under EXPLAIN (ANALYZE, BUFFERS)",
    )
    parser.add_argument(
        "--phases",
        action="store_true",
        help="time the matching's own steps (finding candidates, reading them, scoring, access)",
    )
    args = parser.parse_args(argv)
    django.setup()
    from django.db import connection, transaction

    from healthjustice.imports import selectors, services
    from healthjustice.imports.choices import ListKind, MatchState
    from healthjustice.imports.models import ListRow
    from healthjustice.organisations.choices import Pathway

    people = people_or_none(args.min_people)
    if people is None:
        return 2
    user, team = bench_practitioner(BENCH_USERNAME, "Lists")
    if team.pathway != Pathway.LIAISON_DIVERSION:
        print(f"{team.name} is not a Liaison and Diversion team: no custody list.", file=sys.stderr)
        return 2
    suite = custody_suite(team)
    refresh_statistics()

    load_before = os.getloadavg()
    started = time.perf_counter()
    planned = build_list(args.rows, args.known_share, args.refused_share, args.seed, suite.name)
    data = csv_bytes(planned)
    built = time.perf_counter() - started
    expected = {p.cells[1]: p for p in planned}

    # Time the service's own calls, without changing it.
    spent = {"read": 0.0, "match": 0.0}
    outcome: dict[str, tuple[str, set[int]]] = {}
    real_read, real_match = services.read_list, selectors.match_rows

    def timed_read(*a: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        try:
            return real_read(*a, **kw)
        finally:
            spent["read"] += time.perf_counter() - t

    def timed_match(actor: Any, rows: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        try:
            matches = real_match(actor, rows, **kw)
        finally:
            spent["match"] += time.perf_counter() - t
        for row, match in zip(rows, matches, strict=True):
            outcome[row.reference] = (match.state, set(match.person_ids))
        return matches

    queries = 0

    slowest: list[tuple[float, str, Any]] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if args.explain and sql.lstrip().upper().startswith(("SELECT", "WITH")):
                slowest.append((time.perf_counter() - started, sql, params))

    phases: dict[str, float] = {}
    if args.phases:
        from healthjustice.imports import rowmatch
        from healthjustice.matching import lookup

        for name in PHASES:
            module = rowmatch if name == "who_sees" else lookup
            setattr(module, name, _timed(getattr(module, name), name, phases))
    services.read_list, selectors.match_rows = timed_read, timed_match  # type: ignore[assignment]
    profiler = cProfile.Profile() if args.profile else None
    try:
        with transaction.atomic(), connection.execute_wrapper(count):
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            result = services.list_import(
                actor=user, team=team, kind=ListKind.CUSTODY, file_name="bench.csv", data=data
            )
            wall = time.perf_counter() - started
            if profiler:
                profiler.disable()
            assert result.imported_list is not None, "nothing was imported"
            states = dict.fromkeys(MatchState.values, 0)
            for state in ListRow.objects.filter(imported_list=result.imported_list).values_list(
                "match_state", flat=True
            ):
                states[state] += 1
            transaction.set_rollback(True)
    finally:
        services.read_list, selectors.match_rows = real_read, real_match  # type: ignore[assignment]

    floor_sql = floor_queries(planned)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in floor_sql:
            cursor.execute(sql, params)
            cursor.fetchall()
    floor = time.perf_counter() - started

    right = right_possible = wrong = missed = hidden_known = 0
    taken = taken_no_dob = new_possible = new_hidden = 0
    for reference, (state, found) in outcome.items():
        p = expected[reference]
        if p.person_id is None:
            taken += state == MatchState.KNOWN
            taken_no_dob += state == MatchState.KNOWN and not p.cells[4]
            new_possible += state == MatchState.POSSIBLE
            new_hidden += state == MatchState.HIDDEN
        elif p.person_id in found and state == MatchState.KNOWN:
            right += 1
        elif p.person_id in found:
            right_possible += 1
        elif state == MatchState.HIDDEN:
            hidden_known += 1
        elif state == MatchState.KNOWN:
            wrong += 1
        else:
            missed += 1
    new_rows_in_file = sum(p.person_id is None and not p.refused for p in planned)
    known_rows_in_file = sum(p.person_id is not None for p in planned)
    rest = wall - spent["read"] - spent["match"]
    rows = result.imported_list.rows_in_file
    version = ".".join(str(n) for n in connection.get_database_version())
    print(
        f"Custody list import ({connection.vendor} {version}, "
        f"{people:,} people), practitioner "
        f"of {team.name}, load average before / after "
        f"{' '.join(f'{x:.2f}' for x in load_before)} / "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"file: {rows:,} rows, {len(data) / 1024:.0f} KB, built in {built:.1f} s (seed {args.seed})"
    )
    print(
        f"rows: {rows:,}: known to the team {states[MatchState.KNOWN]:,}, known to the service "
        f"but not visible {states[MatchState.HIDDEN]:,}, possible match "
        f"{states[MatchState.POSSIBLE]:,}, new {states[MatchState.NEW]:,}, "
        f"refused {len(result.errors):,}"
    )
    print(
        f"rows written from the register: {known_rows_in_file:,}; known and matched to their "
        f"own record {right:,}, possible with their own record shown {right_possible:,}, known "
        f"as other records only {wrong:,}, counted as hidden {hidden_known:,}, possible or new "
        f"without their record {missed:,}"
    )
    print(
        f"new people: {new_rows_in_file:,}; shown as known to the team {taken:,} "
        f"({taken_no_dob:,} of them without a date of birth), as known to the service "
        f"{new_hidden:,}, as possible matches {new_possible:,} (register offered)"
    )
    print(f"{'':34}{'s':>8}{'ms/row':>9}")
    for label, seconds in (
        ("import, wall", wall),
        ("  reading and checking the file", spent["read"]),
        ("  matching (match_rows)", spent["match"]),
        ("  writing and the rest", rest),
        ("floor: one SELECT a row", floor),
    ):
        print(f"{label:34}{seconds:8.2f}{seconds * 1000 / rows:9.3f}")
    print(
        f"rows per second: {rows / wall:,.0f} (floor {len(floor_sql) / floor:,.0f}); "
        f"import / floor: {wall / floor:.1f}; queries: {queries:,} ({queries / rows:.1f} a row), "
        f"floor {len(floor_sql):,}; target 5 s: {'met' if wall <= 5 else 'not met'}"
    )
    if phases:
        print("matching's steps (s): " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()))
    print("rolled back: nothing the import wrote is kept")
    for seconds, sql, params in sorted(slowest, key=lambda q: -q[0])[: args.explain]:
        print(f"\n{seconds:.2f} s in the import: {sql[:160]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(line for (line,) in cursor.fetchall()))
    if profiler:
        print(f"\nprofile of the import (top {args.profile} by own time; profiling slows it):")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.profile)
        print("the project's own functions, by cumulative time:")
        stats.sort_stats("cumulative").print_stats("healthjustice", args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
