"""Every change to a person's record goes through these functions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, TypedDict, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import lock_at_version
from healthjustice.core.text import clean_single_line_fields, only_invisible_message
from healthjustice.organisations.models import Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .access import break_glass_candidates, viewing_team_ids
from .identifiers import clean_nhs_number, clean_pnc_id, clean_prison_number
from .models import (
    ALIAS_REQUIRED_TEXT,
    ALIAS_TEXT_FIELDS,
    PERSON_REQUIRED_TEXT,
    PERSON_TEXT_FIELDS,
    BreakGlassAccess,
    CareRelationship,
    EthnicCategory,
    Person,
    PersonAlias,
    PersonChange,
    RecordRestriction,
    SearchName,
)
from .names import first_given_name, normalise, phonetic_key

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


class PersonDetails(TypedDict, total=False):
    """The details of a person that registering and editing set (EDITABLE_FIELDS), by field.

    A missing key leaves the field as it is (editing) or at its default (registering).
    """

    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date | None
    date_of_birth_estimated: bool
    sex: str
    gender_identity: str
    nhs_number: str | None
    nhs_number_missing_reason: str
    pnc_id: str
    prison_number: str
    ethnic_category: EthnicCategory | None
    ethnicity_self_reported: bool
    ethnicity_recorded_on: date | None
    religion: str
    first_language: str
    interpreter_needed: bool
    communication_needs: list[str]
    reasonable_adjustments: str
    veteran_status: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    no_fixed_abode: bool
    gp_practice_code: str
    gp_practice_name: str


def person_details(values: Mapping[str, Any]) -> PersonDetails:
    """The person's details among `values` (a form's cleaned data, say); other keys left out."""
    picked = {name: values[name] for name in EDITABLE_FIELDS if name in values}
    return cast(PersonDetails, picked)  # keys are PersonDetails' own; values as the form cleaned


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
            given_first=first_given_name(given)[:100],
            date_of_birth=person.date_of_birth,
        )
        for given, family, is_alias in names
    ]


def search_names_rebuild(person: Person) -> None:
    SearchName.objects.filter(person=person).delete()
    SearchName.objects.bulk_create(_search_rows(person))


def _clean_other_names(names: list[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = []
    for given, family in names:
        try:
            row = clean_single_line_fields(
                {"given_name": given, "family_name": family}, ALIAS_TEXT_FIELDS, ALIAS_REQUIRED_TEXT
            )
        except ValidationError as exc:
            raise ValidationError(
                {"other_names": only_invisible_message("Each other name")}
            ) from exc
        cleaned.append((row["given_name"], row["family_name"]))
    return cleaned


IDENTIFIER_CHECKS = {
    "nhs_number": clean_nhs_number,
    "pnc_id": clean_pnc_id,
    "prison_number": clean_prison_number,
}


def _checked_identifiers(data: dict[str, Any]) -> dict[str, Any]:
    """Identifiers in their standard form, whoever calls: the NHS number's check digit included."""
    checked = dict(data)
    errors: dict[str, list[str]] = {}
    for name, check in IDENTIFIER_CHECKS.items():
        if checked.get(name):
            try:
                checked[name] = check(checked[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return checked


def care_relationship_start(
    *, person: Person, team: Team, reason: str, started_on: date | None = None
) -> CareRelationship:
    """The team's current care relationship with the person, started now if it has none.

    The one place a care relationship (the basis of who may see a record) comes into being.
    """
    current = CareRelationship.objects.current().filter(person=person, team=team).first()
    if current:
        return current
    return CareRelationship.objects.create(
        person=person,
        team=team,
        reason=reason[:200],
        started_on=min(started_on or timezone.localdate(), timezone.localdate()),
    )


def nhs_number_in_use(nhs_number: str | None, exclude_pk: int | None = None) -> bool:
    if not nhs_number:
        return False
    qs = Person.objects.filter(nhs_number=nhs_number)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def person_register(
    *,
    actor: User,
    team: Team,
    data: PersonDetails,
    aliases: list[tuple[str, str]] | None = None,
    request: HttpRequest | None = None,
) -> Person:
    """Register a person; the registering team gets a care relationship with them."""
    if not has_permission(actor, Permission.PERSON_CREATE):
        raise PermissionDenied("You may not register people.")
    if team.id not in viewing_team_ids(actor):
        raise PermissionDenied("You can only register people for a team you belong to.")
    fields = _checked_identifiers(
        clean_single_line_fields(
            {k: v for k, v in data.items() if k in EDITABLE_FIELDS},
            PERSON_TEXT_FIELDS,
            PERSON_REQUIRED_TEXT,
        )
    )
    if nhs_number_in_use(fields.get("nhs_number")):
        raise ValidationError({"nhs_number": "A person with this NHS number is already registered"})
    other_names = _clean_other_names(aliases or [])
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
        PersonAlias(person=person, given_name=g[:100], family_name=f[:100]) for g, f in other_names
    )
    search_names_rebuild(person)
    care_relationship_start(person=person, team=team, reason="Registered by the team")
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
    actor: User,
    person: Person,
    data: PersonDetails,
    expected_version: int,
    request: HttpRequest | None = None,
) -> list[str]:
    """Save changed details, refusing to overwrite an edit made since the form was opened."""
    if not has_permission(actor, Permission.PERSON_EDIT, person):
        raise PermissionDenied("You may not change this record.")
    fields = _checked_identifiers(
        clean_single_line_fields(data, PERSON_TEXT_FIELDS, PERSON_REQUIRED_TEXT)
    )
    current = lock_at_version(Person.objects.all(), person.pk, expected_version, "this record")
    changed = [
        name
        for name in EDITABLE_FIELDS
        if name in fields and getattr(current, name) != fields[name]
    ]
    if not changed:
        return []
    if "nhs_number" in changed and nhs_number_in_use(fields["nhs_number"], current.pk):
        raise ValidationError({"nhs_number": "A person with this NHS number is already registered"})
    for name in changed:
        setattr(current, name, fields[name])
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
    if (NAME_FIELDS | {"date_of_birth"}) & set(changed):
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
    actor: User,
    person: Person,
    given_name: str,
    family_name: str,
    kind: str,
    request: HttpRequest | None = None,
) -> PersonAlias:
    if not has_permission(actor, Permission.PERSON_EDIT, person):
        raise PermissionDenied("You may not change this record.")
    names = clean_single_line_fields(
        {"given_name": given_name, "family_name": family_name},
        ALIAS_TEXT_FIELDS,
        ALIAS_REQUIRED_TEXT,
    )
    alias = PersonAlias.objects.create(person=person, kind=kind, **names)
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


def break_glass_open(
    *, actor: User, person_public_id: Any, reason: str, request: HttpRequest | None = None
) -> BreakGlassAccess:
    """Grant time-limited access outside the user's relationships, marked for review.

    A refused attempt is audited outside the transaction that grants access, so the record of
    the attempt is kept although nothing else is written.
    """
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
    with transaction.atomic():
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
    actor: User,
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
    # A type of its own, so the IG pages list who was given (or kept) access; detail["person"]
    # keeps it in the person's own audit trail.
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="restriction",
        object_id=str(person.public_id),
        fields_changed=["restriction"],
        detail={
            "person": str(person.public_id),
            "allowed_users": restriction.allowed_users.count(),
        },
    )
    return restriction
