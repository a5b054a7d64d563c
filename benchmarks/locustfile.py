"""People at work at once, each pausing 2 to 5 s between actions, for locust (issue 14).

`benchmarks/run_load_test.sh` starts the production configuration (gunicorn and a run_worker
as docs/deployment.md runs them) on the database it is given and runs this file headless:

    .venv/bin/locust -f benchmarks/locustfile.py --headless --users 50 --spawn-rate 5 \\
        --run-time 10m --host http://127.0.0.1:PORT --behind-proxy

Each simulated person signs in as a demo account (round-robin over the practitioners, team
leaders and carers' keyworkers that `manage.py seed_demo --list-accounts` prints), finds a few
records from the worklist as `concurrent_clients.py` does, then repeats the same weighted mix of
actions with a pause of 2 to 5 s between them: the worklist, name searches, person and episode
pages, recording a screening (form and POST), the reports page for team leaders, and for
keyworkers the carers' pages and a contact log entry (form and POST). The requests themselves are
`concurrent_clients.py`'s, reported to locust, so both tools measure the same work.

Locust prints its own table (requests, failures, percentiles per action, requests per second).
Before the load, one person alone times the same pages: at the end that floor is printed beside
the loaded figures, with the targets (no failed request, p99 at most `--p99-target-ms`), and the
exit status is 1 if one is missed. It writes screenings and contact log entries to the database,
so point it at a copy.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import sys
import time
from pathlib import Path
from typing import Any

from locust import User, between, events, task
from locust.exception import StopUser
from locust.stats import StatsEntry

sys.path.insert(0, str(Path(__file__).resolve().parent))
import concurrent_clients as cc  # a sibling script, not a package

SIGN_IN_TRIES = 3
# Signing in: once a person, at the start, hashing the password with Argon2 by design.
SIGNING_IN = ("sign in (form)", "sign in")
_accounts: list[cc.Account] = []
_turn = itertools.count()
_floor: dict[str, list[float]] = {}


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument(
        "--behind-proxy",
        action="store_true",
        default=False,
        help="send X-Forwarded-Proto: https and accept secure cookies over loopback HTTP, "
        "as nginx in front of the production settings does",
    )
    parser.add_argument("--p99-target-ms", type=float, default=250.0)
    parser.add_argument("--floor-repeats", type=int, default=10)


class _ToLocust:
    """Stands in for concurrent_clients.Results: each request goes to locust's statistics."""

    def __init__(self, environment: Any) -> None:
        self.environment = environment

    def add(self, action: str, seconds: float, error: str | None, detail: str = "") -> None:
        self.environment.events.request.fire(
            request_type="POST" if "POST" in action or action == "sign in" else "GET",
            name=action,
            response_time=seconds * 1000,
            response_length=0,
            exception=cc.Failure(f"{error}: {detail}") if error else None,
            context={},
        )


@events.init.add_listener
def _prepare(environment: Any, **_: Any) -> None:
    """Before the clock starts: the accounts, and one person's times alone (the floor)."""
    options = environment.parsed_options
    if options is None:  # locust imported by another tool, not running a test
        return
    cc.BEHIND_PROXY = options.behind_proxy
    _accounts[:] = cc.demo_accounts()
    clinical = [a for a in _accounts if not a.keyworker]
    if not clinical:
        raise SystemExit("No clinical demo account: load the demo data (manage.py seed_demo).")
    cc.wait_for_server(environment.host, 60)
    _floor.update(cc.measure_floor(environment.host, clinical[0], options.floor_repeats))


class Person(User):
    wait_time = between(2, 5)

    def on_start(self) -> None:
        n = next(_turn)
        account = _accounts[n % len(_accounts)]
        client = cc.Client(self.host, _ToLocust(self.environment))
        self.scenario = cc.Scenario(client, account, think=0, rng=random.Random(n))
        for _ in range(SIGN_IN_TRIES):
            try:
                client.sign_in(account.username, account.password)
                self.scenario.discover()
                break
            except cc.Failure:
                time.sleep(1)  # as a person would, try again
        else:
            raise StopUser()
        acts = self.scenario.actions()
        self.actions = [act for act, _ in acts]
        self.weights = [weight for _, weight in acts]

    @task
    def act(self) -> None:
        with contextlib.suppress(cc.Failure):  # already counted as a failure
            self.scenario.rng.choices(self.actions, self.weights)[0]()


def _at_work(stats: Any) -> StatsEntry | None:
    """The requests of the work itself, without signing in (each person's first two requests,
    whose time is the password hash's), gathered as locust gathers its total."""
    work = StatsEntry(stats, "at work", "")
    for entry in stats.entries.values():
        if entry.name not in SIGNING_IN:
            work.extend(entry)
    return work if work.num_requests else None


@events.quitting.add_listener
def _verdict(environment: Any, **_: Any) -> None:
    total = environment.stats.total
    if not total.num_requests:
        environment.process_exit_code = 1
        print("No request was made.")
        return
    p99 = total.get_response_time_percentile(0.99)
    target = environment.parsed_options.p99_target_ms
    alone = [t * 1000 for times in _floor.values() for t in times]
    alone_p50 = cc.percentile(alone, 50) if alone else float("nan")
    alone_p99 = cc.percentile(alone, 99) if alone else float("nan")
    print()
    print(
        f"{environment.parsed_options.num_users} people: "
        f"{total.num_requests} requests, {total.num_failures} failed, "
        f"{total.total_rps:.1f} requests/s over the run"
    )
    print(
        f"all requests: p50 {total.get_response_time_percentile(0.5):.0f} ms, "
        f"p95 {total.get_response_time_percentile(0.95):.0f} ms, p99 {p99:.0f} ms; "
        f"one person alone (the floor, {len(alone)} requests): "
        f"p50 {alone_p50:.0f} ms, p99 {alone_p99:.0f} ms"
    )
    at_work = _at_work(environment.stats)
    if at_work:
        percentile = at_work.get_response_time_percentile
        print(
            f"at work (every request but signing in, {at_work.num_requests} requests): "
            f"p50 {percentile(0.5):.0f} ms, p95 {percentile(0.95):.0f} ms, "
            f"p99 {percentile(0.99):.0f} ms"
        )
    failed = total.num_failures > 0
    slow = p99 > target
    print(
        f"targets: no failed request ({'missed' if failed else 'met'}), "
        f"p99 <= {target:.0f} ms ({'missed' if slow else 'met'})"
    )
    environment.process_exit_code = 1 if failed or slow else 0
