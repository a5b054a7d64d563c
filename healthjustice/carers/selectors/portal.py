"""What the carers' portal shows: information pages, what is shared and the conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from ..models import (
    Carer,
    CarerInformationPage,
    CarerMessage,
    CarerMessageReply,
    CarerRelationship,
    SharedItem,
    SharingAgreement,
)
from .records import agreement_in_force

# Information pages --------------------------------------------------------------------------


def published_pages() -> QuerySet[CarerInformationPage]:
    return CarerInformationPage.objects.filter(is_published=True).order_by("order", "title")


def all_pages() -> QuerySet[CarerInformationPage]:
    return CarerInformationPage.objects.order_by("order", "title")


# The carers' portal ---------------------------------------------------------------------------


@dataclass
class PortalShare:
    """What one patient shares with the carer now: nothing unless an agreement is in force."""

    relationship: CarerRelationship
    agreement: SharingAgreement | None
    sections: list[tuple[str, str, list[SharedItem]]]

    @property
    def patient_name(self) -> str:
        patient = self.relationship.patient
        return patient.preferred_name or patient.given_name


def portal_relationships(carer: Carer) -> list[CarerRelationship]:
    return list(
        carer.relationships.filter(ended_on__isnull=True)
        .select_related("patient")
        .order_by("started_on", "pk")
    )


def portal_relationship(carer: Carer, public_id: Any) -> CarerRelationship | None:
    return (
        carer.relationships.filter(public_id=public_id, ended_on__isnull=True)
        .select_related("patient")
        .first()
    )


def portal_share(relationship: CarerRelationship) -> PortalShare:
    """Only the agreed categories, and in them only items not taken back. Never cached."""
    from ..choices import ShareCategory

    agreement = agreement_in_force(relationship)
    if agreement is None:
        return PortalShare(relationship, None, [])
    agreed = [c for c in ShareCategory.values if c in agreement.categories]
    items = list(
        relationship.shared_items.live().filter(category__in=agreed).order_by("-written_at", "-pk")
    )
    labels = dict(ShareCategory.choices)
    sections = [
        (category, str(labels[category]), [i for i in items if i.category == category])
        for category in agreed
    ]
    return PortalShare(relationship, agreement, sections)


def portal_messages(carer: Carer, limit: int = 50) -> list[CarerMessage]:
    return list(carer.messages.select_related("read_by").order_by("-sent_at", "-pk")[:limit])


@dataclass(frozen=True)
class ConversationEntry:
    """One line of a carer's conversation: a message they sent, or a reply from staff.

    A reply that shared something the patient no longer agrees to share is `withheld`: the
    carer sees who replied and when, not what was said.
    """

    sent_at: datetime
    body: str
    message: CarerMessage
    reply: CarerMessageReply | None = None
    withheld: bool = False

    @property
    def is_reply(self) -> bool:
        return self.reply is not None

    @property
    def author_name(self) -> str:
        return self.reply.author.display_name if self.reply else ""


def _reply_still_shareable(reply: CarerMessageReply, agreed: dict[int, set[str]]) -> bool:
    contact = reply.contact
    if not contact.categories_shared:
        return True
    rel = contact.relationship
    if rel is None or rel.ended_on is not None:
        return False
    if rel.pk not in agreed:
        agreement = agreement_in_force(rel)
        agreed[rel.pk] = set(agreement.categories) if agreement else set()
    return set(contact.categories_shared) <= agreed[rel.pk]


def portal_conversation(carer: Carer, limit: int = 50) -> list[ConversationEntry]:
    """The carer's own messages and the replies to them, newest first.

    Only replies to this carer's messages; what a reply shared is judged against the agreement
    in force now, read afresh like everything else in the portal.
    """
    entries = [ConversationEntry(m.sent_at, m.body, m) for m in portal_messages(carer, limit)]
    replies = (
        CarerMessageReply.objects.filter(message__carer=carer)
        .select_related("author", "message", "contact", "contact__relationship")
        .order_by("-sent_at", "-pk")[:limit]
    )
    agreed: dict[int, set[str]] = {}
    for reply in replies:
        shown = _reply_still_shareable(reply, agreed)
        entries.append(
            ConversationEntry(
                reply.sent_at, reply.body if shown else "", reply.message, reply, not shown
            )
        )
    entries.sort(key=lambda e: e.sent_at, reverse=True)
    return entries[:limit]
