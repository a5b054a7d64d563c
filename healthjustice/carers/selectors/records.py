"""Lists of a carer's or a patient's records, and the sharing agreements on a relationship."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from healthjustice.accounts.models import User
from healthjustice.people.models import Person

from ..models import (
    Carer,
    CarerContact,
    CarerMessage,
    CarerMessageReply,
    CarerRelationship,
    SecureServiceStay,
    SharedItem,
    SharingAgreement,
)
from .fetchers import visible_relationships


def relationships_of(user: User, carer: Carer) -> list[CarerRelationship]:
    """The carer's relationships with patients the user may see."""
    return list(
        visible_relationships(user)
        .filter(carer=carer)
        .select_related("patient")
        .order_by("started_on", "pk")
    )


def carers_of_patient(person: Person) -> list[CarerRelationship]:
    """The patient's carers (the caller has already reached the patient through the chokepoint)."""
    return list(
        CarerRelationship.objects.filter(patient=person)
        .select_related("carer", "carer__named_contact")
        .prefetch_related("agreements")
        .order_by("started_on", "pk")
    )


def stays_of(person: Person) -> list[SecureServiceStay]:
    return list(
        person.secure_stays.select_related("team", "key_worker", "ward_manager").order_by(
            "-starts_on", "-pk"
        )
    )


def contacts_of(user: User, carer: Carer, limit: int = 200) -> list[CarerContact]:
    """The carer's contact log, leaving out contacts about patients the user may not see."""
    own = Q(relationship__isnull=True) | Q(relationship__in=visible_relationships(user))
    return list(
        carer.contacts.filter(own)
        .select_related(
            "staff", "relationship", "relationship__patient", "message", "reply__message"
        )
        .order_by("-occurred_at", "-pk")[:limit]
    )


def contacts_about(relationship: CarerRelationship, limit: int = 50) -> list[CarerContact]:
    """The contact log of one relationship (the caller reached it through the chokepoint)."""
    return list(
        relationship.contacts.select_related("staff", "message", "reply__message").order_by(
            "-occurred_at", "-pk"
        )[:limit]
    )


def replies_to(user: User, message: CarerMessage) -> list[CarerMessageReply]:
    """Staff replies to a message (the caller reached the message through `message_for_user`),
    leaving out replies about patients the user may not see, as `contacts_of` does."""
    return list(
        message.replies.filter(contact__relationship__in=visible_relationships(user))
        .select_related("author", "contact", "contact__relationship__patient")
        .order_by("-sent_at", "-pk")
    )


def messages_of(carer: Carer, limit: int = 100) -> list[CarerMessage]:
    return list(
        carer.messages.select_related("recipient", "read_by").order_by("-sent_at", "-pk")[:limit]
    )


# Agreements --------------------------------------------------------------------------------


def agreement_in_force(relationship: CarerRelationship) -> SharingAgreement | None:
    """Read afresh every time: a withdrawal takes effect on the very next request."""
    return (
        SharingAgreement.objects.in_force()
        .filter(relationship=relationship)
        .select_related("recorded_by")
        .first()
    )


def agreement_at(relationship: CarerRelationship, when: datetime) -> SharingAgreement | None:
    """The agreement that was in force at a moment (for contacts recorded after the event)."""
    return (
        SharingAgreement.objects.filter(relationship=relationship, recorded_at__lte=when)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=when))
        .order_by("-recorded_at", "-pk")
        .first()
    )


def agreement_history(relationship: CarerRelationship) -> list[SharingAgreement]:
    return list(
        relationship.agreements.select_related("recorded_by", "ended_by").order_by(
            "-recorded_at", "-pk"
        )
    )


def shared_items_of(relationship: CarerRelationship) -> list[SharedItem]:
    return list(
        relationship.shared_items.select_related("written_by", "retracted_by").order_by(
            "-written_at", "-pk"
        )
    )
