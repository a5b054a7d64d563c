"""Reading carers' data. Staff reach a carer only through a patient they may see.

A carer's record is visible to a member of staff when at least one patient the carer cares
for is visible to them (`people.access.visible_people`); anything about a patient (stays,
agreements, contacts, shared items) needs that patient to be visible. Every miss is a 404 with
an audited denial, so ids of records outside a user's reach tell them nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.reading import record_view
from healthjustice.audit.services import deny_as_not_found
from healthjustice.organisations.models import Membership, Team
from healthjustice.organisations.roles import ROLES, Permission
from healthjustice.people.access import viewing_team_ids, visible_people
from healthjustice.people.models import Person

from .models import (
    Carer,
    CarerContact,
    CarerInformationPage,
    CarerMessage,
    CarerMessageReply,
    CarerRelationship,
    CarerSupport,
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
        .select_related("named_contact", "team", "user")
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


# Named contact ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedContact:
    """Who a carer should contact, and how: the named contact, or the fallback from the stay."""

    person: User | None
    role: str
    phone: str
    is_fallback: bool

    @property
    def name(self) -> str:
        return self.person.display_name if self.person else ""


def switchboard() -> str:
    return str(settings.HJ_SWITCHBOARD)


def current_stay_for_carer(carer: Carer) -> SecureServiceStay | None:
    patient_ids = carer.relationships.filter(ended_on__isnull=True).values("patient_id")
    return (
        SecureServiceStay.objects.current()
        .filter(person_id__in=patient_ids)
        .select_related("key_worker", "ward_manager")
        .order_by("-starts_on", "-pk")
        .first()
    )


def support_of(carer: Carer) -> CarerSupport:
    """The support recorded for a carer the caller has already reached (`carer_for_user`);
    an unsaved blank one when nothing is recorded yet, so reading a page never writes."""
    return CarerSupport.objects.filter(carer=carer).first() or CarerSupport(carer=carer)


def named_contact_for(carer: Carer) -> NamedContact:
    phone = switchboard()
    contact = carer.named_contact
    if contact is not None and contact.is_active:
        return NamedContact(contact, "Your named contact", phone, False)
    stay = current_stay_for_carer(carer)
    if stay and stay.key_worker and stay.key_worker.is_active:
        return NamedContact(stay.key_worker, "Key worker", phone, True)
    if stay and stay.ward_manager and stay.ward_manager.is_active:
        return NamedContact(stay.ward_manager, "Ward manager or team leader", phone, True)
    return NamedContact(None, "", phone, True)


def message_recipient_for(carer: Carer) -> User | None:
    return named_contact_for(carer).person


# Choices for forms --------------------------------------------------------------------------


def _managing_roles() -> list[str]:
    return [str(r) for r, d in ROLES.items() if Permission.CARERS_MANAGE in d.permissions]


def team_staff(team_ids: list[int]) -> QuerySet[User]:
    """Current members of the teams who may manage carers (named contacts, key workers)."""
    members = Membership.objects.current().filter(
        user=OuterRef("pk"), team_id__in=team_ids, role__in=_managing_roles()
    )
    return User.objects.filter(Exists(members), is_active=True, kind=User.Kind.STAFF).order_by(
        "first_name", "last_name", "username"
    )


def teams_for_patient(user: User, person: Person) -> QuerySet[Team]:
    """The user's teams that have a current care relationship with the patient."""
    return Team.objects.filter(
        id__in=viewing_team_ids(user),
        care_relationships__in=person.care_relationships.current(),
    ).distinct()


def user_teams(user: User) -> QuerySet[Team]:
    return Team.objects.filter(id__in=viewing_team_ids(user)).order_by("name")


# Staff work list ---------------------------------------------------------------------------


@dataclass
class WorkList:
    my_messages: list[CarerMessage]
    team_messages: list[CarerMessage]
    my_carers: list[Carer]
    reviews_due: list[SharingAgreement]
    patients: list[tuple[Person, SecureServiceStay]]
    flagged_count: int


def unread_messages_for(user: User) -> list[CarerMessage]:
    return list(
        CarerMessage.objects.filter(recipient=user, read_at__isnull=True)
        .filter(carer__in=visible_carers(user))
        .select_related("carer")
        .order_by("sent_at")
    )


def unassigned_messages_for(user: User) -> list[CarerMessage]:
    return list(
        CarerMessage.objects.filter(
            recipient__isnull=True, read_at__isnull=True, team_id__in=viewing_team_ids(user)
        )
        .filter(carer__in=visible_carers(user))
        .select_related("carer")
        .order_by("sent_at")
    )


def flagged_contacts(user: User) -> QuerySet[CarerContact]:
    return (
        CarerContact.objects.filter(
            flagged_for_review=True,
            reviewed_at__isnull=True,
            relationship__in=visible_relationships(user),
        )
        .select_related("carer", "relationship__patient", "staff")
        .order_by("occurred_at")
    )


def work_list(user: User, today: date | None = None) -> WorkList:
    today = today or timezone.localdate()
    people = visible_people(user)
    stays = (
        SecureServiceStay.objects.current(today)
        .filter(person__in=people)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "-starts_on")
    )
    seen: set[int] = set()
    patients: list[tuple[Person, SecureServiceStay]] = []
    for stay in stays:
        if stay.person_id not in seen:
            seen.add(stay.person_id)
            patients.append((stay.person, stay))
    return WorkList(
        my_messages=unread_messages_for(user),
        team_messages=unassigned_messages_for(user),
        my_carers=list(visible_carers(user).filter(named_contact=user).order_by("family_name")),
        reviews_due=list(
            SharingAgreement.objects.due_for_review(today)
            .filter(relationship__in=visible_relationships(user))
            .select_related("relationship__carer", "relationship__patient")
            .order_by("review_on")
        ),
        patients=patients,
        flagged_count=flagged_contacts(user).count(),
    )


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
    from .choices import ShareCategory

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
