"""Load ONS Census 2021 TS021 (ethnic group) for the local authorities of the service's regions.

    manage.py load_census_ethnicity census2021-ts021-ltla.csv
    manage.py load_census_ethnicity census2021-ts021-utla.csv --skip-unmapped

The file is the CSV as ONS publishes it (Nomis bulk download, one row per area). Every area in
it must be a local authority mapped to a region (admin: Equity, local authorities), unless
--skip-unmapped, which loads the mapped ones from a national file and says how many were left
out. Any error stops the load with nothing stored; loading the same file again gives the same
figures.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from healthjustice.equity.services import TS021_SOURCE, census_ethnicity_load


class Command(BaseCommand):
    help = "Load Census 2021 TS021 ethnic group counts for the mapped local authorities."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the TS021 CSV as published")
        parser.add_argument(
            "--skip-unmapped",
            action="store_true",
            help="leave out areas mapped to no region (for the national file)",
        )
        parser.add_argument("--source", default="", help="where the file came from")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not a UTF-8 CSV file") from exc
        source = options["source"] or f"{TS021_SOURCE}, file {path.name}"
        try:
            result = census_ethnicity_load(
                actor=None, text=text, source=source, skip_unmapped=options["skip_unmapped"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Loaded {result.rows} figures for {result.authorities} local authorities."
        )
        if result.skipped:
            self.stdout.write(f"Left out {len(result.skipped)} areas mapped to no region.")
