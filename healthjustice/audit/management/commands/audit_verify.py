"""`manage.py audit_verify`: check the whole hash chain; exit 1 naming the first broken row."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from healthjustice.audit.anchors import AnchorError, check_anchors, read_anchor_file
from healthjustice.audit.services import record_verification
from healthjustice.audit.tasks import schedule_verification
from healthjustice.audit.verification import CHUNK_SIZE, verify_trail

# Exit statuses: the trail is broken; or it could not be checked, or the result not recorded.
BROKEN = 1
NOT_CHECKED = 2


class Command(BaseCommand):
    help = (
        "Check every audit row links to the previous one and hashes true, and that the chain "
        "head matches the last row; with --anchor, also that every anchored row is unchanged. "
        "Exits 1, naming the first broken row, when any row was altered, removed or inserted. "
        "Each run is recorded in the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"Rows fetched from the database at a time (default {CHUNK_SIZE}).",
        )
        parser.add_argument(
            "--anchor",
            metavar="FILE",
            help="An anchor file written by audit_anchor (one JSON document, or JSON Lines): "
            "every anchor in it must still be in the trail with the same hash.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = None
        if options["anchor"]:
            try:
                anchors = read_anchor_file(options["anchor"])
            except AnchorError as exc:
                raise CommandError(
                    f"{exc} The audit trail was not checked.", returncode=NOT_CHECKED
                ) from None

        report = verify_trail(chunk_size=max(1, options["chunk_size"]))
        anchor_report = check_anchors(anchors) if anchors is not None else None
        problems = sorted(
            (p for p in (report.problem, anchor_report and anchor_report.problem) if p),
            key=lambda p: p.seq,
        )
        anchors_checked = anchor_report.checked if anchor_report else 0
        recorded = True
        try:
            record_verification(
                rows_checked=report.rows,
                anchors_checked=anchors_checked,
                problem=problems[0] if problems else None,
            )
        except DatabaseError as exc:
            recorded = False
            self.stderr.write(f"The result could not be recorded in the audit trail: {exc}")
        else:
            # The background worker's scheduled check starts from here if none is waiting.
            try:
                schedule_verification()
            except DatabaseError as exc:
                self.stderr.write(f"The next scheduled check could not be queued: {exc}")

        for problem in problems:
            self.stderr.write(f"Audit trail broken at row {problem.seq}: {problem.message}")
        if problems:
            sys.exit(BROKEN)
        checked = f"{report.rows} {'row' if report.rows == 1 else 'rows'}"
        if anchor_report:
            noun = "anchor" if anchors_checked == 1 else "anchors"
            checked += f", {anchors_checked} {noun} match"
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked}"))
        if not recorded:
            sys.exit(NOT_CHECKED)
