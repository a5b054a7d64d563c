"""Rewrite the worklist's read model from the records: after a bulk load (COPY, bulk_create or
QuerySet.update bypass the receivers that keep it), or to repair it."""

from typing import Any

from django.core.management.base import BaseCommand

from healthjustice.worklist.entries import timed_rebuild


class Command(BaseCommand):
    help = "Rewrite every row of the worklist's read model from the episodes' records."

    def handle(self, *args: Any, **options: Any) -> None:
        timed_rebuild(self.stdout.write)
