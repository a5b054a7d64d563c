"""Importing a list, taking someone on from a row, and deleting rows nobody took on."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.bulk import TableWriter
from healthjustice.journeys.access import working_team_ids
from healthjustice.journeys.choices import EpisodeSetting, ReferralSource
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import open_only
from healthjustice.journeys.services import episode_open
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.access import person_is_visible_to
from healthjustice.people.models import Person
from healthjustice.people.selectors import person_search
from healthjustice.people.services import person_register
from healthjustice.reconnect.services import referral_from_release

from . import selectors
from .caseload import CaseloadRow, read_caseload
from .choices import ListKind, MatchState
from .formats import ListFileError, ParsedRow, RowError, file_digest, read_list
from .models import ImportedList, ListRow, TransferredRow

# The pathway a team must have to take on each kind of list.
PATHWAY_FOR: dict[str, str] = {
    ListKind.CUSTODY: Pathway.LIAISON_DIVERSION,
    ListKind.COURT: Pathway.LIAISON_DIVERSION,
    ListKind.RELEASE: Pathway.RECONNECT,
}


@dataclass
class ImportResult:
    imported_list: ImportedList | None
    errors: list[RowError] = field(default_factory=list)
    added: int = 0
    already: int = 0
    same_file: bool = False  # this very file was imported before: nothing was done

    @property
    def summary(self) -> str:
        parts = [f"{self.added} {'row' if self.added == 1 else 'rows'} added"]
        if self.already:
            parts.append(f"{self.already} already imported from an earlier list")
        if self.errors:
            parts.append(f"{len(self.errors)} refused")
        return ", ".join(parts)


def _check_team(actor: User | None, team: Team, kind: str) -> None:
    if actor is not None:
        if not has_permission(actor, Permission.LIST_IMPORT):
            raise PermissionDenied("You may not upload lists.")
        if team.pk not in working_team_ids(actor):
            raise PermissionDenied(f"You can only upload lists for a team you work in, not {team}.")
    if not team.is_active:
        raise ValidationError({"team": f"{team.name} is no longer active"})
    if team.pathway != PATHWAY_FOR[kind]:
        raise ValidationError(
            {
                "team": f"A {ListKind(kind).label.lower()} is for a "
                f"{Pathway(PATHWAY_FOR[kind]).label} team; {team.name} is not one"
            }
        )


def list_import(
    *,
    actor: User | None,
    team: Team,
    kind: str,
    file_name: str,
    data: bytes,
    request: HttpRequest | None = None,
) -> ImportResult:
    """Read a whole file, then keep its valid new rows in one transaction.

    A file that cannot be a list of this kind raises ValidationError({"file": ...}) and nothing
    is written. Rows already imported (by key) are counted, not written again; the same file a
    second time changes nothing. `actor` is None only for the management command.
    """
    if kind not in ListKind.values:
        raise ValidationError({"kind": "Choose the kind of list: custody, court or release"})
    _check_team(actor, team, kind)
    digest = file_digest(data)
    earlier = ImportedList.objects.filter(team=team, kind=kind, file_sha256=digest).first()
    if earlier is not None:
        return ImportResult(earlier, same_file=True, already=earlier.rows_added)
    try:
        read = read_list(kind, team, data)
    except ListFileError as exc:
        audit_record(
            actor=actor,
            request=request,
            action=Action.CREATE,
            object_type="imported_list",
            detail={"team": str(team.public_id), "kind": kind, "refused": True},
        )
        raise ValidationError({"file": str(exc)}) from exc
    with transaction.atomic():
        known = set(
            ListRow.objects.filter(key__in=[r.key for r in read.rows]).values_list("key", flat=True)
        )
        fresh = [r for r in read.rows if r.key not in known]
        if not fresh:
            return ImportResult(None, read.errors, 0, len(read.rows) - len(fresh))
        imported = ImportedList.objects.create(
            team=team,
            kind=kind,
            uploaded_by=actor,
            file_name=file_name[:200],
            file_sha256=digest,
            rows_in_file=read.rows_in_file,
            rows_added=len(fresh),
            rows_already=len(read.rows) - len(fresh),
            rows_refused=len(read.errors),
            errors=[e.as_dict() for e in read.errors],
        )
        states = [MatchState.NEW] * len(fresh)
        if actor is not None:
            states = [m.state for m in selectors.match_rows(actor, fresh, load_people=False)]
        _write_rows(imported, fresh, states)
        audit_record(
            actor=actor,
            request=request,
            action=Action.CREATE,
            object_type="imported_list",
            object_id=str(imported.public_id),
            detail={
                "team": str(team.public_id),
                "kind": kind,
                "rows_added": imported.rows_added,
                "rows_already": imported.rows_already,
                "rows_refused": imported.rows_refused,
            },
        )
    return ImportResult(imported, read.errors, len(fresh), imported.rows_already)


# A list's row as written: these fields of each parsed row, in this order.
_ROW_FIELDS = (
    "key",
    "line",
    "site",
    "reference",
    "courtroom",
    "event_at",
    "release_on",
    "given_name",
    "family_name",
    "date_of_birth",
    "pnc_id",
    "nhs_number",
    "prison_number",
    "postcode",
    "no_fixed_abode",
    "offence_category",
    "offence",
    "release_type",
)


def _write_rows(imported: ImportedList, rows: list[ParsedRow], states: Sequence[str]) -> None:
    """The list's new rows, written as one COPY on PostgreSQL (a list's thousands of rows
    took most of a second through bulk_create), bulk_create elsewhere."""
    fields = ("public_id", "imported_list", "team", "kind", "match_state", *_ROW_FIELDS)
    list_id, team_id, kind = imported.pk, imported.team_id, imported.kind
    TableWriter().write(
        ListRow,
        fields,
        [
            (
                uuid.uuid4(),
                list_id,
                team_id,
                kind,
                state,
                *(getattr(row, name) for name in _ROW_FIELDS[:2]),
                row.site.pk,
                *(getattr(row, name) for name in _ROW_FIELDS[3:]),
            )
            for row, state in zip(rows, states, strict=True)
        ],
    )


def _register_from_row(actor: User, row: ListRow, request: HttpRequest | None) -> Person:
    data: dict[str, Any] = {
        "given_name": row.given_name,
        "family_name": row.family_name,
        "date_of_birth": row.date_of_birth,
        "pnc_id": row.pnc_id,
        "prison_number": row.prison_number,
        "postcode": row.postcode,
        "no_fixed_abode": row.no_fixed_abode,
    }
    if row.nhs_number:
        data["nhs_number"] = row.nhs_number
    else:
        data["nhs_number"] = None
        data["nhs_number_missing_reason"] = "not_traced"
    return person_register(actor=actor, team=row.team, data=data, request=request)  # type: ignore[arg-type]


def _open_custody(
    actor: User, row: ListRow, person: Person, request: HttpRequest | None
) -> Episode:
    assert row.event_at is not None  # a custody row always has its arrival time
    return episode_open(
        actor=actor,
        person=person,
        team=row.team,
        setting=EpisodeSetting.POLICE_CUSTODY,
        referral_source=ReferralSource.CUSTODY_SERGEANT,
        referred_at=timezone.now(),
        reason=f"Named on the custody list of {row.site.name}",
        site=row.site,
        cj_details={
            "custody_record_reference": row.reference,
            "arrived_in_custody_at": row.event_at,
            "offence_category": row.offence_category,
        },
        request=request,
    )


def _court_setting(row: ListRow) -> str:
    name = row.site.name.casefold()
    if "crown" in name:
        return EpisodeSetting.CROWN_COURT
    if "youth" in name:
        return EpisodeSetting.YOUTH_COURT
    return EpisodeSetting.MAGISTRATES_COURT


def _open_court(actor: User, row: ListRow, person: Person, request: HttpRequest | None) -> Episode:
    reason = f"Named on the court list of {row.site.name}"
    if row.courtroom:
        reason += f", courtroom {row.courtroom}"
    return episode_open(
        actor=actor,
        person=person,
        team=row.team,
        setting=_court_setting(row),
        referral_source=ReferralSource.COURT_STAFF,
        referred_at=timezone.now(),
        reason=reason,
        site=row.site,
        cj_details={"court": row.site, "hearing_at": row.event_at},
        request=request,
    )


@transaction.atomic
def row_take_on(
    *,
    actor: User,
    row: ListRow,
    person: Person | None = None,
    request: HttpRequest | None = None,
) -> ListRow:
    """Turn a row into an episode with its context: custody and court rows open an L&D episode,
    a release row makes a RECONNECT referral. Without `person` the row's person is registered
    (only when the register holds no one like them the actor could see or is not shown)."""
    if not has_permission(actor, Permission.LIST_IMPORT):
        raise PermissionDenied("You may not work on lists.")
    if row.team_id not in working_team_ids(actor):
        raise PermissionDenied("You can only work on your own team's lists.")
    locked = ListRow.objects.select_for_update().select_related("team", "site").get(pk=row.pk)
    if locked.taken_on_at is not None:
        raise ValidationError("Someone has already taken this person on from the list.")
    match = selectors.row_match(actor, locked)
    if person is None:
        if match.state not in (MatchState.NEW, MatchState.POSSIBLE):
            raise ValidationError(
                "The register may already hold this person, so a new record is not made: "
                "choose the record, or ask the team that holds it."
            )
        person = _register_from_row(actor, locked, request)
    elif not person_is_visible_to(actor, person) or person.pk not in {p.pk for p in match.people}:
        raise ValidationError("Choose one of the records the list row was matched to.")
    if locked.kind == ListKind.CUSTODY:
        episode = _open_custody(actor, locked, person, request)
    elif locked.kind == ListKind.COURT:
        episode = _open_court(actor, locked, person, request)
    else:
        assert locked.release_on is not None  # a release row always has its date
        referral = referral_from_release(
            actor=actor,
            person=person,
            team=locked.team,
            establishment=locked.site,
            expected_release_on=locked.release_on,
            release_type=locked.release_type,
            list_name=f"the release list of {locked.site.name}",
            request=request,
        )
        episode = referral.episode
    locked.person = person
    locked.episode = episode
    locked.taken_on_at = timezone.now()
    locked.taken_on_by = actor
    locked.save(update_fields=["person", "episode", "taken_on_at", "taken_on_by"])
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="list_row",
        object_id=str(locked.public_id),
        fields_changed=["taken_on"],
        detail={"person": str(person.public_id), "episode": str(episode.public_id)},
    )
    return locked


@transaction.atomic
def list_rows_purge(*, now: Any = None, days: int | None = None) -> int:
    """Delete rows of people never taken on once they are older than the retention period."""
    keep_days = settings.HJ_LIST_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    stale = ListRow.objects.filter(taken_on_at__isnull=True, created_at__lt=cutoff)
    deleted, _ = stale.delete()
    if deleted:
        audit_record(
            actor=None,
            action=Action.DELETE,
            object_type="list_row",
            detail={"rows": deleted, "older_than_days": keep_days},
        )
    return deleted


# Caseload transfer: a previous provider's people and open episodes (docs/imports.md).

CREATE, MATCH, REFUSE, ALREADY = "create", "match", "refuse", "already"
TRANSFER_BATCH = 200


@dataclass
class TransferOutcome:
    line: int
    reference: str
    action: str  # CREATE, MATCH, REFUSE or ALREADY
    person: Person | None = None  # the matched (or, once imported, created) record
    episode: Episode | None = None
    reason: str = ""  # why a row is refused


@dataclass
class TransferReport:
    rows_in_file: int = 0
    errors: list[RowError] = field(default_factory=list)
    outcomes: list[TransferOutcome] = field(default_factory=list)
    batches: int = 0  # batches committed

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)


class TransferStopped(Exception):
    """A batch failed and was rolled back; the batches before it stay imported."""

    def __init__(self, report: TransferReport, line: int, reason: str) -> None:
        super().__init__(f"Line {line}: {reason}")
        self.report = report
        self.line = line
        self.reason = reason


def _check_transfer_team(actor: User, team: Team) -> None:
    if not has_permission(actor, Permission.PERSON_CREATE):
        raise PermissionDenied(f"{actor.username} may not register people.")
    if team.pk not in working_team_ids(actor):
        raise PermissionDenied(
            f"A caseload is imported by a member of the team; {actor.username} does not work "
            f"in {team.name}."
        )
    if not team.is_active:
        raise ValidationError({"team": f"{team.name} is no longer active"})
    if team.pathway != Pathway.LIAISON_DIVERSION:
        raise ValidationError(
            {
                "team": f"A caseload transfer is for a {Pathway.LIAISON_DIVERSION.label} team; "
                f"{team.name} is not one"
            }
        )


def _identifiers_differ(row: CaseloadRow, person: Person) -> bool:
    """Two different NHS numbers (or PNC IDs) are two different people."""
    if row.nhs_number and person.nhs_number and row.nhs_number != person.nhs_number:
        return True
    forms = selectors.pnc_forms(row.pnc_id) if row.pnc_id else []
    return bool(forms and person.pnc_id and person.pnc_id not in forms)


def _ids(people: Any) -> str:
    return ", ".join(str(p.public_id) for p in people)


def transfer_match(actor: User, team: Team, row: CaseloadRow) -> TransferOutcome:
    """What importing the row would do, matched against the whole register (not only what the
    actor may see, so nobody is registered twice): an exact NHS number or PNC ID first, then
    name and date of birth through the people search."""
    outcome = TransferOutcome(row.line, row.reference, CREATE)
    done = TransferredRow.objects.filter(team=team, reference=row.reference).first()
    if done is not None:
        outcome.action, outcome.person = ALREADY, done.person
        return outcome
    register = Person.objects.filter(merged_into__isnull=True)
    found: dict[int, Person] = {}
    if row.nhs_number:
        found.update((p.pk, p) for p in register.filter(nhs_number=row.nhs_number)[:2])
    if row.pnc_id:
        forms = selectors.pnc_forms(row.pnc_id)
        found.update((p.pk, p) for p in register.filter(pnc_id__in=forms)[:5])
    if len(found) > 1:
        outcome.action = REFUSE
        outcome.reason = (
            f"its NHS number and PNC ID match different records ({_ids(found.values())}): "
            "resolve them before importing this row"
        )
        return outcome
    people = list(found.values())
    by = "identifier"
    if not people:
        by = "name and date of birth"
        matches = person_search(
            actor,
            name=f"{row.given_name} {row.family_name}",
            date_of_birth=row.date_of_birth,
            scope=register,
            audit=False,
            limit=10,
        )
        people = [
            m.person
            for m in matches
            if m.score >= 85
            and m.person.date_of_birth == row.date_of_birth
            and not _identifiers_differ(row, m.person)
        ]
    if len(people) > 1:
        outcome.action = REFUSE
        outcome.reason = (
            f"it matches {len(people)} records by {by} ({_ids(people)}): a person must decide "
            "which, or merge them, before this row is imported"
        )
        return outcome
    if not people:
        return outcome
    person = people[0]
    outcome.action, outcome.person = MATCH, person
    if not has_permission(actor, Permission.EPISODE_MANAGE, person):
        outcome.action = REFUSE
        outcome.reason = (
            f"it matches record {person.public_id} by {by}, which {actor.username} may not open "
            "episodes for (held by another team): ask that team to share the record"
        )
    elif open_only(Episode.objects.filter(person=person, team=team)).exists():
        outcome.action = REFUSE
        outcome.reason = (
            f"it matches record {person.public_id} by {by}, which already has an open episode "
            f"with {team.name}"
        )
    return outcome


def _opened_at(row: CaseloadRow) -> datetime:
    """Midday of the day the episode was opened (a file gives the day only), never later
    than now."""
    return min(timezone.make_aware(datetime.combine(row.opened_on, time(12))), timezone.now())


def _transfer_row(actor: User, team: Team, row: CaseloadRow) -> TransferOutcome:
    outcome = transfer_match(actor, team, row)
    if outcome.action in (REFUSE, ALREADY):
        return outcome
    person = outcome.person
    if person is None:
        data: dict[str, Any] = {
            "given_name": row.given_name,
            "family_name": row.family_name,
            "date_of_birth": row.date_of_birth,
            "sex": row.sex,
            "pnc_id": row.pnc_id,
            "postcode": row.postcode,
            "no_fixed_abode": row.no_fixed_abode,
            "nhs_number": row.nhs_number or None,
        }
        if not row.nhs_number:
            data["nhs_number_missing_reason"] = "not_traced"
        person = person_register(actor=actor, team=team, data=data)  # type: ignore[arg-type]
    reason = f"Transferred from the previous provider (their reference {row.reference})."
    if row.handover_note:
        reason += f"\nHandover note: {row.handover_note}"
    episode = episode_open(
        actor=actor,
        person=person,
        team=team,
        setting=EpisodeSetting.COMMUNITY,
        referral_source=ReferralSource.LIAISON_DIVERSION,
        referred_at=_opened_at(row),
        reason=reason[:2000],
    )
    TransferredRow.objects.create(
        team=team,
        reference=row.reference,
        person=person,
        episode=episode,
        person_created=outcome.action == CREATE,
        imported_by=actor,
    )
    outcome.person, outcome.episode = person, episode
    return outcome


def caseload_transfer(
    *,
    actor: User,
    team: Team,
    data: bytes,
    dry_run: bool,
    batch_size: int = TRANSFER_BATCH,
) -> TransferReport:
    """Check the whole file; with no errors, import it (or, on a dry run, say what importing
    would do and write nothing).

    A file that cannot be a caseload raises ValidationError({"file": ...}). A file with errors
    in any row returns them and imports nothing. The real run imports `batch_size` rows a
    transaction; a failure rolls back its batch only and raises TransferStopped, and running
    the same file again skips the rows already imported (TransferredRow) and carries on.
    """
    if batch_size < 1:
        raise ValidationError({"batch": "The batch size must be at least 1"})
    _check_transfer_team(actor, team)
    try:
        read = read_caseload(data)
    except ListFileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    report = TransferReport(rows_in_file=read.rows_in_file, errors=read.errors)
    if read.errors:
        return report
    if dry_run:
        report.outcomes = [transfer_match(actor, team, row) for row in read.rows]
        return report
    for start in range(0, len(read.rows), batch_size):
        batch = read.rows[start : start + batch_size]
        current = batch[0]
        try:
            with transaction.atomic():
                outcomes = []
                for current in batch:
                    outcomes.append(_transfer_row(actor, team, current))
                audit_record(
                    actor=actor,
                    action=Action.CREATE,
                    object_type="caseload_transfer",
                    detail={
                        "team": str(team.public_id),
                        "lines": [batch[0].line, batch[-1].line],
                        "people_created": sum(1 for o in outcomes if o.action == CREATE),
                        "matched": sum(1 for o in outcomes if o.action == MATCH),
                        "refused": sum(1 for o in outcomes if o.action == REFUSE),
                        "already": sum(1 for o in outcomes if o.action == ALREADY),
                    },
                )
        except (ValidationError, PermissionDenied) as exc:
            reason = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            raise TransferStopped(report, current.line, reason) from exc
        except Exception as exc:
            raise TransferStopped(report, current.line, f"{type(exc).__name__}: {exc}") from exc
        report.outcomes.extend(outcomes)
        report.batches += 1
    return report
