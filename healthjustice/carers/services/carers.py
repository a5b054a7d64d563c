"""Carers' own records, their relationship to a patient, and the support offered to them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, TypedDict, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.organisations.models import Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.access import viewing_team_ids
from healthjustice.people.models import EthnicCategory, Person

from ..choices import AgreementEnd
from ..models import Carer, CarerRelationship, CarerSupport, SharingAgreement
from .common import audit, changed_fields, require, require_patient, update_versioned

# Equality monitoring: optional, and the carer's own answers (they may change them in the portal).
EQUALITY_FIELDS = (
    "ethnic_category",
    "ethnicity_own_words",
    "age_group",
    "sex",
    "gender_identity",
    "sexual_orientation",
    "religion",
    "disability",
)
CARER_FIELDS = (
    "given_name",
    "family_name",
    "phone",
    "email",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "preferred_contact_method",
    "preferred_contact_time",
    "communication_needs",
    "language",
    "interpreter_needed",
    "date_identified",
    "identified_at_first_contact",
    "named_contact",
    *EQUALITY_FIELDS,
)
# What a carer may change about themselves in the portal.
PREFERENCE_FIELDS = (
    "phone",
    "email",
    "preferred_contact_method",
    "preferred_contact_time",
    "communication_needs",
    "language",
    "interpreter_needed",
    *EQUALITY_FIELDS,
)
RELATIONSHIP_FIELDS = (
    "relationship",
    "relationship_detail",
    "is_nearest_relative",
    "named_on_care_plan",
)


class CarerPreferences(TypedDict, total=False):
    """How a carer likes to be contacted (PREFERENCE_FIELDS): what they may change themselves."""

    phone: str
    email: str
    preferred_contact_method: str
    preferred_contact_time: str
    communication_needs: str
    language: str
    interpreter_needed: bool
    ethnic_category: EthnicCategory | None
    ethnicity_own_words: str
    age_group: str
    sex: str
    gender_identity: str
    sexual_orientation: str
    religion: str
    disability: str


class CarerDetails(CarerPreferences, total=False):
    """A carer's own record (CARER_FIELDS), by field; a missing key is left as it is."""

    given_name: str
    family_name: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    date_identified: date
    identified_at_first_contact: bool
    named_contact: User | None


class RelationshipDetails(TypedDict, total=False):
    """How a carer is related to the patient (RELATIONSHIP_FIELDS), and when it ended."""

    relationship: str
    relationship_detail: str
    is_nearest_relative: bool
    named_on_care_plan: bool
    ended_on: date | None


class SupportDetails(TypedDict, total=False):
    """The support offered to a carer (SUPPORT_FIELDS), by field."""

    toolkit_given_on: date | None
    service_information_given_on: date | None
    assessment_offered_on: date | None
    referred_to_local_authority_on: date | None
    local_authority: str
    assessment_completed_on: date | None
    assessment_outcome: str
    other_support: list[str]
    notes: str


def _picked(values: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: values[name] for name in fields if name in values}


# Each takes a form's cleaned data (or any mapping) and keeps only the fields its service sets.
def carer_details(values: Mapping[str, Any]) -> CarerDetails:
    return cast(CarerDetails, _picked(values, CARER_FIELDS))


def carer_preferences(values: Mapping[str, Any]) -> CarerPreferences:
    return cast(CarerPreferences, _picked(values, PREFERENCE_FIELDS))


def relationship_details(values: Mapping[str, Any]) -> RelationshipDetails:
    return cast(RelationshipDetails, _picked(values, (*RELATIONSHIP_FIELDS, "ended_on")))


def support_details(values: Mapping[str, Any]) -> SupportDetails:
    return cast(SupportDetails, _picked(values, SUPPORT_FIELDS))


