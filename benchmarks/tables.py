"""Rendering one table: the design system's macro against the kept pieces, beside a floor.

    .venv/bin/python benchmarks/tables.py [--rows 25] [--columns 5] [--iterations 200]

Needs no database. It renders a table of search results' shape (a link, dates, an NHS number,
text, one column with a class) three ways, alternating in the same run: through the NHS.UK
table macro as it is (`nhsuk/components/tables/macro.jinja`), through
`healthjustice.web.tables.KeptTable` (the pieces the macro rendered once, with the cells put
in), and the floor: the same cells escaped and joined into rows with no markup. It checks that
the first two give the same HTML, and prints the median and 95th percentile of each with the
load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.local")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402
from support import p95  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=25, help="Rows in the table.")
    parser.add_argument("--columns", type=int, default=5, help="Columns in the table (2 or more).")
    parser.add_argument("--iterations", type=int, default=200, help="Timed renders of each.")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.columns < 2 or args.iterations < 1:
        parser.error("--rows and --iterations must be at least 1, --columns at least 2")
    return args


def table_params(rows: int, columns: int) -> dict[str, Any]:
    from markupsafe import Markup

    head = ["Name", "Date of birth", "NHS number", "Why it matched", "Teams", "Stage", "Site"]
    head += [f"Column {n}" for n in range(len(head), columns)]
    body = []
    for i in range(rows):
        cells: list[Any] = [
            {"html": Markup('<a href="/people/{0}">Person {0}</a>').format(i)},
            {"text": "1 January 1980", "classes": "hj-nowrap"},
            "943 476 5919",
            "Name sounds alike, date of birth matches & more",
            "Stoke custody liaison and diversion",
            "Screened",
            "Hanley custody suite",
        ]
        cells += [f"Cell {i}.{n}" for n in range(len(cells), columns)]
        body.append(cells[:columns])
    return {
        "responsive": True,
        "firstCellIsHeader": False,
        "head": head[:columns],
        "rows": body,
        "caption": {"text": "People matching your search", "classes": "nhsuk-u-visually-hidden"},
    }


def floor(params: dict[str, Any]) -> str:
    from markupsafe import escape

    def text(cell: Any) -> str:
        if isinstance(cell, dict):
            return str(cell.get("html") or escape(cell.get("text", "")))
        return str(escape(cell))

    return "".join("".join(text(c) for c in row) for row in params["rows"])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    django.setup()
    from django.template import engines

    from healthjustice.web.components import _macro
    from healthjustice.web.tables import KeptTable

    env = engines["jinja2"].env
    macro = _macro(env, "table")
    kept = KeptTable(macro)
    params = table_params(args.rows, args.columns)
    if str(kept(params)) != str(macro(params)):
        print("The kept pieces gave other HTML than the macro.", file=sys.stderr)
        return 1
    ways = {"macro": lambda: macro(params), "kept pieces": lambda: kept(params)}
    ways["floor"] = lambda: floor(params)
    times: dict[str, list[float]] = {name: [] for name in ways}
    load_before = os.getloadavg()[0]
    for _ in range(args.iterations):
        for name, render in ways.items():
            start = time.perf_counter()
            render()
            times[name].append((time.perf_counter() - start) * 1000)
    load_after = os.getloadavg()[0]
    print(
        f"a table of {args.rows} rows and {args.columns} columns, {args.iterations} renders each; "
        f"load average (1 min) {load_before:.2f} before, {load_after:.2f} after"
    )
    print(f"{'way':<14}{'median ms':>11}{'p95 ms':>10}{'÷ floor':>10}")
    floor_median = statistics.median(times["floor"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<14}{median:>11.3f}{p95(values):>10.3f}{median / floor_median:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
