"""What the benchmarks share: synthetic people, the benchmark user, the 95th percentile and a
throwaway second database."""

from __future__ import annotations

import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def refresh_statistics() -> None:
    """Give the query planner statistics for the bulk-loaded tables, as autovacuum (PostgreSQL)
    or a periodic ANALYZE (SQLite) would on a database in use."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"Planner statistics refreshed in {time.perf_counter() - started:.1f} s", flush=True)


def small_database(prefix: str) -> tuple[str, Callable[[], None]]:
    """A second, empty database of the same engine, and how to remove it."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    if connection.vendor == "postgresql":
        parts = urlsplit(url)
        name = f"{connection.settings_dict['NAME']}_small"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return urlunsplit(parts._replace(path=f"/{name}")), drop
    handle, path = tempfile.mkstemp(prefix=prefix, suffix=".sqlite3")
    os.close(handle)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    return f"sqlite:///{path}", remove


def people_or_none(minimum: int) -> int | None:
    """How many people the database holds, or None (with how to seed it said on stderr) when
    fewer than `minimum`."""
    import sys

    from healthjustice.people.models import Person

    people = Person.objects.count()
    if people >= minimum:
        return people
    print(
        f"The database holds {people:,} people; this benchmark needs at least "
        f"{minimum:,}. Seed it first (docs/performance.md):\n"
        f"  manage.py seed_synthetic --people {minimum - people} --batch 10000",
        file=sys.stderr,
    )
    return None


def ensure_people(target: int) -> int:
    """Top the database up to `target` synthetic people with seed_synthetic."""
    from django.core.management import call_command

    from healthjustice.people.models import Person

    have = Person.objects.count()
    if have < target:
        print(f"Seeding {target - have:,} synthetic people ...", flush=True)
        started = time.perf_counter()
        call_command("seed_synthetic", people=target - have, verbosity=0)
        print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)
    return Person.objects.count()


def bench_practitioner(username: str, last_name: str, role: str = ""):
    """A practitioner (or another `role`) in the team with the most people (made once, reused
    on later runs)."""
    import datetime

    from django.db.models import Count
    from django.utils import timezone

    from healthjustice.accounts.models import User
    from healthjustice.organisations.models import Membership, Team
    from healthjustice.organisations.roles import Role

    team = Team.objects.annotate(n=Count("care_relationships")).order_by("-n", "pk").first()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": "Bench", "last_name": last_name, "job_title": "Benchmark"},
    )
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(
        user=user,
        team=team,
        role=role or Role.PRACTITIONER,
        defaults={"starts_on": timezone.localdate() - datetime.timedelta(days=30)},
    )
    return user, team


SERVER_SIDE_CURSOR = re.compile(r"^\s*DECLARE\s.*?\bCURSOR\b.*?\bFOR\s+(SELECT\b.*)$", re.S | re.I)


def read_queries(queries: list[dict[str, Any]]) -> list[str]:
    """A request's reads, to replay as its floor: SELECTs, not those that take a sequence value,
    and the SELECT of a server-side cursor (QuerySet.iterator() on PostgreSQL)."""
    reads = []
    for q in queries:
        sql = q["sql"]
        cursor = SERVER_SIDE_CURSOR.match(sql)
        if cursor:
            sql = cursor.group(1)
        if sql.lstrip().upper().startswith("SELECT") and "nextval(" not in sql:
            reads.append(sql)
    return reads


def timed_with_floor(request: Callable[[], object], reads: list[str]) -> tuple[float, float, float]:
    """One request's clock and CPU milliseconds, then its floor: `reads` (the request's own
    SELECTs) replayed directly on the same connection, right after it."""
    from django.db import connection

    started, started_cpu = time.perf_counter(), time.process_time()
    request()
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() - started_cpu) * 1000
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in reads:
            cursor.execute(sql)
            cursor.fetchall()
    return elapsed, cpu, (time.perf_counter() - started) * 1000


def add_worker_heap_option(parser: Any) -> None:
    parser.add_argument(
        "--unfrozen",
        action="store_true",
        help="Time with the garbage collector as Python starts it, not as the server's workers "
        "set it once the application has started (healthjustice.config.wsgi).",
    )


def heap_as_in_a_worker(args: Any) -> str:
    """Before timing, set the garbage collector as a server worker has it (the objects made while
    starting left out of every later collection), unless --unfrozen; the words say which."""
    if args.unfrozen:
        return "garbage collector as Python starts it (--unfrozen)"
    from healthjustice.core.heap import freeze_startup_objects

    freeze_startup_objects()
    return "startup objects frozen, as in a server worker"
