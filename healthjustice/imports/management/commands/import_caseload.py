"""`manage.py import_caseload --file F --team NAME --user USERNAME [--dry-run] [--batch N]`."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Team

from ...formats import max_bytes, too_big_message
from ...services import (
    ALREADY,
    CREATE,
    MATCH,
    REFUSE,
    TRANSFER_BATCH,
    TransferOutcome,
    TransferReport,
    TransferStopped,
    caseload_transfer,
)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Import a previous provider's caseload (CSV, docs/imports.md) for an L&D team: the "
        "whole file is checked first, each row matched against the whole register so nobody "
        "is registered twice, then imported a batch a transaction. Running the same file "
        "again skips rows already imported. --dry-run says what would happen and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", required=True, metavar="F", help="The CSV file.")
        parser.add_argument("--team", required=True, metavar="NAME", help="The team's name.")
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help="Import as this member of the team: people are registered and episodes "
            "opened in their name, with their permissions checked, and audited as theirs.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report; write nothing.")
        parser.add_argument(
            "--batch",
            type=int,
            default=TRANSFER_BATCH,
            metavar="N",
            help=f"Rows a transaction (default {TRANSFER_BATCH}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        teams = list(Team.objects.filter(name=options["team"], is_active=True)[:2])
        if len(teams) != 1:
            raise CommandError(
                f"No active team is called {options['team']!r}."
                if not teams
                else f"More than one active team is called {options['team']!r}."
            )
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user is called {options['user']!r}.")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        size = path.stat().st_size
        if size > max_bytes():
            raise CommandError(too_big_message(size))
        dry_run = options["dry_run"]
        try:
            report = caseload_transfer(
                actor=actor,
                team=teams[0],
                data=path.read_bytes(),
                dry_run=dry_run,
                batch_size=options["batch"],
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except TransferStopped as exc:
            self._outcomes(exc.report, dry_run=False)
            raise CommandError(
                f"Stopped at line {exc.line}: {exc.reason}. {self._totals(exc.report, False)} "
                f"in {_plural(exc.report.batches, 'batch')} before it stay imported; the batch "
                "holding that line was rolled back. Put the problem right and run the same "
                "file again: rows already imported are skipped."
            ) from None
        if report.errors:
            for error in report.errors:
                self.stdout.write(error.message)
            message = (
                f"{_plural(len(report.errors), 'row')} of {report.rows_in_file} cannot be "
                "imported; nothing was imported. Correct the file and run again."
            )
            if dry_run:
                self.stdout.write(message)
                return
            raise CommandError(message)
        self._outcomes(report, dry_run=dry_run)
        self.stdout.write(self._totals(report, dry_run) + ".")

    def _outcomes(self, report: TransferReport, *, dry_run: bool) -> None:
        for outcome in report.outcomes:
            self.stdout.write(self._line(outcome, dry_run))

    @staticmethod
    def _line(o: TransferOutcome, dry_run: bool) -> str:
        # Records are named by their public id only: no names in the output.
        head = f"Line {o.line} ({o.reference}): "
        if o.action == CREATE:
            verb = "would register" if dry_run else "registered"
            said = f"{verb} a new person and open an L&D episode"
            if not dry_run and o.person is not None:
                said = f"registered person {o.person.public_id} and opened an L&D episode"
            return head + said
        if o.action == MATCH:
            assert o.person is not None
            verb = "would open" if dry_run else "opened"
            return head + f"matches person {o.person.public_id}; {verb} an L&D episode for them"
        if o.action == ALREADY:
            return head + "already imported; skipped"
        return head + f"refused: {o.reason}"

    @staticmethod
    def _totals(report: TransferReport, dry_run: bool) -> str:
        created, matched = report.count(CREATE), report.count(MATCH)
        episodes = created + matched
        people = f"{created} {'person' if created == 1 else 'people'}"
        if dry_run:
            return (
                f"Dry run, nothing written: would register {people}"
                f", match {matched} to existing records, open "
                f"{_plural(episodes, 'episode')}; {report.count(REFUSE)} refused; "
                f"{report.count(ALREADY)} already imported"
            )
        return (
            f"Registered {people}, matched {matched} to existing records, "
            f"opened {_plural(episodes, 'episode')}; {report.count(REFUSE)} refused; "
            f"{report.count(ALREADY)} already imported"
        )
