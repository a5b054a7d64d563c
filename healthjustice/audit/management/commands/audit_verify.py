"""`manage.py audit_verify`: check the whole hash chain; exit 1 naming the first broken row."""

import sys

from django.core.management.base import BaseCommand

from healthjustice.audit.verification import CHUNK_SIZE, verify_trail


class Command(BaseCommand):
    help = (
        "Check every audit row links to the previous one and hashes true, and that the chain "
        "head matches the last row. Exits 1, naming the first broken row, when any row was "
        "altered, removed or inserted."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"Rows fetched from the database at a time (default {CHUNK_SIZE}).",
        )

    def handle(self, *args, **options) -> None:
        report = verify_trail(chunk_size=max(1, options["chunk_size"]))
        if report.problem is not None:
            self.stderr.write(
                f"Audit trail broken at row {report.problem.seq}: {report.problem.message}"
            )
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {report.rows} rows"))
