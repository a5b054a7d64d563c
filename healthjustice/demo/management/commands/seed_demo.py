"""Load the synthetic demo data: organisations, teams, sites, sign-ins and people."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.db.models import ProtectedError, RestrictedError

from healthjustice.demo.accounts import (
    account_lines,
    demo_password,
    replace_previous_default_passwords,
)
from healthjustice.demo.loader import (
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    demo_loaded,
    load_demo,
    reset_demo,
)
from healthjustice.worklist.entries import rebuild_entries


class Command(BaseCommand):
    help = (
        "Load the synthetic demo data (two regions, their teams and sites, one sign-in per role "
        "per region, and synthetic people). Safe to run again: nothing is added twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, default=DEFAULT_PEOPLE, help="How many people (default 300)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo data is already loaded.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove demo accounts and demo people first, then load again.",
        )
        parser.add_argument(
            "--list-accounts",
            action="store_true",
            help="Print username, password, role and team of each demo account (tab-separated).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same people)."
        )

    def handle(self, *args, **options) -> None:
        if options["list_accounts"]:
            self._list_accounts()
            return
        if options["people"] < 0:
            raise CommandError("--people must be 0 or more")
        if options["reset"]:
            try:
                people, users = reset_demo()
            except (ProtectedError, RestrictedError) as exc:
                raise CommandError(
                    "Some records still refer to demo accounts or people, so the demo data "
                    f"cannot be removed: {exc.args[0]}"
                ) from exc
            self.stdout.write(f"Removed {people} demo people and {users} demo accounts.")
        elif options["if_empty"] and demo_loaded():
            try:
                replace_previous_default_passwords(demo_password())
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        try:
            ctx, fresh = load_demo(
                people=options["people"], seed=options["seed"], log=self.stdout.write
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        # Some of the demo is written in bulk, past the receivers that keep the worklist's rows.
        rebuild_entries()
        if fresh:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded demo data: {len(ctx.regions)} regions, {len(ctx.teams)} teams, "
                    f"{len(ctx.users)} accounts, {len(ctx.people)} people."
                )
            )
        else:
            self.stdout.write(
                "Demo data was already loaded: reference data and accounts checked, no people "
                "added. Use --reset to load it again."
            )
        self.stdout.write("Demo sign-ins: manage.py seed_demo --list-accounts")

    def _list_accounts(self) -> None:
        try:
            loaded = demo_loaded()
        except DatabaseError as exc:
            raise CommandError(
                "No demo data is loaded: the database is not set up. Run: manage.py migrate",
                returncode=1,
            ) from exc
        if not loaded:
            raise CommandError(
                "No demo data is loaded. Load it with: manage.py seed_demo", returncode=1
            )
        for line in account_lines(demo_password()):
            self.stdout.write(line)
