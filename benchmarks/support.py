"""What the benchmarks share: synthetic people, the benchmark user, the 95th percentile and a
throwaway second database."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


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


def bench_practitioner(username: str, last_name: str):
    """A practitioner in the team with the most people (made once, reused on later runs)."""
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
        role=Role.PRACTITIONER,
        defaults={"starts_on": timezone.localdate() - datetime.timedelta(days=30)},
    )
    return user, team


def read_queries(queries: list[dict[str, Any]]) -> list[str]:
    """A request's reads, to replay as its floor: SELECTs, not those that take a sequence value."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT") and "nextval(" not in q["sql"]
    ]


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
