"""Time the prioritised worklist with many people and episodes in the database.

    DJANGO_SETTINGS_MODULE=healthjustice.config.settings.local \
    DATABASE_URL=sqlite:////tmp/hj_bench.sqlite3 \
    .venv/bin/python benchmarks/worklist.py --people 100000 --episodes 150000

Migrates the database, tops it up to --people with `seed_synthetic` and to --episodes with the
journeys bulk generator (status rows, criminal-justice details, screenings, risk alerts and
onward referrals for a share of them), signs in a practitioner of the team with the most
people, and times, through Django's test client, the worklist for that team and the "mine"
list. It prints, per page, the median and 95th percentile in milliseconds beside the floor (the
same request's read queries replayed directly, alternating with the page), their ratio, the
CPU time, the SQL queries per page and the load average, then counts the queries again in a
second, small database (--small-people, --small-episodes) and exits with status 1 if a page's
query count depends on how much data there is.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.local")

import django  # noqa: E402
from support import (  # noqa: E402
    add_worker_heap_option,
    bench_practitioner,
    ensure_people,
    heap_as_in_a_worker,
    p95,
    read_queries,
    refresh_statistics,
    small_database,
    timed_with_floor,
)

BENCH_USERNAME = "bench.worklist"
PAGES = ("team worklist", "team worklist, page 2", "team worklist, one stage", "mine")
# The targets at 1,000,000 people (docs/performance.md): p95 in ms, and page ÷ floor.
TARGET_P95_MS = 25
TARGET_RATIO = 2.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="People in the database.")
    parser.add_argument("--episodes", type=int, default=150_000, help="Episodes in the database.")
    parser.add_argument("--iterations", type=int, default=50, help="Timed requests per page.")
    parser.add_argument("--seed", type=int, default=7, help="Random seed for the episodes.")
    parser.add_argument("--small-people", type=int, default=1_000)
    parser.add_argument("--small-episodes", type=int, default=1_500)
    parser.add_argument(
        "--no-compare", action="store_true", help="Skip the small-database query count."
    )
    add_worker_heap_option(parser)
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="After timing, profile 20 requests of each page and print the top N functions.",
    )
    parser.add_argument(
        "--counts-only",
        action="store_true",
        help="Only count queries per page and print them as JSON (used for the small database).",
    )
    return parser.parse_args(argv)


def ensure_episodes(target: int, user, team, seed: int) -> int:
    from healthjustice.demo.synthetic_episodes import seed_synthetic_episodes
    from healthjustice.journeys.models import Episode

    have = Episode.objects.count()
    if have < target:
        print(f"Seeding {target - have:,} synthetic episodes ...", flush=True)
        started = time.perf_counter()
        seed_synthetic_episodes(
            episodes=target - have, worker=user, worker_team_id=team.pk, seed=seed
        )
        print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)
    ensure_read_model()
    return Episode.objects.count()


def ensure_mine(user, team, minimum: int = 30) -> None:
    """Enough open episodes allocated to the bench practitioner for a full "mine" page."""
    from healthjustice.journeys.models import Episode
    from healthjustice.journeys.selectors import open_only, with_current_stage
    from healthjustice.worklist.entries import refresh_entries

    open_ids = open_only(with_current_stage(Episode.objects.filter(team=team))).values("pk")
    missing = minimum - Episode.objects.filter(pk__in=open_ids, allocated_worker=user).count()
    if missing > 0:
        chosen = list(
            Episode.objects.filter(pk__in=open_ids, allocated_worker=None)
            .order_by("pk")
            .values_list("pk", flat=True)[:missing]
        )
        Episode.objects.filter(pk__in=chosen).update(allocated_worker=user)
        # A bulk update sends no signals: the worklist's rows of these episodes are rewritten.
        refresh_entries(chosen)


def ensure_read_model() -> None:
    """The worklist's read model holds every open episode: a database loaded in bulk (COPY,
    bulk_create) or migrated from before it has no rows yet, and is rebuilt first."""
    from healthjustice.journeys.models import Episode
    from healthjustice.journeys.selectors import open_only
    from healthjustice.worklist.entries import timed_rebuild
    from healthjustice.worklist.models import WorklistEntry

    if WorklistEntry.objects.count() != open_only(Episode.objects.all()).count():
        timed_rebuild(lambda line: print(line, flush=True))


class Pages:
    def __init__(self, user, team) -> None:
        from django.test import Client
        from django.urls import reverse

        self.client = Client()
        self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        self.url = reverse("worklist:home")
        self.team = str(team.public_id)

    def _get(self, params: dict[str, str]) -> Any:
        response = self.client.get(self.url, params)
        assert response.status_code == 200, response.status_code
        return response

    def by_page(self) -> dict[str, Callable[[], Any]]:
        calls = (
            lambda: self._get({"team": self.team}),
            lambda: self._get({"team": self.team, "page": "2"}),
            lambda: self._get({"team": self.team, "stage": "screened"}),
            lambda: self._get({"team": "mine"}),
        )
        return dict(zip(PAGES, calls, strict=True))


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def is_audit_write(sql: str) -> bool:
    """The audit trail's own statements and transaction control: one audit event (or two, when
    criminal-justice details were shown) is written per page, whatever the number of rows."""
    return '"audit_' in sql or sql.startswith(TRANSACTION_CONTROL)


def count_queries(pages: Pages, repeats: int = 3) -> dict[str, list[int]]:
    """Per page: [fewest, most] queries in all, then [fewest, most] leaving out audit writes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, list[int]] = {}
    for page, call in pages.by_page().items():
        call()  # the first request of a session does extra work
        seen, reads = [], []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as ctx:
                call()
            seen.append(len(ctx.captured_queries))
            reads.append(sum(1 for q in ctx.captured_queries if not is_audit_write(q["sql"])))
        counts[page] = [min(seen), max(seen), min(reads), max(reads)]
    return counts


