"""Bulk synthetic people for load tests and benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from healthjustice.demo.synthetic import (
    DEFAULT_AUDIT_PER_PERSON,
    DEFAULT_BATCH,
    DEFAULT_EPISODES_PER_PERSON,
    DEFAULT_PRIMARY_SHARE,
    DEFAULT_SCREENING_SHARE,
    INDEX_CHOICES,
    REBUILD_AT_LEAST,
    seed_synthetic,
)
from healthjustice.worklist.entries import timed_rebuild


class Command(BaseCommand):
    help = (
        "Add synthetic people (with other names, search names, care relationships to the "
        "existing teams, episodes with their status rows, screenings and audit events) in bulk, "
        "for load tests: COPY on PostgreSQL. Makes a team if there is none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="How many people to add.")
        parser.add_argument(
            "--batch",
            type=int,
            default=DEFAULT_BATCH,
            help=f"People per transaction (default {DEFAULT_BATCH}).",
        )
        parser.add_argument("--seed", type=int, default=None, help="Random seed.")
        parser.add_argument(
            "--primary-share",
            type=float,
            default=DEFAULT_PRIMARY_SHARE,
            help="Share of people linked to the first team (default 0.5).",
        )
        parser.add_argument(
            "--episodes-per-person",
            type=float,
            default=DEFAULT_EPISODES_PER_PERSON,
            help=(
                f"Episodes a person on average (default {DEFAULT_EPISODES_PER_PERSON}); each "
                "with its status rows, one for every stage it passed."
            ),
        )
        parser.add_argument(
            "--screening-share",
            type=float,
            default=DEFAULT_SCREENING_SHARE,
            help=(
                "Share of the episodes that reached screening with a screening recorded "
                f"(default {DEFAULT_SCREENING_SHARE})."
            ),
        )
        parser.add_argument(
            "--audit-per-person",
            type=int,
            default=DEFAULT_AUDIT_PER_PERSON,
            help=(
                f"Audit events a person (default {DEFAULT_AUDIT_PER_PERSON}), appended to the "
                "audit chain."
            ),
        )

        parser.add_argument(
            "--indexes",
            default="auto",
            help=(
                "auto, rebuild or keep (default auto). rebuild, on PostgreSQL only: drop the "
                "loaded tables' secondary indexes, unique constraints and foreign keys, load, "
                "and make them again as they were, all in one transaction that holds an ACCESS "
                "EXCLUSIVE lock on those tables until it commits (for a load-test database, not "
                "a live service). keep: leave them, one transaction per batch. auto: rebuild on "
                f"PostgreSQL when adding at least {REBUILD_AT_LEAST:,} people and at least as "
                "many as the database holds, else keep."
            ),
        )

    def handle(self, *args, **options) -> None:
        if options["people"] < 1:
            raise CommandError("--people must be at least 1")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1")
        if not 0 <= options["primary_share"] <= 1:
            raise CommandError("--primary-share must be between 0 and 1")
        if not 0 <= options["episodes_per_person"] <= 20:
            raise CommandError("--episodes-per-person must be between 0 and 20")
        if not 0 <= options["screening_share"] <= 1:
            raise CommandError("--screening-share must be between 0 and 1")
        if options["audit_per_person"] < 0:
            raise CommandError("--audit-per-person must be 0 or more")
        if options["indexes"] not in INDEX_CHOICES:
            raise CommandError(
                f"--indexes must be one of {', '.join(INDEX_CHOICES)}, not {options['indexes']!r}"
            )
        if options["indexes"] == "rebuild" and connection.vendor != "postgresql":
            raise CommandError(
                f"--indexes rebuild works on PostgreSQL only; this database is {connection.vendor}"
                " (use keep or auto)"
            )
        started = time.perf_counter()
        log = self.stdout.write if options["verbosity"] > 0 else None
        added = seed_synthetic(
            people=options["people"],
            batch=options["batch"],
            seed=options["seed"],
            primary_share=options["primary_share"],
            episodes_per_person=options["episodes_per_person"],
            screening_share=options["screening_share"],
            audit_per_person=options["audit_per_person"],
            indexes=options["indexes"],
            log=log,
        )
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {added:,} synthetic people in {time.perf_counter() - started:.1f} s."
                )
            )
        # COPY and bulk_create bypass the receivers that keep the worklist's rows.
        timed_rebuild(self.stdout.write if options["verbosity"] > 0 else _quiet)


def _quiet(line: str) -> None:
    """Writes nothing (verbosity 0)."""
