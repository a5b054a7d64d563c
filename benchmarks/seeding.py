"""`manage.py seed_synthetic` timed, with the CPU of this process and of its PostgreSQL backend.

    DJANGO_SETTINGS_MODULE=healthjustice.config.settings.local \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hj_scale_100k \\
        .venv/bin/python benchmarks/seeding.py --people 100000 --batch 10000 [--indexes keep]

Any option is passed to the command as it is. The backend's CPU is read from its /proc entry,
so PostgreSQL must run on this machine. It prints the load average before and after, since on a
shared machine the wall clock says as much about the other work as about this.
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

TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> tuple[float, float]:
    """User and system seconds of a process on this machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICKS, int(fields[12]) / TICKS


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: the backend's CPU is read from /proc.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    backend_before = backend_cpu(pid)
    started = time.perf_counter()
    call_command("seed_synthetic", *sys.argv[1:])
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


if __name__ == "__main__":
    main()
