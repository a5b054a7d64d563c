"""Every change to a person's record goes through these functions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.organisations.models import Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .access import break_glass_candidates, viewing_team_ids
from .models import (
    BreakGlassAccess,
    CareRelationship,
    Person,
    PersonAlias,
    PersonChange,
    RecordRestriction,
    SearchName,
)
from .names import normalise, phonetic_key

# Fields a person's details form may change; anything else is set by the service itself.
EDITABLE_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "date_of_birth_estimated",
    "sex",
    "gender_identity",
    "nhs_number",
    "nhs_number_missing_reason",
    "pnc_id",
    "prison_number",
    "ethnic_category",
    "ethnicity_self_reported",
    "ethnicity_recorded_on",
    "religion",
    "first_language",
    "interpreter_needed",
    "communication_needs",
    "reasonable_adjustments",
    "veteran_status",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "no_fixed_abode",
    "gp_practice_code",
    "gp_practice_name",
)
NAME_FIELDS = {"given_name", "family_name", "preferred_name"}


class StaleEditError(Exception):
    """Someone else saved the record after this editor opened it."""


def _search_rows(person: Person) -> list[SearchName]:
    names = [(person.given_name, person.family_name, False)]
    if person.preferred_name:
        names.append((person.preferred_name, person.family_name, False))
    names += [(a.given_name, a.family_name, True) for a in person.aliases.all()]
    return [
        SearchName(
            person=person,
            given=normalise(given)[:100],
            family=normalise(family)[:100],
            given_key=phonetic_key(given),
            family_key=phonetic_key(family),
            is_alias=is_alias,
        )
        for given, family, is_alias in names
    ]


def search_names_rebuild(person: Person) -> None:
    SearchName.objects.filter(person=person).delete()
    SearchName.objects.bulk_create(_search_rows(person))


def _nhs_number_taken(nhs_number: str | None, exclude_pk: int | None = None) -> bool:
    if not nhs_number:
        return False
    qs = Person.objects.filter(nhs_number=nhs_number)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def person_register(
    *,
    actor: Any,
    team: Team,
    data: dict[str, Any],
    aliases: list[tuple[str, str]] | None = None,
    request: HttpRequest | None = None,
) -> Person:
    """Register a person; the registering team gets a care relationship with them."""
    if not has_permission(actor, Permission.PERSON_CREATE):
        raise PermissionDenied("You may not register people.")
    if team.id not in viewing_team_ids(actor):
        raise PermissionDenied("You can only register people for a team you belong to.")
    if _nhs_number_taken(data.get("nhs_number")):
        raise ValidationError({"nhs_number": "A person with this NHS number is already registered"})
    fields = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    if fields.get("ethnic_category"):
        fields["ethnicity_recorded_on"] = timezone.localdate()
    try:
        with transaction.atomic():
            person = Person.objects.create(**fields, created_by=actor)
    except IntegrityError as exc:
        raise ValidationError(
            {"nhs_number": "A person with this NHS number is already registered"}
        ) from exc
    PersonAlias.objects.bulk_create(
        PersonAlias(person=person, given_name=g[:100], family_name=f[:100])
        for g, f in (aliases or [])
    )
    search_names_rebuild(person)
    CareRelationship.objects.create(person=person, team=team, reason="Registered by the team")
    PersonChange.objects.create(person=person, by=actor, summary=f"Registered by {team.name}")
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="person",
        object_id=str(person.public_id),
        fields_changed=sorted(fields),
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: Any,
    person: Person,
    data: dict[str, Any],
    expected_version: int,
    request: HttpRequest | None = None,
) -> list[str]:
    """Save changed details, refusing to overwrite an edit made since the form was opened."""
    if not has_permission(actor, Permission.PERSON_EDIT, person):
        raise PermissionDenied("You may not change this record.")
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != expected_version:
        raise StaleEditError(
            "Someone else changed this record while you were editing it. "
            "Your changes have not been saved: check the record and make them again."
        )
    changed = [
        name for name in EDITABLE_FIELDS if name in data and getattr(current, name) != data[name]
    ]
    if not changed:
        return []
    if "nhs_number" in changed and _nhs_number_taken(data["nhs_number"], current.pk):
        raise ValidationError({"nhs_number": "A person with this NHS number is already registered"})
    for name in changed:
        setattr(current, name, data[name])
    if "ethnic_category" in changed:
        current.ethnicity_recorded_on = timezone.localdate() if current.ethnic_category else None
        changed.append("ethnicity_recorded_on")
    current.version += 1
    current.updated_at = timezone.now()
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"nhs_number": "A person with this NHS number is already registered"}
        ) from exc
    if NAME_FIELDS & set(changed):
        search_names_rebuild(current)
    PersonChange.objects.create(person=current, by=actor, summary="Details updated", fields=changed)
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="person",
        object_id=str(current.public_id),
        fields_changed=changed,
    )
    person.refresh_from_db()
    return changed


@transaction.atomic
def alias_add(
    *,
    actor: Any,
    person: Person,
    given_name: str,
    family_name: str,
    kind: str,
    request: HttpRequest | None = None,
) -> PersonAlias:
    if not has_permission(actor, Permission.PERSON_EDIT, person):
        raise PermissionDenied("You may not change this record.")
    alias = PersonAlias.objects.create(
        person=person, given_name=given_name, family_name=family_name, kind=kind
    )
    search_names_rebuild(person)
    PersonChange.objects.create(
        person=person, by=actor, summary="Other name added", fields=["aliases"]
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="person",
        object_id=str(person.public_id),
        fields_changed=["aliases"],
    )
    return alias


@transaction.atomic
def break_glass_open(
    *, actor: Any, person_public_id: Any, reason: str, request: HttpRequest | None = None
) -> BreakGlassAccess:
    """Grant time-limited access outside the user's relationships, marked for review."""
    if not has_permission(actor, Permission.PERSON_BREAK_GLASS):
        raise PermissionDenied("You may not open records outside your teams.")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": "Give the reason you need this record (at least 10 characters)"}
        )
    person = break_glass_candidates(actor).filter(public_id=person_public_id).first()
    if person is None:
        audit_record(
            actor=actor,
            request=request,
            action=Action.DENIED,
            object_type="person",
            object_id=str(person_public_id),
            detail={"attempt": "break_glass"},
        )
        raise PermissionDenied("This record cannot be opened.")
    now = timezone.now()
    grant = BreakGlassAccess.objects.create(
        person=person,
        user=actor,
        reason=reason[:1000],
        started_at=now,
        expires_at=now + timedelta(minutes=settings.BREAK_GLASS_MINUTES),
    )
    PersonChange.objects.create(
        person=person, by=actor, summary="Opened with break-glass (awaiting review)"
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.BREAK_GLASS,
        object_type="person",
        object_id=str(person.public_id),
        detail={"grant": str(grant.public_id)},
    )
    return grant


@transaction.atomic
def restriction_set(
    *,
    actor: Any,
    person: Person,
    reason: str,
    note: str,
    allowed_users: list[Any],
    request: HttpRequest | None = None,
) -> RecordRestriction:
    if not has_permission(actor, Permission.PERSON_RESTRICT, person):
        raise PermissionDenied("You may not restrict this record.")
    restriction, _ = RecordRestriction.objects.update_or_create(
        person=person, defaults={"reason": reason, "note": note, "created_by": actor}
    )
    restriction.allowed_users.set({*allowed_users, actor})
    PersonChange.objects.create(
        person=person, by=actor, summary="Record restricted", fields=["restriction"]
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="person",
        object_id=str(person.public_id),
        fields_changed=["restriction"],
    )
    return restriction
