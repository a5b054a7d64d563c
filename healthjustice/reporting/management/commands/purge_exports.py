"""Delete data-return files once they are older than the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from healthjustice.reporting.services import data_return_exports_purge


class Command(BaseCommand):
    help = (
        "Delete the files of data-return exports finished more than --days days ago "
        "(HJ_EXPORT_RETENTION_DAYS, 7 by default). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep files this many days")

    def handle(self, *args, **options):
        days = options["days"]
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more")
        purged = data_return_exports_purge(older_than_days=days)
        kept = settings.HJ_EXPORT_RETENTION_DAYS if days is None else days
        self.stdout.write(f"Deleted {purged} export files older than {kept} days")