@transaction.atomic
def carer_register(
    *,
    actor: User,
    patient: Person,
    team: Team,
    data: CarerDetails,
    relationship: RelationshipDetails,
    request: HttpRequest | None = None,
) -> Carer:
    """Record a new carer of `patient`, supported by `team`."""
    require_patient(actor, patient)
    if team.id not in viewing_team_ids(actor):
        raise PermissionDenied("You can only add carers for a team you belong to.")
    carer = Carer.objects.create(
        team=team, created_by=actor, **{k: v for k, v in data.items() if k in CARER_FIELDS}
    )
    CarerRelationship.objects.create(
        carer=carer,
        patient=patient,
        created_by=actor,
        **{k: v for k, v in relationship.items() if k in RELATIONSHIP_FIELDS},
    )
    CarerSupport.objects.create(carer=carer, updated_by=actor)
    audit(
        actor,
        request,
        Action.CREATE,
        "carer",
        carer.public_id,
        person=patient,
        fields_changed=sorted(k for k in data if k in CARER_FIELDS),
    )
    return carer


@transaction.atomic
def carer_update(
    *,
    actor: User,
    carer: Carer,
    data: CarerDetails,
    expected_version: int,
    request: HttpRequest | None = None,
) -> list[str]:
    require(actor, Permission.CARERS_MANAGE, "You may not manage carers.")
    _, changed = update_versioned(
        Carer, carer.pk, data, CARER_FIELDS, expected_version, {"updated_at": timezone.now()}
    )
    if changed:
        audit(actor, request, Action.UPDATE, "carer", carer.public_id, fields_changed=changed)
    carer.refresh_from_db()
    return changed


@transaction.atomic
def carer_preferences_update(
    *,
    actor: User,
    carer: Carer,
    data: CarerPreferences,
    expected_version: int,
    request: HttpRequest | None = None,
) -> list[str]:
    """A carer changes how they like to be contacted, from the portal."""
    if not has_permission(actor, Permission.CARER_PORTAL) or carer.user_id != actor.pk:
        raise PermissionDenied("You can only change your own details.")
    _, changed = update_versioned(
        Carer, carer.pk, data, PREFERENCE_FIELDS, expected_version, {"updated_at": timezone.now()}
    )
    if changed:
        audit(
            actor,
            request,
            Action.UPDATE,
            "carer",
            carer.public_id,
            fields_changed=changed,
            via="carers_portal",
        )
    carer.refresh_from_db()
    return changed


@transaction.atomic
def relationship_update(
    *,
    actor: User,
    relationship: CarerRelationship,
    data: RelationshipDetails,
    request: HttpRequest | None = None,
) -> list[str]:
    require_patient(actor, relationship.patient)
    current = CarerRelationship.objects.select_for_update().get(pk=relationship.pk)
    values: Mapping[str, Any] = data
    changed = changed_fields(current, values, (*RELATIONSHIP_FIELDS, "ended_on"))
    if not changed:
        return []
    for name in changed:
        setattr(current, name, values[name])
    current.save(update_fields=changed)
    if current.ended_on is not None:
        # No longer a carer: nothing more may be shared, and the portal shows nothing at once.
        SharingAgreement.objects.in_force().filter(relationship=current).update(
            ended_at=timezone.now(), ended_by=actor, end_kind=AgreementEnd.RELATIONSHIP_ENDED
        )
    audit(
        actor,
        request,
        Action.UPDATE,
        "carer_relationship",
        current.public_id,
        person=current.patient,
        fields_changed=changed,
    )
    relationship.refresh_from_db()
    return changed


SUPPORT_FIELDS = (
    "toolkit_given_on",
    "service_information_given_on",
    "assessment_offered_on",
    "referred_to_local_authority_on",
    "local_authority",
    "assessment_completed_on",
    "assessment_outcome",
    "other_support",
    "notes",
)


@transaction.atomic
def support_update(
    *,
    actor: User,
    carer: Carer,
    data: SupportDetails,
    expected_version: int,
    request: HttpRequest | None = None,
) -> list[str]:
    require(actor, Permission.CARERS_MANAGE, "You may not manage carers.")
    support, _ = CarerSupport.objects.get_or_create(carer=carer)
    _, changed = update_versioned(
        CarerSupport,
        support.pk,
        data,
        SUPPORT_FIELDS,
        expected_version,
        {"updated_at": timezone.now(), "updated_by": actor},
    )
    if changed:
        audit(
            actor, request, Action.UPDATE, "carer_support", carer.public_id, fields_changed=changed
        )
    return changed
