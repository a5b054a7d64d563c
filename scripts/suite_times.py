"""Where the test suite's time goes: totals by test module, and by phase.

Usage: suite_times.py JUNIT_XML [DURATIONS_TEXT] [--top N]

JUNIT_XML is pytest's `--junitxml` file (each test's setup, call and teardown together);
DURATIONS_TEXT, when given, is pytest's output run with `--durations=0 --durations-min=0`, from
which the setup, call and teardown totals, and the modules with the most setup, are added.
The times are wall times inside the test processes: on a busy machine they grow with the load,
so compare runs by their shares, or by the CPU time of the whole run (`/usr/bin/time`).
Standard library only.
"""

from __future__ import annotations

import argparse
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

PHASE_LINE = re.compile(r"^([\d.]+)s (setup|call|teardown)\s+(\S+?)::")


def module_of(classname: str) -> str:
    """`tests.access.test_url_matrix` or `tests.demo.test_x.TestClass` → the module's path."""
    parts = classname.split(".")
    tests = [i for i, part in enumerate(parts) if part.startswith("test_")]
    end = tests[-1] + 1 if tests else len(parts)
    return "/".join(parts[:end]) + ".py"


def by_module(junit_xml: str) -> tuple[Counter[str], Counter[str]]:
    seconds: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    # The file is pytest's own report of a local run, not data from outside.
    for case in ET.parse(junit_xml).getroot().iter("testcase"):  # noqa: S314
        module = module_of(case.get("classname", ""))
        seconds[module] += float(case.get("time", 0))
        counts[module] += 1
    return seconds, counts


def by_phase(durations_text: str) -> dict[str, Counter[str]]:
    phases: dict[str, Counter[str]] = defaultdict(Counter)
    with open(durations_text) as lines:
        for line in lines:
            found = PHASE_LINE.match(line)
            if found:
                phases[found[3]][found[2]] += float(found[1])
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("junit_xml")
    parser.add_argument("durations_text", nargs="?")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    seconds, counts = by_module(args.junit_xml)
    print(f"{sum(counts.values())} tests, {sum(seconds.values()):.1f} s in all")
    print(f"{'seconds':>9} {'tests':>6} {'ms/test':>8}  module")
    for module, total in seconds.most_common(args.top):
        print(f"{total:9.1f} {counts[module]:6d} {total / counts[module] * 1000:8.0f}  {module}")
    if args.durations_text:
        phases = by_phase(args.durations_text)
        totals: Counter[str] = Counter()
        for module_phases in phases.values():
            totals.update(module_phases)
        print("phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(totals.items())))
        print(f"{'setup':>9} {'call':>9} {'teardown':>9}  module (most setup first)")
        ranked = sorted(phases.items(), key=lambda item: -item[1]["setup"])
        for module, p in ranked[: args.top]:
            print(f"{p['setup']:9.1f} {p['call']:9.1f} {p['teardown']:9.1f}  {module}")


if __name__ == "__main__":
    main()
