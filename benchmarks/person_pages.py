"""Time person search and the person page with many people in the database.

    DJANGO_SETTINGS_MODULE=healthjustice.config.settings.local \
    DATABASE_URL=sqlite:////tmp/hj_bench.sqlite3 \
    .venv/bin/python benchmarks/person_pages.py --people 100000

Migrates the database, tops it up to --people with `seed_synthetic`, signs in a practitioner
whose team works with a large share of those people, and times, through Django's test client:
a name search with a typo, a date-of-birth search, an NHS number search and the person page.
It prints the median and 95th percentile in milliseconds and the SQL queries per page, then
counts the queries again in a second, small database (--small-people, 1,000 by default) and
exits with status 1 if any page's query count depends on how many people there are.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import statistics
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.local")

import django  # noqa: E402
from support import (  # noqa: E402
    add_worker_heap_option,
    bench_practitioner,
    ensure_people,
    heap_as_in_a_worker,
    p95,
    read_queries,
    small_database,
    timed_with_floor,
)

BENCH_USERNAME = "bench.practitioner"
PAGES = (
    "name search (typo)",
    "date of birth search",
    "NHS number search",
    "PNC ID search",
    "person page",
    "episode page",
)
# The target for every search at 1,000,000 people (p95, ms); the person page has its own.
SEARCH_TARGET_P95_MS = 100
PERSON_TARGET_P95_MS = 25
TARGETS_P95_MS: dict[str, object] = {"person page": PERSON_TARGET_P95_MS}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="People in the database.")
    add_worker_heap_option(parser)
    parser.add_argument("--iterations", type=int, default=50, help="Timed requests per page.")
    parser.add_argument("--seed", type=int, default=7, help="Random seed for samples and typos.")
    parser.add_argument(
        "--small-people",
        type=int,
        default=1_000,
        help="People in the small database the query counts are compared with.",
    )
    parser.add_argument(
        "--no-compare", action="store_true", help="Skip the small-database query count."
    )
    parser.add_argument(
        "--pages",
        default="",
        help="Time only these pages (comma-separated names as printed, e.g. 'person page').",
    )
    parser.add_argument(
        "--roll-back",
        action="store_true",
        help="Run each timed request in a transaction that is rolled back, so the audit events "
        "it writes are not kept (for a shared database; the commit itself is then not timed).",
    )
    parser.add_argument(
        "--counts-only",
        action="store_true",
        help="Only count queries per page and print them as JSON (used for the small database).",
    )
    return parser.parse_args(argv)


def typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard: a swapped, dropped, doubled or wrong letter (not the first)."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    letter = rng.choice([c for c in "aeiourstnl" if c != word[i].lower()])
    return word[:i] + letter + word[i + 1 :]


@dataclass
class Sample:
    public_id: str
    name: str
    date_of_birth: Any
    nhs_number: str | None
    pnc_id: str
    episode_id: str = ""


def samples(user, rng: random.Random, count: int = 200) -> list[Sample]:
    from healthjustice.journeys.access import visible_episodes
    from healthjustice.people.access import visible_people

    rows = (
        visible_people(user)
        .exclude(nhs_number=None)
        .exclude(date_of_birth=None)
        .exclude(pnc_id="")
        .order_by("?")
        .values_list(
            "public_id", "given_name", "family_name", "date_of_birth", "nhs_number", "pnc_id"
        )[:count]
    )
    sampled = [
        Sample(str(pid), f"{given} {typo(family, rng)}", dob, nhs, pnc)
        for pid, given, family, dob, nhs, pnc in rows
    ]
    # An episode page for each: one of the person's episodes the user may see, or, for a
    # person with none, the episode of another person sampled.
    episodes = dict(
        visible_episodes(user)
        .filter(person__public_id__in=[s.public_id for s in sampled])
        .order_by("person__public_id", "referred_at")  # the latest kept
        .values_list("person__public_id", "public_id")
    )
    found = [str(e) for e in episodes.values()]
    for i, s in enumerate(sampled):
        episode = episodes.get(UUID(s.public_id))
        s.episode_id = str(episode) if episode else (found[i % len(found)] if found else "")
    return sampled


class Pages:
    def __init__(self, user, only: list[str] | None = None, *, roll_back: bool = False) -> None:
        from django.test import Client
        from django.urls import reverse

        self.client = Client()
        self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        self.search_url = reverse("people:search")
        self.reverse = reverse
        self.only = only or list(PAGES)
        self.roll_back = roll_back

    def _search(self, data: dict[str, str]) -> Any:
        response = self.client.post(self.search_url, data)
        assert response.status_code == 200, response.status_code
        return response

    def name_search(self, s: Sample) -> Any:
        return self._search({"name": s.name})

    def dob_search(self, s: Sample) -> Any:
        d = s.date_of_birth
        return self._search(
            {
                "date_of_birth_0": str(d.day),
                "date_of_birth_1": str(d.month),
                "date_of_birth_2": str(d.year),
            }
        )

    def nhs_search(self, s: Sample) -> Any:
        return self._search({"identifier": s.nhs_number or ""})

    def pnc_search(self, s: Sample) -> Any:
        return self._search({"identifier": s.pnc_id})

    def person_page(self, s: Sample) -> Any:
        response = self.client.get(self.reverse("people:detail", kwargs={"public_id": s.public_id}))
        assert response.status_code == 200, response.status_code
        return response

    def episode_page(self, s: Sample) -> Any:
        response = self.client.get(
            self.reverse("journeys:detail", kwargs={"public_id": s.episode_id})
        )
        assert response.status_code == 200, response.status_code
        return response

    def by_page(self) -> dict[str, Callable[[Sample], Any]]:
        calls = dict(
            zip(
                PAGES,
                (
                    self.name_search,
                    self.dob_search,
                    self.nhs_search,
                    self.pnc_search,
                    self.person_page,
                    self.episode_page,
                ),
                strict=True,
            )
        )
        return {page: self._kept_or_not(call) for page, call in calls.items() if page in self.only}

    def _kept_or_not(self, call: Callable[[Sample], Any]) -> Callable[[Sample], Any]:
        if not self.roll_back:
            return call

        def rolled_back(s: Sample) -> Any:
            from django.db import transaction

            with transaction.atomic():
                response = call(s)
                transaction.set_rollback(True)
            return response

        return rolled_back


def count_queries(
    pages: Pages, sample_list: list[Sample], repeats: int = 5
) -> dict[str, list[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, list[int]] = {}
    for page, call in pages.by_page().items():
        call(sample_list[0])  # the first request of a session does extra work
        seen = []
        for s in sample_list[:repeats]:
            with CaptureQueriesContext(connection) as ctx:
                call(s)
            seen.append(len(ctx.captured_queries))
        counts[page] = [min(seen), max(seen)]
    return counts


@dataclass
class Timing:
    page: list[float]
    floor: list[float]
    cpu: list[float]


def time_pages(pages: Pages, sample_list: list[Sample], iterations: int) -> dict[str, Timing]:
    """Each page's time, alternating with its floor: the same request's read queries (captured
    in a request to the same sample just before) replayed on the same connection."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings: dict[str, Timing] = {}
    for page, call in pages.by_page().items():
        for s in sample_list[:3]:
            call(s)
        times, floor, cpu = [], [], []
        for i in range(iterations):
            s = sample_list[i % len(sample_list)]
            with CaptureQueriesContext(connection) as ctx:
                call(s)
            reads = read_queries(ctx.captured_queries)
            elapsed, spent, replayed = timed_with_floor(functools.partial(call, s), reads)
            times.append(elapsed)
            cpu.append(spent)
            floor.append(replayed)
        timings[page] = Timing(times, floor, cpu)
    return timings


