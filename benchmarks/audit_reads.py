"""Information governance's audit pages on a large trail, each timed beside its own SQL.

    DJANGO_SETTINGS_MODULE=healthjustice.config.settings.local \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hj_bench \\
        .venv/bin/python benchmarks/audit_reads.py [--iterations 40] [--people 20]

An information-governance auditor of the organisation of the team with the most people (made
once, reused) opens, through Django's test client with every middleware:

- "audit home": the trail's size, its last verification and the latest access changes;
- "person trail": who looked at a person (`/audit/people/<id>/`), for `--people` people of
  that team who have events in the trail, in turn;
- "person trail, one month": the same with a month's date range;
- "user trail": what an account did (`/audit/users/<id>/`), for the demo's Staffordshire
  practitioner (an account used by hand);
- "busiest account": the same for the account with the most events in the trail (the synthetic
  data's `load.worker`, the actor of every seeded event: the worst case, far beyond any person).

Each page's queries are captured once; then, alternating in the same run, the page and its
floor (its read queries replayed on the same connection) are timed. It prints the median and
95th percentile of both, the ratio and the trail's size. It writes only the pages' own view
events, as any page view does.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.local")

import django  # noqa: E402
from support import bench_practitioner, p95, read_queries, timed_with_floor  # noqa: E402

BENCH_USERNAME = "bench.ig"
DEMO_PRACTITIONER = "practitioner.staffs"


def _people_with_events(team, limit: int) -> list[str]:
    from django.db import connection

    from healthjustice.people.models import CareRelationship

    people = CareRelationship.objects.filter(team=team).values_list("person__public_id", flat=True)[
        : limit * 20
    ]
    ids = [str(p) for p in people]
    with connection.cursor() as cursor:
        found = []
        for pid in ids:
            cursor.execute(
                "SELECT 1 FROM audit_auditevent WHERE object_type = 'person' AND object_id = %s"
                " LIMIT 1",
                [pid],
            )
            if cursor.fetchone():
                found.append(pid)
            if len(found) == limit:
                break
    return found


def _busiest_actor() -> str:
    from django.db import connection

    # The planner's statistics name the commonest actor without counting a large trail.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (most_common_vals::text::text[])[1] FROM pg_stats"
            " WHERE tablename = 'audit_auditevent' AND attname = 'actor_id'"
        )
        row = cursor.fetchone()
    return row[0] if row else ""


def _time(name: str, urls: list[str], client, iterations: int, results: dict[str, tuple]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reads: dict[str, list[str]] = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        reads[url] = read_queries(ctx.captured_queries)
    page: list[float] = []
    floor: list[float] = []
    for i in range(iterations):
        url = urls[i % len(urls)]
        get: Callable[[], object] = lambda url=url: client.get(url)  # noqa: E731
        elapsed, _cpu, replayed = timed_with_floor(get, reads[url])
        page.append(elapsed)
        floor.append(replayed)
    queries = statistics.median(len(r) for r in reads.values())
    results[name] = (page, floor, queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--people", type=int, default=20)
    args = parser.parse_args(argv)
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from healthjustice.accounts.models import User
    from healthjustice.organisations.roles import Role

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user, team = bench_practitioner(BENCH_USERNAME, "Governance", role=Role.IG_AUDITOR)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    people = _people_with_events(team, args.people)
    if not people:
        print(f"No person of {team.name} has events in the trail: seed_synthetic first.")
        return 1
    today = timezone.localdate()
    month = f"date_from={today - datetime.timedelta(days=30)}&date_to={today}"
    pages = {
        "audit home": ["/audit/"],
        "person trail": [f"/audit/people/{p}/" for p in people],
        "person trail, one month": [f"/audit/people/{p}/?{month}" for p in people],
    }
    practitioner = User.objects.filter(username=DEMO_PRACTITIONER).first()
    if practitioner is not None:
        pages["user trail"] = [f"/audit/users/{practitioner.public_id}/"]
    busiest = _busiest_actor()
    if busiest:
        pages["busiest account"] = [f"/audit/users/{busiest}/"]

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'audit_auditevent'")
        rows = cursor.fetchone()[0]
    results: dict[str, tuple] = {}
    for name, urls in pages.items():
        iterations = args.iterations if name != "busiest account" else max(3, args.iterations // 8)
        _time(name, urls, client, iterations, results)

    print(
        f"Audit pages ({connection.vendor}, about {rows:,} audit rows), IG auditor of "
        f"{team.organisation.name}; {len(people)} people"
    )
    print(
        f"{'page':26}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}{'floor p50':>11}{'floor p95':>11}"
        f"{'ratio':>7}{'queries':>9}"
    )
    for name, (page, floor, queries) in results.items():
        ratio = statistics.median(page) / max(statistics.median(floor), 0.001)
        print(
            f"{name:26}{len(page):4}{statistics.median(page):9.1f}{p95(page):9.1f}"
            f"{statistics.median(floor):11.1f}{p95(floor):11.1f}{ratio:7.1f}{queries:9.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
