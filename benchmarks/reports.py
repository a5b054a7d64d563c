"""The year-long race equity figures, the team leaders' service figures and the monthly data
returns at scale, each beside its SQL.

    DJANGO_SETTINGS_MODULE=healthjustice.config.settings.local \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hj_scale_1m \\
        .venv/bin/python benchmarks/reports.py [--region NAME] [--month YYYY-MM] \\
        [--iterations 5] [--only equity,service,ld,mhtr,reconnect]

Issue 14's targets at national scale: the year-long equity figures within 2 s, a monthly return
within 30 s. The equity page is requested through Django's test client by an equality lead of the
team with the most people, for their region (or --region) and the year up to --month (the page's
default span), for the liaison and diversion, MHTR and RECONNECT pathways. The service figures
(`reporting.selectors.service_figures`, what the team leaders' reports page shows) are worked out
for the equality lead's team and for the region's liaison and diversion teams, over the page's
default period (the last six months, this one included). Each monthly return
(L&D, MHTR, RECONNECT) is written for the region and --month as `export_*_return` writes it, to
memory rather than a file. Every timing is taken in turn with its floor: the same run's read
queries (captured just before, a server-side cursor's SELECT included) replayed on the same
connection. It prints the median and 95th percentile of the clock, this process's CPU time and the
floor, the ratio, the rows and queries, and the load average before and after.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import statistics
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.local")

import django  # noqa: E402
from support import bench_practitioner, p95, read_queries, timed_with_floor  # noqa: E402

BENCH_USERNAME = "bench.equity"
EQUITY_TARGET_MS = 2_000
RETURN_TARGET_MS = 30_000
SERVICE_TARGET_MS = 1_000
EQUITY_PATHWAYS = ("ld", "mhtr", "reconnect")
RETURNS = ("ld", "mhtr", "reconnect")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--region", default="", help="The region's name; the equality lead's team's if left out."
    )
    parser.add_argument(
        "--month", default="", help="YYYY-MM; the last whole month if left out (the returns')"
    )
    parser.add_argument("--iterations", type=int, default=5, help="Timed runs of each.")
    parser.add_argument(
        "--only",
        default="",
        help=(
            "Comma-separated: equity, service (the service figures), ld, mhtr, reconnect "
            "(the returns); all if left out."
        ),
    )
    return parser.parse_args(argv)


def equality_lead():
    from healthjustice.organisations.roles import Role

    return bench_practitioner(BENCH_USERNAME, "Equity", role=Role.EQUALITY_LEAD)


def equity_calls(user, region, month, pathways) -> dict[str, Callable[[], object]]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("equity:home")

    def page(pathway: str) -> object:
        response = client.get(
            url,
            {"pathway": pathway, "scope": f"region:{region.public_id}", "last_month": month.key},
        )
        assert response.status_code == 200, response.status_code
        assert b"nhsuk-error-summary" not in response.content, "the filters were refused"
        return response

    return {f"equity, {p}, 12 months": functools.partial(page, p) for p in pathways}


def service_calls(team, region) -> dict[str, Callable[[], object]]:
    from healthjustice.organisations.choices import Pathway
    from healthjustice.organisations.models import Team
    from healthjustice.reporting.forms import DEFAULT_MONTHS_SHOWN
    from healthjustice.reporting.periods import Month, recent_months
    from healthjustice.reporting.selectors import Filters, service_figures

    first, last = recent_months(DEFAULT_MONTHS_SHOWN)[-1], Month.current()
    teams = Team.objects.filter(region=region, pathway=Pathway.LIAISON_DIVERSION, is_active=True)
    scopes = {"team": (team.id,), "region": tuple(sorted(teams.values_list("id", flat=True)))}
    return {
        f"service figures, {name}": functools.partial(
            service_figures, Filters(team_ids=ids, first=first, last=last)
        )
        for name, ids in scopes.items()
    }


def return_calls(region, month, kinds) -> dict[str, Callable[[], object]]:
    from healthjustice.reporting.data_return import write_data_return
    from healthjustice.reporting.mhtr_return import write_mhtr_return
    from healthjustice.reporting.reconnect_return import write_reconnect_return

    writers = {"ld": write_data_return, "mhtr": write_mhtr_return}
    writers["reconnect"] = write_reconnect_return

    def written(kind: str) -> int:
        return writers[kind](io.StringIO(), region, month)

    return {f"{kind} monthly return": functools.partial(written, kind) for kind in kinds}


def report_reads(captured: list[dict]) -> list[str]:
    """The reads to replay as the floor: `read_queries`, and a report's statements that begin
    WITH (its one query over a materialised set of rows). Its settings (`set_config(..., true)`,
    for its own transaction) are replayed for the session instead, and reset after."""
    reads = read_queries(captured)
    reads += [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("WITH")]
    if not any("set_config(" in sql for sql in reads):
        return reads
    reads = [sql.replace(", true)", ", false)") if "set_config(" in sql else sql for sql in reads]
    return [*reads, RESET_SETTINGS]


RESET_SETTINGS = (
    "SELECT set_config(name, reset_val, false) FROM pg_settings WHERE name IN "
    "('jit', 'work_mem', 'parallel_setup_cost', 'parallel_tuple_cost')"
)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from healthjustice.reporting.data_return import (
        DataReturnError,
        episodes_for_return,
        find_region,
    )
    from healthjustice.reporting.periods import Month

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    setup_test_environment(debug=False)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    known = {"equity", "service", *RETURNS}
    only = {o.strip() for o in args.only.split(",") if o.strip()} or known
    unknown = only - known
    if unknown:
        raise SystemExit(f"Unknown: {', '.join(sorted(unknown))}")
    user, team = equality_lead()
    try:
        month = Month.parse(args.month) if args.month else Month.current().previous()
        region = find_region(args.region) if args.region else team.region
    except (ValueError, DataReturnError) as exc:
        raise SystemExit(str(exc)) from exc
    calls: dict[str, Callable[[], object]] = {}
    if "equity" in only:
        calls |= equity_calls(user, region, month, EQUITY_PATHWAYS)
    if "service" in only:
        calls |= service_calls(team, region)
    calls |= return_calls(region, month, [k for k in RETURNS if k in only])

    print(
        f"{connection.vendor}: region {region.name}, month {month.key}; L&D episodes referred "
        f"in the month there: {episodes_for_return(region, month).count():,}; "
        f"{args.iterations} runs each"
    )
    load_before = os.getloadavg()
    print(
        f"{'what':<28}{'median ms':>11}{'p95 ms':>10}{'CPU p50':>9}{'floor p50':>11}"
        f"{'ratio':>7}{'target':>8}{'queries':>9}{'rows':>8}"
    )
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as ctx:
            result = call()
        # Read now: each test-client request empties the connection's query log.
        queries = len(ctx.captured_queries)
        reads = report_reads(ctx.captured_queries)
        clock, cpu, floor = [], [], []
        for _ in range(args.iterations):
            elapsed, spent, replayed = timed_with_floor(call, reads)
            clock.append(elapsed)
            cpu.append(spent)
            floor.append(replayed)
        target = {"equity": EQUITY_TARGET_MS, "service": SERVICE_TARGET_MS}.get(
            name.split(" ")[0].rstrip(","), RETURN_TARGET_MS
        )
        rows = result if isinstance(result, int) else ""
        print(
            f"{name:<28}{statistics.median(clock):>11.0f}{p95(clock):>10.0f}"
            f"{statistics.median(cpu):>9.0f}{statistics.median(floor):>11.0f}"
            f"{statistics.median(clock) / max(statistics.median(floor), 0.001):>7.1f}"
            f"{target:>8}{queries:>9}{rows!s:>8}",
            flush=True,
        )
    print(
        "load average before: {:.2f} {:.2f} {:.2f}".format(*load_before)
        + "; after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    )
    print(
        "CPU: this process's CPU time (Python, not waiting), steadier than the clock on a busy "
        "machine; the floor is the same run's reads replayed on the same connection."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
