"""The contact log: every contact with a carer, and what was shared in it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.organisations.roles import Permission
from healthjustice.people.access import person_is_visible_to
from healthjustice.people.models import Person

from ..choices import category_labels
from ..models import Carer, CarerContact, CarerRelationship, SharingAgreement
from ..selectors import agreement_at
from ..text import clean_plain_text
from .agreements import clean_categories
from .common import (
    Refused,
    ShareNotAllowed,
    audit,
    audit_kwargs,
    audit_refusals,
    require,
    require_patient,
)


def _outside_message(
    patient: Person,
    outside: list[str],
    agreement: SharingAgreement | None,
    *,
    allow_lawful_basis: bool,
) -> str:
    names = ", ".join(category_labels(outside))
    if not allow_lawful_basis:
        why = (
            "there is no information-sharing agreement in force"
            if agreement is None
            else "the agreement in force does not include it"
        )
        return (
            f"Not sent: {patient.given_name} has not agreed to share {names}, because {why}. "
            "Take it out of your reply and untick it. If it must be shared without consent to "
            "safeguard someone or because of serious risk, do not reply here: contact the carer "
            "another way and log the contact with the lawful basis."
        )
    why = (
        "there was no information-sharing agreement in force"
        if agreement is None
        else "the agreement in force at the time did not include it"
    )
    return (
        f"Not recorded: {patient.given_name} has not agreed to share {names}, because {why}. "
        "If you shared it without consent to safeguard someone or because of serious risk, "
        "choose the lawful basis and explain it. It will be flagged for review."
    )


@audit_refusals
@transaction.atomic
def contact_record(
    *,
    actor: User,
    carer: Carer,
    relationship: CarerRelationship | None,
    staff: User,
    occurred_at: datetime,
    mode: str,
    direction: str,
    summary: str,
    categories_shared: list[str],
    lawful_basis: str = "",
    lawful_basis_detail: str = "",
    allow_lawful_basis: bool = True,
    request: HttpRequest | None = None,
) -> CarerContact:
    """Log a contact. A share outside the agreement is refused unless a lawful basis is given.

    With `allow_lawful_basis=False` (a written reply, checked before it is sent) any share
    outside the agreement is refused.
    """
    if not allow_lawful_basis:
        lawful_basis, lawful_basis_detail = "", ""
    if relationship is not None:
        require_patient(actor, relationship.patient)
        if relationship.carer_id != carer.pk:
            raise PermissionDenied("That patient is not cared for by this carer.")
    else:
        require(actor, Permission.CARERS_MANAGE, "You may not manage carers.")
    if occurred_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": "The contact must be in the past"})
    summary = clean_plain_text(summary)
    if not summary:
        raise ValidationError({"summary": "Enter what was discussed"})
    categories = clean_categories(categories_shared)
    if categories and relationship is None:
        raise ValidationError(
            {"categories_shared": "Choose which patient the information was about"}
        )
    outside: list[str] = []
    agreement = None
    if relationship is not None and categories:
        # Serialise with agreement changes for this relationship.
        CarerRelationship.objects.select_for_update().get(pk=relationship.pk)
        # Times are entered to the minute: judge against the agreement at the end of that minute.
        agreement = agreement_at(relationship, occurred_at.replace(second=59, microsecond=999999))
        allowed = set(agreement.categories) if agreement else set()
        outside = [c for c in categories if c not in allowed]
    lawful_basis_detail = clean_plain_text(lawful_basis_detail or "")
    if outside and not lawful_basis and relationship is not None:
        raise Refused(
            ShareNotAllowed(
                {
                    "categories_shared": _outside_message(
                        relationship.patient,
                        outside,
                        agreement,
                        allow_lawful_basis=allow_lawful_basis,
                    )
                }
            ),
            audit_kwargs(
                actor,
                request,
                Action.DENIED,
                "carer_contact",
                "",
                person=relationship.patient,
                carer=str(carer.public_id),
                reason="share_outside_agreement",
            ),
        )
    if outside and not lawful_basis_detail:
        raise ValidationError(
            {"lawful_basis_detail": "Explain why the information had to be shared without consent"}
        )
    if not outside:
        lawful_basis, lawful_basis_detail = "", ""
    contact = CarerContact.objects.create(
        carer=carer,
        relationship=relationship,
        staff=staff,
        occurred_at=occurred_at,
        mode=mode,
        direction=direction,
        summary=summary[:2000],
        categories_shared=categories,
        outside_agreement=outside,
        lawful_basis=lawful_basis,
        lawful_basis_detail=lawful_basis_detail[:1000],
        flagged_for_review=bool(outside),
        recorded_by=actor,
    )
    audit(
        actor,
        request,
        Action.CREATE,
        "carer_contact",
        contact.public_id,
        person=relationship.patient if relationship else None,
        carer=str(carer.public_id),
        flagged_for_review=bool(outside),
    )
    return contact


@transaction.atomic
def contact_review(
    *,
    actor: User,
    contact: CarerContact,
    outcome: str,
    note: str,
    request: HttpRequest | None = None,
) -> CarerContact:
    """A team leader reviews a share made without consent."""
    require(actor, Permission.CARER_SHARE_REVIEW, "You may not review shares.")
    if contact.relationship is None or not person_is_visible_to(
        actor, contact.relationship.patient
    ):
        raise PermissionDenied("You may not see this patient.")
    current = CarerContact.objects.select_for_update().get(pk=contact.pk)
    if not current.flagged_for_review:
        raise ValidationError("This contact is not flagged for review.")
    if current.reviewed_at is not None:
        raise ValidationError("This contact has already been reviewed.")
    if current.recorded_by_id == actor.pk or current.staff_id == actor.pk:
        raise ValidationError("Someone other than the person who shared it must review it.")
    current.reviewed_by = actor
    current.reviewed_at = timezone.now()
    current.review_outcome = outcome
    current.review_note = clean_plain_text(note or "")[:1000]
    current.save(update_fields=["reviewed_by", "reviewed_at", "review_outcome", "review_note"])
    audit(
        actor,
        request,
        Action.REVIEW,
        "carer_contact",
        current.public_id,
        person=contact.relationship.patient,
        fields_changed=["review_outcome", "review_note"],
    )
    return current
