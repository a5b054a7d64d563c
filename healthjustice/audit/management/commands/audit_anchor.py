"""`manage.py audit_anchor --out FILE`: copy the chain head out of the database."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthjustice.audit.anchors import AnchorError, anchor_line, current_anchor, write_anchor


class Command(BaseCommand):
    help = (
        "Write the audit chain head (row number, hash, time of the last event, time anchored) "
        "as one line of JSON, to keep outside the database. `manage.py audit_verify --anchor "
        "FILE` then finds a rewrite of the trail, even one that recomputed every hash."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            required=True,
            metavar="FILE",
            help="Where to write the anchor; - for standard output. An existing file is never "
            "overwritten.",
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add the anchor as a new line to FILE (JSON Lines), creating it if need be.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: str = options["out"]
        if out == "-" and options["append"]:
            raise CommandError("--append needs a file: it cannot add to standard output.")
        try:
            document = current_anchor()
            if out == "-":
                self.stdout.write(anchor_line(document), ending="")
                return
            write_anchor(out, document, append=options["append"])
        except AnchorError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Anchored the audit trail at row {document['seq']} in {out}")
