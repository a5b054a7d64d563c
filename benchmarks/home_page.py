"""The fixed cost of a signed-in page: the home page, timed beside its own SQL.

    DJANGO_SETTINGS_MODULE=healthjustice.config.settings.local \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hj_bench \\
        .venv/bin/python benchmarks/home_page.py [--iterations 300] [--people 100000]

Signs in the benchmark practitioner (a team with the most people) through Django's test client,
so every middleware (session, authentication, session lifetime, axes, CSP) runs, and GETs the
home page. It captures the page's queries once, then, alternating in the same run, times the
page and the floor: its read queries (SELECTs) replayed on the same connection. It prints the
median and 95th percentile of both and of the page's CPU time in this process (Python, not
waiting: steadier than the clock on a busy machine), the ratio, the queries per page by kind,
and whether the session row was written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

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
    timed_with_floor,
)

BENCH_USERNAME = "bench.home"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--people", type=int, default=0, help="top up to this many people")
    add_worker_heap_option(parser)
    args = parser.parse_args(argv)
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    people = ensure_people(args.people) if args.people else None
    user, team = bench_practitioner(BENCH_USERNAME, "Home")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for _ in range(5):  # warm caches, templates and the session's first refresh
        assert client.get("/").status_code == 200

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    queries = [q["sql"] for q in ctx.captured_queries]
    reads = read_queries(ctx.captured_queries)
    kinds: dict[str, int] = {}
    for q in queries:
        word = q.lstrip().split(" ", 1)[0].upper()
        kinds[word] = kinds.get(word, 0) + 1
    session_writes = sum("django_session" in q and not q.startswith("SELECT") for q in queries)

    heap = heap_as_in_a_worker(args)
    page: list[float] = []
    cpu: list[float] = []
    floor: list[float] = []
    for _ in range(args.iterations):
        elapsed, spent, replayed = timed_with_floor(lambda: client.get("/"), reads)
        page.append(elapsed)
        cpu.append(spent)
        floor.append(replayed)

    where = f"{connection.vendor}, {people:,} people" if people else connection.vendor
    print(f"Home page ({where}), {args.iterations} requests, practitioner of {team.name}; {heap}")
    print(f"{'':12}{'p50 ms':>8}{'p95 ms':>8}")
    print(f"{'page':12}{statistics.median(page):8.2f}{p95(page):8.2f}")
    print(f"{'floor':12}{statistics.median(floor):8.2f}{p95(floor):8.2f}")
    print(f"{'page CPU':12}{statistics.median(cpu):8.2f}{p95(cpu):8.2f}  (this process's CPU)")
    ratio = statistics.median(page) / max(statistics.median(floor), 0.001)
    print(f"page / floor (p50): {ratio:.1f}")
    by_kind = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    print(f"queries per page: {len(queries)} ({by_kind}); session row written: {session_writes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
