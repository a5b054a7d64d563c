"""`manage.py seed_synthetic` timed, with the CPU of this process and of its PostgreSQL backend.

    DJANGO_SETTINGS_MODULE=healthjustice.config.settings.local \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hj_scale_100k \\
        .venv/bin/python benchmarks/seeding.py --people 100000 --batch 10000 [--indexes keep]

Any option is passed to the command as it is. The backend's CPU is read from its /proc entry,
so PostgreSQL must run on this machine. It prints the load average before and after, since on a
shared machine the wall clock says as much about the other work as about this.

The floor, measured in the same run after the seeding: PostgreSQL alone writing the same rows
again, every row of the loaded tables copied into an unindexed temporary table on the server
(`CREATE TEMP TABLE ... AS SELECT *`), with no client, no index and no constraint to keep. On a
freshly migrated database those are the rows the run added. `--no-floor` skips it.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from healthjustice.demo.synthetic import LOADED  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> tuple[float, float]:
    """User and system seconds of a process on this machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICKS, int(fields[12]) / TICKS


def floor_seconds() -> float:
    """Seconds for the server to write every row of the loaded tables once more, unindexed."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for model in LOADED:
            table = connection.ops.quote_name(model._meta.db_table)
            # The table names are the models' own, quoted.
            cursor.execute(f"CREATE TEMP TABLE hj_floor AS SELECT * FROM {table}")  # noqa: S608
            cursor.execute("DROP TABLE hj_floor")
    return time.perf_counter() - started


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--no-floor"]
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: the backend's CPU is read from /proc.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    backend_before = backend_cpu(pid)
    started = time.perf_counter()
    call_command("seed_synthetic", *args)
    wall = time.perf_counter() - started
    backend_after = backend_cpu(pid)
    own = resource.getrusage(resource.RUSAGE_SELF)
    user = backend_after[0] - backend_before[0]
    system = backend_after[1] - backend_before[1]
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"wall clock: {wall:.1f} s")
    print(
        f"this process CPU, start-up included: {own.ru_utime:.1f} s user + {own.ru_stime:.1f} s sys"
    )
    print(f"PostgreSQL backend CPU: {user:.1f} s user + {system:.1f} s system")
    if len(args) < len(sys.argv) - 1:
        return
    floor = floor_seconds()
    print(f"floor, the same rows written again by the server alone: {floor:.1f} s")
    print(f"seeding / floor: {wall / floor:.1f}")


if __name__ == "__main__":
    main()