def _without_jit(sender: Any, connection: Any, **kwargs: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")


@dataclass
class Timing:
    page: list[float]
    floor: list[float]
    cpu: list[float]


def time_pages(pages: Pages, iterations: int) -> dict[str, Timing]:
    """Each page's time, alternating with its floor: the same request's read queries (captured
    in the request just before) replayed on the same connection."""
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test.utils import CaptureQueriesContext

    if connection.vendor == "postgresql":
        # The page runs its query without JIT compilation (worklist.planning); the floor must
        # run the same SQL the same way, or it measures the compiler. Every connection: the
        # connection is replaced when it reaches CONN_MAX_AGE.
        connection_created.connect(_without_jit)
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
    timings: dict[str, Timing] = {}
    for page, call in pages.by_page().items():
        for _ in range(3):
            call()
        times, floor, cpu = [], [], []
        for _ in range(iterations):
            with CaptureQueriesContext(connection) as ctx:
                call()
            elapsed, spent, replayed = timed_with_floor(call, read_queries(ctx.captured_queries))
            times.append(elapsed)
            cpu.append(spent)
            floor.append(replayed)
        timings[page] = Timing(times, floor, cpu)
    return timings


def profile_pages(pages: Pages, top: int, requests: int = 20) -> None:
    """Where each page's Python time goes: cProfile over `requests` requests a page, the top
    functions by their own time, then by cumulative time within the project's code."""
    import cProfile
    import pstats

    for page, call in pages.by_page().items():
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            call()
        profiler.disable()
        print(f"\nprofile of {page} ({requests} requests; profiling slows it):")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats("healthjustice", top)


def _line(name: str, t: Timing, queries: str, audit: str) -> str:
    ratio = statistics.median(t.page) / max(statistics.median(t.floor), 0.001)
    ratio95 = p95(t.page) / max(p95(t.floor), 0.001)
    return (
        f"{name:<28}{statistics.median(t.page):>11.1f}{p95(t.page):>10.1f}"
        f"{statistics.median(t.floor):>11.1f}{p95(t.floor):>11.1f}{ratio:>11.1f}"
        f"{ratio95:>11.1f}{queries:>9}{audit:>11}"
        f"{statistics.median(t.cpu):>9.1f}{p95(t.cpu):>9.1f}"
    )


def time_refresh(team, iterations: int) -> Timing:
    """Rewriting one episode's worklist row, as every save of a record the order reads does
    (a screening, a contact, a move), on a different open episode of the team each time,
    alternating with its floor: the statements it sent, replayed directly."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from healthjustice.worklist.entries import refresh_entries
    from healthjustice.worklist.models import WorklistEntry

    ids = list(
        WorklistEntry.objects.filter(team=team)
        .order_by("episode_id")
        .values_list("episode_id", flat=True)[: iterations + 3]
    )
    times, floor, cpu = [], [], []
    for i, episode_id in enumerate(ids):
        with CaptureQueriesContext(connection) as ctx:
            started, started_cpu = time.perf_counter(), time.process_time()
            refresh_entries([episode_id])
            elapsed = (time.perf_counter() - started) * 1000
            spent = (time.process_time() - started_cpu) * 1000
        sent = [q["sql"] for q in ctx.captured_queries]
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in sent:
                if not sql.startswith(TRANSACTION_CONTROL):
                    cursor.execute(sql)
        replayed = (time.perf_counter() - started) * 1000
        if i >= 3:  # the first ones compile and cache
            times.append(elapsed)
            cpu.append(spent)
            floor.append(replayed)
    return Timing(times, floor, cpu)


def small_counts(args: argparse.Namespace) -> dict[str, list[int]]:
    url, cleanup = small_database("hj_bench_worklist_small_")
    try:
        env = {**os.environ, "DATABASE_URL": url}
        command = [
            sys.executable,
            __file__,
            "--counts-only",
            "--people",
            str(args.small_people),
            "--episodes",
            str(args.small_episodes),
            "--seed",
            str(args.seed),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        cleanup()


def describe(user, team) -> str:
    from healthjustice.journeys.models import Episode
    from healthjustice.journeys.selectors import open_only, with_current_stage
    from healthjustice.worklist.selectors import worklist_queryset

    team_total = Episode.objects.filter(team=team).count()
    team_open = open_only(with_current_stage(Episode.objects.filter(team=team))).count()
    mine = worklist_queryset(user, mine=True).count()
    return (
        f"the bench team holds {team_total:,} episodes, {team_open:,} open; "
        f"{mine:,} open ones are allocated to the bench practitioner"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from healthjustice.journeys.models import EpisodeStatus

    # Static files are not collected for a benchmark; WhiteNoise warns about that.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    setup_test_environment(debug=False)
    call_command("migrate", verbosity=0)
    people = ensure_people(args.people)
    user, team = bench_practitioner(BENCH_USERNAME, "Worklist")
    episodes = ensure_episodes(args.episodes, user, team, args.seed)
    ensure_mine(user, team)
    refresh_statistics()
    pages = Pages(user, team)
    counts = count_queries(pages)
    if args.counts_only:
        print(json.dumps(counts))
        return 0

    print(
        f"{connection.vendor}: {people:,} people, {episodes:,} episodes, "
        f"{EpisodeStatus.objects.count():,} status rows; {describe(user, team)}; "
        f"{args.iterations} requests per page"
    )
    heap = heap_as_in_a_worker(args)
    load_before = os.getloadavg()[0]
    timings = time_pages(pages, args.iterations)
    load_after = os.getloadavg()[0]
    print(f"load average (1 min) {load_before:.2f} before timing, {load_after:.2f} after; {heap}")
    print(
        f"{'page':<28}{'median ms':>11}{'p95 ms':>10}{'floor p50':>11}{'floor p95':>11}"
        f"{'ratio p50':>11}{'ratio p95':>11}{'queries':>9}{'audit, tx':>11}"
        f"{'CPU p50':>9}{'CPU p95':>9}"
    )
    for page in PAGES:
        low, high, reads, _ = counts[page]
        queries = str(low) if low == high else f"{low}-{high}"
        audit = f"{low - reads}" if low == high else f"{low - reads}-{high - reads}"
        print(_line(page, timings[page], queries, audit))
    print(_line("one row rewritten", time_refresh(team, args.iterations), "", ""))
    print(
        f"Targets at 1,000,000 people: p95 at most {TARGET_P95_MS} ms and at most "
        f"{TARGET_RATIO:g} times the floor. The floor is the same request's reads replayed on "
        "the same connection right after it; CPU is this process's CPU time during the page "
        "(Python, not waiting), steadier than the clock on a busy machine."
    )

    if args.profile:
        profile_pages(pages, args.profile)
    if args.no_compare:
        return 0
    small = small_counts(args)
    # Compare the reads: the audit writes are one or two events per page either way.
    differs = [page for page in PAGES if small[page][2:] != counts[page][2:]]
    print(
        f"Queries per page, leaving out audit writes, with {args.small_people:,} people and "
        f"{args.small_episodes:,} episodes: "
        + ", ".join(f"{page} {'-'.join(map(str, sorted(set(small[page][2:]))))}" for page in PAGES)
    )
    if differs:
        print("Query counts depend on the amount of data for: " + ", ".join(differs))
        return 1
    print("Query counts are the same with the small and the large database.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
