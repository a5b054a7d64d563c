"""Merging two records of the same person, and undoing a merge.

Every row in any app that refers to the duplicate moves to the kept record (`relations` finds
them from the models); each move is recorded so an undo moves exactly those rows back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any, NoReturn

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record, deny_as_not_found
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .access import visible_people
from .choices import AliasKind, NhsNumberMissingReason
from .models import (
    Person,
    PersonAlias,
    PersonChange,
    PersonMerge,
    PersonMergeMove,
    RecordRestriction,
)
from .names import normalise
from .relations import (
    BREAK_GLASS_UNMERGE,
    merge_problems,
    person_relations,
    seen_only_through_break_glass,
)
from .selectors import merged_record_target
from .services import nhs_number_in_use, search_names_rebuild

# Identifiers a merge copies from the duplicate when the kept record has none.
MERGE_IDENTIFIERS = ("nhs_number", "pnc_id", "prison_number")
MERGE_REASON_MAX = 1000
_CHUNK = 500


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _reason_errors(reason: str, missing: str) -> tuple[str, list[str]]:
    reason = (reason or "").strip()
    if not reason:
        return reason, [missing]
    if len(reason) > MERGE_REASON_MAX:
        return reason, [f"The reason must be {MERGE_REASON_MAX} characters or fewer"]
    return reason, []


def _lock_people(*pks: int) -> dict[int, Person]:
    """The rows, locked in primary-key order so two merges never wait on each other forever."""
    return {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=pks).order_by("pk")}


def _refuse_unseen(
    actor: User, person: Person, request: HttpRequest | None, attempt: str
) -> NoReturn:
    """The same 404, audited as a denial, as for any record the actor may not see."""
    deny_as_not_found(
        actor=actor,
        request=request,
        object_type="person",
        object_id=person.public_id,
        detail={"attempt": attempt},
        message="No such person",
    )


def _known_names(person: Person) -> set[tuple[str, str]]:
    names = {(person.given_name, person.family_name), (person.preferred_name, person.family_name)}
    names |= {(a.given_name, a.family_name) for a in person.aliases.all()}
    return {(normalise(g), normalise(f)) for g, f in names if f}


def _seen_or_merged_into_seen(actor: User, person: Person) -> bool:
    """Visible, or merged into a record that is (so a refusal can say it was merged)."""
    if visible_people(actor).filter(pk=person.pk).exists():
        return True
    return merged_record_target(actor, person.public_id) is not None


def _merge_history(
    *,
    actor: User,
    request: HttpRequest | None,
    merge: PersonMerge,
    kept: Person,
    dup: Person,
    now: datetime,
    undo: bool,
    relations: set[str],
    identifiers: set[str],
    aliases_changed: bool,
    dup_changed: list[str],
    rows: dict[str, int],
) -> None:
    """Both records' timeline entries and audit events for a merge or its undoing: the names of
    what changed and how many rows of each model moved, never a value."""
    kept_changed = sorted(
        relations
        | identifiers
        | ({"nhs_number_missing_reason"} if "nhs_number" in identifiers else set())
        | ({"other names"} if aliases_changed else set())
    )
    PersonChange.objects.create(
        person=kept,
        by=actor,
        at=now,
        summary="Merge with another record undone" if undo else "Merged with a duplicate record",
        fields=kept_changed,
    )
    PersonChange.objects.create(
        person=dup,
        by=actor,
        at=now,
        summary="Merge into another record undone" if undo else "Merged into another record",
        fields=dup_changed,
    )
    identifier_fields = [
        f for f in kept_changed if f in {*MERGE_IDENTIFIERS, "nhs_number_missing_reason"}
    ]
    operation = "unmerge" if undo else "merge"
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="person",
        object_id=str(kept.public_id),
        fields_changed=identifier_fields + (["aliases"] if aliases_changed else []),
        detail={
            "operation": operation,
            "merge": str(merge.public_id),
            "merged_from": str(dup.public_id),
            "moved_back" if undo else "moved": rows,
        },
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="person",
        object_id=str(dup.public_id),
        fields_changed=dup_changed,
        detail={
            "operation": operation,
            "merge": str(merge.public_id),
            "merged_into": str(kept.public_id),
        },
    )


def person_merge(
    *,
    actor: User,
    keep: Person,
    duplicate: Person,
    reason: str,
    request: HttpRequest | None = None,
) -> PersonMerge:
    """Merge `duplicate` into `keep`: everything that refers to the duplicate moves to the kept
    record, its names become other names, its identifiers fill blanks. The duplicate stays, marked
    merged, so `person_unmerge` can put everything back."""
    if not has_permission(actor, Permission.PERSON_MERGE):
        raise PermissionDenied("You may not merge records.")
    # Checked before anything else, and outside the transaction so the audited denial is kept: no
    # refusal may say anything about a record the actor cannot see.
    for person in (keep, duplicate):
        if not _seen_or_merged_into_seen(actor, person):
            _refuse_unseen(actor, person, request, "merge")
    return _merge_locked(
        actor=actor, keep=keep, duplicate=duplicate, reason=reason, request=request
    )


@transaction.atomic
def _merge_locked(
    *, actor: User, keep: Person, duplicate: Person, reason: str, request: HttpRequest | None
) -> PersonMerge:
    locked = _lock_people(keep.pk, duplicate.pk)
    if keep.pk not in locked or duplicate.pk not in locked:
        raise Http404("No such person")
    kept, dup = locked[keep.pk], locked[duplicate.pk]
    # Again with the rows locked, in case access changed in between.
    if not all(_seen_or_merged_into_seen(actor, row) for row in (kept, dup)):
        raise Http404("No such person")
    reason, reason_problems = _reason_errors(reason, "Enter why these records are the same person")
    errors: dict[str, list[str]] = {}
    if reason_problems:
        errors["reason"] = reason_problems
    problems = merge_problems(kept, dup, actor=actor)
    if problems:
        errors[NON_FIELD_ERRORS] = problems
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    merge = PersonMerge.objects.create(
        keep=kept,
        duplicate=dup,
        reason=reason,
        merged_at=now,
        merged_by=actor,
        keep_nhs_number_missing_reason=kept.nhs_number_missing_reason,
        duplicate_nhs_number_missing_reason=dup.nhs_number_missing_reason,
    )
    moves: list[PersonMergeMove] = []
    moved: dict[str, int] = {}
    try:
        with transaction.atomic():
            for relation in person_relations():
                pks = list(relation.rows_of(dup).values_list("pk", flat=True))
                if not pks:
                    continue
                for chunk in _chunks(pks):
                    relation.rows.filter(pk__in=chunk).update(**{relation.field.name: kept})
                moves += [
                    PersonMergeMove(
                        merge=merge,
                        model_label=relation.label,
                        object_pk=str(pk),
                        field_name=relation.field.name,
                    )
                    for pk in pks
                ]
                moved[relation.label] = len(pks)
    except IntegrityError as exc:
        raise ValidationError(
            "Something on the record you are merging away cannot be combined with the kept "
            "record. Nothing has been merged."
        ) from exc

    known = _known_names(kept)
    created_aliases = []
    for given, family, kind in (
        (dup.given_name, dup.family_name, AliasKind.ALIAS),
        (dup.preferred_name, dup.family_name, AliasKind.KNOWN_AS),
    ):
        key = (normalise(given), normalise(family))
        if not given or key in known:
            continue
        known.add(key)
        created_aliases.append(
            PersonAlias.objects.create(
                person=kept, given_name=given, family_name=family, kind=kind, recorded_at=now
            )
        )
    moves += [
        PersonMergeMove(
            merge=merge,
            kind=PersonMergeMove.Kind.CREATED,
            model_label=PersonAlias._meta.label_lower,
            object_pk=str(alias.pk),
            field_name="person",
        )
        for alias in created_aliases
    ]
    PersonMergeMove.objects.bulk_create(moves)

    filled = {
        name: getattr(dup, name)
        for name in MERGE_IDENTIFIERS
        if getattr(dup, name) and not getattr(kept, name)
    }
    dup_changed = ["merged_into", "merged_at", "merged_by", "merge_reason"]
    if "nhs_number" in filled:
        # NHS numbers are unique: the duplicate gives its number up before the kept record takes it.
        dup.nhs_number = None
        dup.nhs_number_missing_reason = NhsNumberMissingReason.OTHER
        dup_changed += ["nhs_number", "nhs_number_missing_reason"]
    dup.merged_into, dup.merged_at, dup.merged_by, dup.merge_reason = kept, now, actor, reason
    dup.version += 1
    dup.updated_at = now
    dup.save()
    for name, value in filled.items():
        setattr(kept, name, value)
    if "nhs_number" in filled:
        kept.nhs_number_missing_reason = ""
    kept.version += 1
    kept.updated_at = now
    kept.save()
    merge.filled_identifiers = filled
    merge.save(update_fields=["filled_identifiers"])

    # The duplicate keeps its search names: staff never see a merged record, but information
    # governance can still find it by name to see who looked at it.
    search_names_rebuild(kept)
    relation_names = {r.label: r.name_plural for r in person_relations()}
    _merge_history(
        actor=actor,
        request=request,
        merge=merge,
        kept=kept,
        dup=dup,
        now=now,
        undo=False,
        relations={relation_names[label] for label in moved},
        identifiers=set(filled),
        aliases_changed=bool(created_aliases),
        dup_changed=dup_changed,
        rows=moved,
    )
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    return merge


def person_unmerge(
    *,
    actor: User,
    merge: PersonMerge,
    reason: str,
    request: HttpRequest | None = None,
) -> PersonMerge:
    """Undo a merge: move back exactly the rows it moved, remove the other names it added and
    give back the identifiers it copied (unless someone has changed them since)."""
    if not has_permission(actor, Permission.PERSON_MERGE):
        raise PermissionDenied("You may not undo merges.")
    if not _seen_or_merged_into_seen(actor, merge.keep):
        _refuse_unseen(actor, merge.keep, request, "unmerge")
    return _unmerge_locked(actor=actor, merge=merge, reason=reason, request=request)


@transaction.atomic
def _unmerge_locked(
    *, actor: User, merge: PersonMerge, reason: str, request: HttpRequest | None
) -> PersonMerge:
    record = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    locked = _lock_people(record.keep_id, record.duplicate_id)
    kept, dup = locked[record.keep_id], locked[record.duplicate_id]
    if not _seen_or_merged_into_seen(actor, kept):
        raise Http404("No such person")
    reason, reason_problems = _reason_errors(reason, "Enter why you are undoing this merge")
    errors: dict[str, list[str]] = {}
    if reason_problems:
        errors["reason"] = reason_problems
    problems = []
    if record.undone_at is not None:
        problems.append("This merge has already been undone")
    elif kept.merged_into_id:
        problems.append(
            "The kept record has since been merged into another record: undo that merge first"
        )
    elif seen_only_through_break_glass(actor, kept):
        problems.append(BREAK_GLASS_UNMERGE)
    if RecordRestriction.objects.filter(person=kept).exists():
        problems.append(
            "The kept record is restricted. An information governance officer must lift the "
            "restriction before the merge can be undone"
        )
    if problems:
        errors[NON_FIELD_ERRORS] = problems
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    to_move: dict[tuple[str, str], list[str]] = defaultdict(list)
    created_aliases: list[str] = []
    for move in record.moves.all():
        if move.kind == PersonMergeMove.Kind.CREATED:
            created_aliases.append(move.object_pk)
        else:
            to_move[(move.model_label, move.field_name)].append(move.object_pk)
    moved_back: dict[str, int] = {}
    relation_names: set[str] = set()
    try:
        with transaction.atomic():
            for (label, field_name), pks in to_move.items():
                try:
                    model = apps.get_model(label)
                except LookupError:
                    continue  # the app holding these rows is no longer installed
                field = model._meta.get_field(field_name)
                typed = [model._meta.pk.to_python(pk) for pk in pks]
                count = 0
                for chunk in _chunks(typed):
                    # Only rows still on the kept record: anything moved on since stays where it is.
                    count += model._base_manager.filter(
                        pk__in=chunk, **{field.attname: kept.pk}
                    ).update(**{field.name: dup})
                moved_back[label] = count
                relation_names.add(str(model._meta.verbose_name_plural))
    except IntegrityError as exc:
        raise ValidationError(
            "Something moved by this merge cannot be put back on the other record. Nothing has "
            "been changed."
        ) from exc
    removed = PersonAlias.objects.filter(
        pk__in=[PersonAlias._meta.pk.to_python(pk) for pk in created_aliases], person=kept
    ).delete()[0]

    restored = [
        name for name, value in record.filled_identifiers.items() if getattr(kept, name) == value
    ]
    for name in restored:
        setattr(kept, name, None if name == "nhs_number" else "")
    if "nhs_number" in restored:
        kept.nhs_number_missing_reason = (
            record.keep_nhs_number_missing_reason or NhsNumberMissingReason.NOT_YET_TRACED
        )
    kept.version += 1
    kept.updated_at = now
    kept.save()
    dup_changed = ["merged_into", "merged_at", "merged_by", "merge_reason"]
    nhs_number = record.filled_identifiers.get("nhs_number")
    if nhs_number and not dup.nhs_number and not nhs_number_in_use(nhs_number, dup.pk):
        dup.nhs_number = nhs_number
        dup.nhs_number_missing_reason = record.duplicate_nhs_number_missing_reason
        dup_changed += ["nhs_number", "nhs_number_missing_reason"]
    dup.merged_into, dup.merged_at, dup.merged_by, dup.merge_reason = None, None, None, ""
    dup.version += 1
    dup.updated_at = now
    dup.save()
    record.undone_at, record.undone_by, record.undo_reason = now, actor, reason
    record.save(update_fields=["undone_at", "undone_by", "undo_reason"])

    search_names_rebuild(kept)
    search_names_rebuild(dup)
    _merge_history(
        actor=actor,
        request=request,
        merge=record,
        kept=kept,
        dup=dup,
        now=now,
        undo=True,
        relations=relation_names,
        identifiers=set(restored),
        aliases_changed=bool(removed),
        dup_changed=dup_changed,
        rows=moved_back,
    )
    merge.refresh_from_db()
    return record
