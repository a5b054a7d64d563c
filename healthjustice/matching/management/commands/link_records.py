"""manage.py link_records --in RECORDS.csv --out CLUSTERS.csv: cluster a file of person records
from custody, court, prison and community lists into one cluster per person (docs/matching.md)."""

from __future__ import annotations

import resource
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthjustice.matching.linkage import link_file
from healthjustice.matching.model_store import DEFAULT_MODEL, ModelFileError
from healthjustice.matching.records_file import RecordsFileError


def _probability(value: str) -> float:
    number = float(value)
    if not 0.5 <= number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Cluster a CSV of person records into one cluster per person (docs/matching.md). "
        "Runs in one process: blocking, scoring and clustering are numpy array operations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--in", dest="source", required=True, type=Path, help="RECORDS.csv")
        parser.add_argument("--out", dest="target", required=True, type=Path, help="CLUSTERS.csv")
        parser.add_argument(
            "--threshold",
            type=_probability,
            default=0.9,
            help="match probability at or above which two records are linked (0.5 to 0.99)",
        )
        parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="model JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"]
        target: Path = options["target"]
        if source.resolve() == target.resolve():
            raise CommandError("--out must not be the --in file.")
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        started = time.perf_counter()
        try:
            report = link_file(
                source,
                target,
                threshold=options["threshold"],
                model_path=options["model"],
                say=self.stdout.write,
            )
        except (RecordsFileError, ModelFileError) as error:
            raise CommandError(f"{error} Nothing was written.") from None
        problems = report.problems.describe()
        if problems:
            self.stdout.write(
                "values not in their documented form, read where their meaning is clear "
                "(01/02/1985, a short PNC ID) and otherwise left out of the comparison:"
            )
            for line in problems:
                self.stdout.write(f"  {line}")
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"records {report.records:,}; pairs scored {report.pairs_scored:,}; "
            f"links {report.links:,}; clusters {report.clusters:,}"
        )
        self.stdout.write(
            f"total {time.perf_counter() - started:.1f} s; peak memory "
            f"{peak_mib:,.0f} MiB; written to {target}"
        )
