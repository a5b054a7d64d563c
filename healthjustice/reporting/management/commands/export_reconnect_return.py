"""Write the RECONNECT monthly return for one region to a CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.reporting.data_return import DataReturnError, check_output_path, find_region
from healthjustice.reporting.periods import Month
from healthjustice.reporting.reconnect_return import write_reconnect_return_file


class Command(BaseCommand):
    help = (
        "Write the RECONNECT monthly return (one row per RECONNECT episode active in the month "
        "in the region; no names, NHS numbers or dates of birth) to a CSV file. "
        "The columns are described in docs/reconnect-return.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="The month, as YYYY-MM")
        parser.add_argument("--region", required=True, help="The region's name")
        parser.add_argument("--out", required=True, help="The CSV file to write")

    def handle(self, *args, **options):
        try:
            month = Month.parse(options["month"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        out = Path(options["out"]).expanduser().absolute()
        try:
            region = find_region(options["region"])
            check_output_path(out)
            rows = write_reconnect_return_file(out, region, month)
        except DataReturnError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Could not write {out}: {exc.strerror or exc}") from exc
        audit_record(
            actor=None,
            action=Action.EXPORT,
            object_type="data_return",
            detail={
                "region": region.name,
                "month": month.key,
                "rows": rows,
                "via": "command",
                "return": "reconnect",
            },
        )
        self.stdout.write(f"Wrote {rows} rows for {region.name}, {month.label} to {out}")
