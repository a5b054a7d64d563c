"""Bulk synthetic people for load tests and benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthjustice.demo.synthetic import DEFAULT_BATCH, DEFAULT_PRIMARY_SHARE, seed_synthetic


class Command(BaseCommand):
    help = (
        "Add synthetic people (with other names, search names and care relationships to the "
        "existing teams) in bulk, for load tests. Makes a team if there is none."
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

    def handle(self, *args, **options) -> None:
        if options["people"] < 1:
            raise CommandError("--people must be at least 1")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1")
        if not 0 <= options["primary_share"] <= 1:
            raise CommandError("--primary-share must be between 0 and 1")
        started = time.perf_counter()
        log = self.stdout.write if options["verbosity"] > 0 else None
        added = seed_synthetic(
            people=options["people"],
            batch=options["batch"],
            seed=options["seed"],
            primary_share=options["primary_share"],
            log=log,
        )
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {added:,} synthetic people in {time.perf_counter() - started:.1f} s."
                )
            )
