"""Who a carer contacts: the named contact of the team caring for their patient."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from healthjustice.accounts.models import User

from ..models import (
    Carer,
    CarerSupport,
    SecureServiceStay,
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
