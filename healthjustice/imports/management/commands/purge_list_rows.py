"""`manage.py purge_list_rows`: delete list rows of people never taken on, once expired."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from ...services import list_rows_purge


class Command(BaseCommand):
    help = (
        "Delete rows of custody, court and release lists whose person was never taken on, "
        "once older than HJ_LIST_RETENTION_DAYS (default 30). Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep rows this many days (default {settings.HJ_LIST_RETENTION_DAYS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = list_rows_purge(days=options["days"])
        self.stdout.write(f"Deleted {deleted} list {'row' if deleted == 1 else 'rows'}.")
