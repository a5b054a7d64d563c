"""`manage.py import_list --kind custody|court|release --team NAME --file F`."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Team

from ...choices import ListKind
from ...formats import max_bytes, too_big_message
from ...services import list_import


class Command(BaseCommand):
    help = (
        "Import a custody, court or prison release list (CSV, docs/imports.md) for a team, as "
        "the upload page does: every row checked, valid new rows kept in one transaction, "
        "refused rows listed with their line and reason; the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=ListKind.values)
        parser.add_argument("--team", required=True, metavar="NAME", help="The team's name.")
        parser.add_argument("--file", required=True, metavar="F", help="The CSV file.")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Import as this member of the team (their permissions are checked and rows "
            "are matched as they would see them); without it the import is the service's own.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        teams = list(Team.objects.filter(name=options["team"], is_active=True)[:2])
        if len(teams) != 1:
            raise CommandError(
                f"No active team is called {options['team']!r}."
                if not teams
                else f"More than one active team is called {options['team']!r}."
            )
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user is called {options['user']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        size = path.stat().st_size
        if size > max_bytes():
            # Refused before reading any of it.
            raise CommandError(too_big_message(size))
        try:
            result = list_import(
                actor=actor,
                team=teams[0],
                kind=options["kind"],
                file_name=path.name,
                data=path.read_bytes(),
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if result.same_file:
            self.stdout.write("This file was imported before: nothing changed.")
            return
        for error in result.errors:
            self.stdout.write(error.message)
        self.stdout.write(result.summary + ".")
