"""What a patient agrees to share with a carer, and what staff write for the carer to read."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action

from ..choices import AgreementEnd, ShareCategory
from ..models import CarerRelationship, SharedItem, SharingAgreement
from ..selectors import agreement_in_force
from ..text import clean_plain_text
from .common import (
    Refused,
    ShareNotAllowed,
    audit,
    audit_kwargs,
    audit_refusals,
    require_patient,
)


def clean_categories(categories: list[str]) -> list[str]:
    unknown = [c for c in categories if c not in ShareCategory.values]
    if unknown:
        raise ValidationError({"categories": "Choose only from the listed kinds of information"})
    return [c for c in ShareCategory.values if c in set(categories)]


@transaction.atomic
def agreement_record(
    *,
    actor: User,
    relationship: CarerRelationship,
    categories: list[str],
    capacity: str,
    capacity_note: str = "",
    advance_statement: str = "",
    review_on: date,
    request: HttpRequest | None = None,
) -> SharingAgreement:
    """Record what the patient agrees to share now. Any agreement in force is replaced, kept."""
    require_patient(actor, relationship.patient)
    if relationship.ended_on:
        raise ValidationError("This carer no longer cares for the patient.")
    if review_on <= timezone.localdate():
        raise ValidationError({"review_on": "The review date must be in the future"})
    categories = clean_categories(categories)
    # Lock the relationship so two people recording at once cannot both replace the same row.
    CarerRelationship.objects.select_for_update().get(pk=relationship.pk)
    now = timezone.now()
    previous = SharingAgreement.objects.in_force().filter(relationship=relationship).first()
    if previous is not None:
        previous.ended_at = now
        previous.ended_by = actor
        previous.end_kind = AgreementEnd.REPLACED
        previous.save(update_fields=["ended_at", "ended_by", "end_kind"])
    agreement = SharingAgreement.objects.create(
        relationship=relationship,
        categories=categories,
        capacity=capacity,
        capacity_note=capacity_note,
        advance_statement=advance_statement,
        recorded_by=actor,
        recorded_at=now,
        review_on=review_on,
        replaces=previous,
    )
    audit(
        actor,
        request,
        Action.CREATE,
        "sharing_agreement",
        agreement.public_id,
        person=relationship.patient,
        carer=str(relationship.carer.public_id),
        replaces=str(previous.public_id) if previous else "",
    )
    return agreement


@transaction.atomic
def agreement_withdraw(
    *,
    actor: User,
    agreement: SharingAgreement,
    reason: str,
    request: HttpRequest | None = None,
) -> SharingAgreement:
    """The patient withdraws: nothing more is shared, and the portal shows nothing at once."""
    relationship = agreement.relationship
    require_patient(actor, relationship.patient)
    reason = clean_plain_text(reason or "")
    if not reason:
        raise ValidationError({"reason": "Enter what the patient said, or why it was withdrawn"})
    current = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if current.ended_at is not None:
        raise ValidationError("This agreement is no longer in force, so it cannot be withdrawn.")
    current.ended_at = timezone.now()
    current.ended_by = actor
    current.end_kind = AgreementEnd.WITHDRAWN
    current.withdrawal_reason = reason[:1000]
    current.save(update_fields=["ended_at", "ended_by", "end_kind", "withdrawal_reason"])
    audit(
        actor,
        request,
        Action.UPDATE,
        "sharing_agreement",
        current.public_id,
        person=relationship.patient,
        fields_changed=["ended_at", "end_kind", "withdrawal_reason"],
        carer=str(relationship.carer.public_id),
    )
    agreement.refresh_from_db()
    return current


@audit_refusals
@transaction.atomic
def shared_item_write(
    *,
    actor: User,
    relationship: CarerRelationship,
    category: str,
    title: str,
    body: str,
    meeting_kind: str = "",
    meeting_at: datetime | None = None,
    meeting_place: str = "",
    request: HttpRequest | None = None,
) -> SharedItem:
    """Write something for the carer to read, in a category the patient agreed to share."""
    require_patient(actor, relationship.patient)
    CarerRelationship.objects.select_for_update().get(pk=relationship.pk)
    agreement = agreement_in_force(relationship)
    if agreement is None or category not in agreement.categories:
        raise Refused(
            ShareNotAllowed(
                {
                    "category": f"{relationship.patient.given_name} has not agreed to share this "
                    "kind of information with this carer. Choose a kind the agreement allows."
                }
            ),
            audit_kwargs(
                actor,
                request,
                Action.DENIED,
                "carer_shared_item",
                "",
                person=relationship.patient,
                carer=str(relationship.carer.public_id),
                reason="category_not_agreed",
            ),
        )
    if category == ShareCategory.MEETINGS and meeting_at is None:
        raise ValidationError({"meeting_at": "Enter the date and time of the meeting"})
    item = SharedItem.objects.create(
        relationship=relationship,
        category=category,
        title=clean_plain_text(title)[:150],
        body=clean_plain_text(body)[:4000],
        meeting_kind=meeting_kind if category == ShareCategory.MEETINGS else "",
        meeting_at=meeting_at if category == ShareCategory.MEETINGS else None,
        meeting_place=meeting_place if category == ShareCategory.MEETINGS else "",
        written_by=actor,
    )
    audit(
        actor,
        request,
        Action.CREATE,
        "carer_shared_item",
        item.public_id,
        person=relationship.patient,
        carer=str(relationship.carer.public_id),
    )
    return item


@transaction.atomic
def shared_item_retract(
    *, actor: User, item: SharedItem, reason: str, request: HttpRequest | None = None
) -> SharedItem:
    """Take an item back: the carer stops seeing it at once. It stays in the record."""
    require_patient(actor, item.relationship.patient)
    reason = clean_plain_text(reason or "")
    if not reason:
        raise ValidationError({"reason": "Enter why you are taking this back"})
    current = SharedItem.objects.select_for_update().get(pk=item.pk)
    if current.retracted_at is not None:
        raise ValidationError("This has already been taken back.")
    current.retracted_at = timezone.now()
    current.retracted_by = actor
    current.retraction_reason = reason[:300]
    current.save(update_fields=["retracted_at", "retracted_by", "retraction_reason"])
    audit(
        actor,
        request,
        Action.UPDATE,
        "carer_shared_item",
        current.public_id,
        person=item.relationship.patient,
        fields_changed=["retracted_at", "retraction_reason"],
    )
    return current
