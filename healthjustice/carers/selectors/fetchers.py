"""Staff reach one carers' record at a time through these: each checks the patient is visible,
records the view, and answers a miss with an audited 404."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.reading import record_view
from healthjustice.audit.services import deny_as_not_found
from healthjustice.people.access import visible_people

from ..models import (
    Carer,
    CarerContact,
    CarerMessage,
    CarerRelationship,
    SecureServiceStay,
    SharedItem,
    SharingAgreement,
)


def _deny(user: User, request: HttpRequest | None, object_type: str, public_id: Any) -> NoReturn:
    deny_as_not_found(actor=user, request=request, object_type=object_type, object_id=public_id)


# Staff: scoping -------------------------------------------------------------------------


def visible_relationships(user: User) -> QuerySet[CarerRelationship]:
    return CarerRelationship.objects.filter(patient__in=visible_people(user))


def visible_carers(user: User) -> QuerySet[Carer]:
    linked = visible_relationships(user).filter(carer=OuterRef("pk"))
    return Carer.objects.filter(Exists(linked))


def carer_for_user(user: User, public_id: Any, *, request: HttpRequest) -> Carer:
    carer = (
        visible_carers(user)
        .filter(public_id=public_id)
        .select_related("named_contact", "team", "user", "ethnic_category")
        .first()
    )
    if carer is None:
        _deny(user, request, "carer", public_id)
    record_view(request, actor=user, object_type="carer", object_id=str(carer.public_id))
    return carer


def relationship_for_user(user: User, public_id: Any, *, request: HttpRequest) -> CarerRelationship:
    rel = (
        visible_relationships(user)
        .filter(public_id=public_id)
        .select_related("carer", "patient", "carer__named_contact")
        .first()
    )
    if rel is None:
        _deny(user, request, "carer_relationship", public_id)
    record_view(
        request,
        actor=user,
        object_type="carer_relationship",
        object_id=str(rel.public_id),
        detail={"person": str(rel.patient.public_id)},
    )
    return rel


def agreement_for_user(user: User, public_id: Any, *, request: HttpRequest) -> SharingAgreement:
    agreement = (
        SharingAgreement.objects.filter(
            public_id=public_id, relationship__in=visible_relationships(user)
        )
        .select_related("relationship", "relationship__carer", "relationship__patient")
        .first()
    )
    if agreement is None:
        _deny(user, request, "sharing_agreement", public_id)
    record_view(
        request,
        actor=user,
        object_type="sharing_agreement",
        object_id=str(agreement.public_id),
        detail={"person": str(agreement.relationship.patient.public_id)},
    )
    return agreement


def stay_for_user(user: User, public_id: Any, *, request: HttpRequest) -> SecureServiceStay:
    stay = (
        SecureServiceStay.objects.filter(public_id=public_id, person__in=visible_people(user))
        .select_related("person", "team", "key_worker", "ward_manager")
        .first()
    )
    if stay is None:
        _deny(user, request, "secure_stay", public_id)
    record_view(
        request,
        actor=user,
        object_type="secure_stay",
        object_id=str(stay.public_id),
        detail={"person": str(stay.person.public_id)},
    )
    return stay


def message_for_user(user: User, public_id: Any, *, request: HttpRequest) -> CarerMessage:
    message = (
        CarerMessage.objects.filter(public_id=public_id, carer__in=visible_carers(user))
        .select_related("carer", "recipient", "read_by", "team")
        .first()
    )
    if message is None:
        _deny(user, request, "carer_message", public_id)
    record_view(
        request,
        actor=user,
        object_type="carer_message",
        object_id=str(message.public_id),
        detail={"carer": str(message.carer.public_id)},
    )
    return message


def message_attachment_for_user(
    user: User, public_id: Any, *, request: HttpRequest
) -> CarerMessage:
    """A message whose attachment is to be downloaded; a 404 when it has none. A GET records
    the download as an export of the message (not as a view of it)."""
    message = (
        CarerMessage.objects.filter(public_id=public_id, carer__in=visible_carers(user))
        .select_related("carer")
        .first()
    )
    if message is None:
        _deny(user, request, "carer_message", public_id)
    if not message.attachment:
        raise Http404("No attachment")
    record_view(
        request,
        actor=user,
        object_type="carer_message",
        object_id=str(message.public_id),
        detail={"carer": str(message.carer.public_id), "attachment": True},
        action=Action.EXPORT,
    )
    return message


def shared_item_for_user(user: User, public_id: Any, *, request: HttpRequest) -> SharedItem:
    item = (
        SharedItem.objects.filter(public_id=public_id, relationship__in=visible_relationships(user))
        .select_related("relationship", "relationship__patient", "relationship__carer")
        .first()
    )
    if item is None:
        _deny(user, request, "carer_shared_item", public_id)
    return item


def flagged_contact_for_user(user: User, public_id: Any, *, request: HttpRequest) -> CarerContact:
    contact = (
        CarerContact.objects.filter(
            public_id=public_id,
            flagged_for_review=True,
            relationship__in=visible_relationships(user),
        )
        .select_related("carer", "relationship", "relationship__patient", "staff")
        .first()
    )
    # `relationship__in` already leaves out a contact with no relationship.
    if contact is None or contact.relationship is None:
        _deny(user, request, "carer_contact", public_id)
    return contact