def name_hits(pages: Pages, sample_list: list[Sample], iterations: int) -> tuple[int, int]:
    checked = sample_list[:iterations]
    found = sum(1 for s in checked if s.public_id in pages.name_search(s).content.decode())
    return found, len(checked)


def small_counts(args: argparse.Namespace) -> dict[str, list[int]]:
    url, cleanup = small_database("hj_bench_small_")
    try:
        env = {**os.environ, "DATABASE_URL": url}
        command = [
            sys.executable,
            __file__,
            "--counts-only",
            "--people",
            str(args.small_people),
            "--seed",
            str(args.seed),
            "--pages",
            args.pages,
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        cleanup()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from healthjustice.people.access import visible_people

    # Static files are not collected for a benchmark; WhiteNoise warns about that.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    setup_test_environment(debug=False)
    call_command("migrate", verbosity=0)
    total = ensure_people(args.people)
    user, _team = bench_practitioner(BENCH_USERNAME, "Practitioner")
    rng = random.Random(args.seed)
    sample_list = samples(user, rng)
    only = [p.strip() for p in args.pages.split(",") if p.strip()] or list(PAGES)
    unknown = set(only) - set(PAGES)
    if unknown:
        raise SystemExit(f"Unknown pages: {', '.join(sorted(unknown))}; choose from {PAGES}")
    if "episode page" in only and not any(s.episode_id for s in sample_list):
        only.remove("episode page")
        print("No episode the practitioner may see: the episode page is not timed.")
    pages = Pages(user, only, roll_back=args.roll_back)
    counts = count_queries(pages, sample_list)
    if args.counts_only:
        print(json.dumps(counts))
        return 0

    visible = visible_people(user).count()
    print(
        f"{connection.vendor}: {total:,} people; the practitioner's teams see {visible:,}; "
        f"{args.iterations} requests per page"
        + ("; each request rolled back" if args.roll_back else "")
    )
    heap = heap_as_in_a_worker(args)
    load_before = os.getloadavg()[0]
    timings = time_pages(pages, sample_list, args.iterations)
    load_after = os.getloadavg()[0]
    print(f"load average (1 min) {load_before:.2f} before timing, {load_after:.2f} after; {heap}")
    print(
        f"{'page':<24}{'median ms':>11}{'p95 ms':>10}{'floor p50':>11}{'floor p95':>11}"
        f"{'ratio p50':>11}{'target p95':>12}{'queries':>10}{'CPU p50':>9}{'CPU p95':>9}"
    )
    for page in timings:
        low, high = counts[page]
        queries = str(low) if low == high else f"{low}-{high}"
        target = TARGETS_P95_MS.get(page, SEARCH_TARGET_P95_MS if "search" in page else "-")
        t = timings[page]
        ratio = statistics.median(t.page) / max(statistics.median(t.floor), 0.001)
        print(
            f"{page:<24}{statistics.median(t.page):>11.1f}{p95(t.page):>10.1f}"
            f"{statistics.median(t.floor):>11.1f}{p95(t.floor):>11.1f}{ratio:>11.1f}"
            f"{target:>12}{queries:>10}{statistics.median(t.cpu):>9.1f}{p95(t.cpu):>9.1f}"
        )
    print(
        "CPU: this process's CPU time during the page (Python, not waiting), steadier than "
        "the clock on a busy machine; the floor is the same request's reads replayed."
    )
    if "name search (typo)" in timings:
        found, tried = name_hits(pages, sample_list, args.iterations)
        print(
            f"Name searches with a typo that found the person: {found} of {tried} "
            f"at {total:,} people (target: at least 49 of 50, at 100,000 and at 1,000,000)"
        )

    if args.no_compare:
        return 0
    small = small_counts(args)
    differs = [page for page in counts if small[page] != counts[page]]
    print(
        f"Queries per page with {args.small_people:,} people: "
        + ", ".join(f"{page} {'-'.join(map(str, sorted(set(small[page]))))}" for page in counts)
    )
    if differs:
        print("Query counts depend on the number of people for: " + ", ".join(differs))
        return 1
    print(f"Query counts are the same with {args.small_people:,} and {total:,} people.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
