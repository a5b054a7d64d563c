"""Audit writes from many connections at once: one chain against several.

    DJANGO_SETTINGS_MODULE=healthjustice.config.settings.local \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hj_bench \\
        .venv/bin/python benchmarks/audit_writes.py --threads 50 --seconds 20 --chains 1
    (then --chains 8)

Each thread has its own database connection and, as a page view or a service does, opens a
transaction, appends one audit event and keeps the transaction open `--hold-ms` more (the rest
of the request's work after its audit write), in a closed loop. It prints the writes per second
and the median and 95th percentile of a transaction, then checks the whole trail verifies.
With one chain every transaction queues on the same head row; with several they do not.
PostgreSQL only (SQLite writes one transaction at a time whatever the chains).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from healthjustice.audit.models import Action  # noqa: E402
from healthjustice.audit.services import audit_record  # noqa: E402
from healthjustice.audit.verification import verify_trail  # noqa: E402


def worker(deadline: float, hold: float, times: list[float], lock: threading.Lock) -> None:
    mine: list[float] = []
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            with transaction.atomic():
                audit_record(actor=None, action=Action.VIEW, object_type="benchmark")
                time.sleep(hold)
            mine.append(time.perf_counter() - started)
    finally:
        connections.close_all()
        with lock:
            times.extend(mine)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--chains", type=int, default=8)
    parser.add_argument("--hold-ms", type=float, default=5.0)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        parser.error("PostgreSQL only: point DATABASE_URL at a throwaway PostgreSQL database")
    settings.HJ_AUDIT_CHAINS = args.chains
    times: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=worker, args=(deadline, args.hold_ms / 1000, times, lock))
        for _ in range(args.threads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(
        f"{args.threads} connections, {args.chains} chain(s), {args.hold_ms:g} ms held after "
        f"the write: {len(ms) / args.seconds:,.0f} writes/s, transaction p50 "
        f"{statistics.median(ms):,.1f} ms, p95 {p95:,.1f} ms"
    )
    report = verify_trail()
    print(f"verify: {report.rows:,} rows, {'intact' if report.intact else report.problem}")
    return 0 if report.intact else 1


if __name__ == "__main__":
    raise SystemExit(main())
