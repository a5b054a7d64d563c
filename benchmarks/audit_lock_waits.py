"""How often page views wait on an audit chain head: sample PostgreSQL while a load runs.

    .venv/bin/python benchmarks/audit_lock_waits.py --dsn postgres://postgres@127.0.0.1/hj \\
        --seconds 120 [--interval 0.1]

Every interval it counts the server's active backends and those waiting on a lock while
touching `audit_chainhead` (the `SELECT ... FOR UPDATE` of a chain head). It prints the mean
number of backends waiting on a head, the share of samples with at least one waiting, and the
mean number of active backends, so a closed-loop run of `concurrent_clients.py` shows how much
of the load queues on the audit trail.
"""

from __future__ import annotations

import argparse
import time

import psycopg

SAMPLE = """
SELECT count(*) FILTER (WHERE state = 'active'),
       count(*) FILTER (WHERE wait_event_type = 'Lock' AND query ILIKE '%%audit_chainhead%%')
FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--interval", type=float, default=0.1)
    args = parser.parse_args()
    samples = active_total = waiting_total = any_waiting = 0
    with psycopg.connect(args.dsn, autocommit=True) as conn:
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            active, waiting = conn.execute(SAMPLE).fetchone()
            samples += 1
            active_total += active
            waiting_total += waiting
            any_waiting += waiting > 0
            time.sleep(args.interval)
    print(
        f"{samples} samples: mean active backends {active_total / samples:.2f}, "
        f"mean waiting on an audit chain head {waiting_total / samples:.2f}, "
        f"samples with one or more waiting {100 * any_waiting / samples:.0f}%"
    )


if __name__ == "__main__":
    main()
