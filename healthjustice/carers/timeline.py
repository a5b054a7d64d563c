"""What the person's record shows about secure services: timeline entries and a short section.

Carers' own details stay on the carers' pages; the person's page only links there.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from markupsafe import Markup

from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person
from healthjustice.people.selectors import (
    TimelineEntry,
    register_person_section,
    register_timeline_provider,
)

from .models import SecureServiceStay

_STAYS_ATTR = "_hj_secure_stays"


def _stays(person: Person) -> list[SecureServiceStay]:
    """The person's secure-service stays, newest first, read once for the person's page (kept
    on the person object, which lives for one request): the timeline and the section share
    them."""
    stays = getattr(person, _STAYS_ATTR, None)
    if stays is None:
        stays = list(person.secure_stays.all())
        setattr(person, _STAYS_ATTR, stays)
    return stays


@register_timeline_provider
def secure_stays(person: Person) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for stay in _stays(person):
        entries.append(
            TimelineEntry(
                at=stay.starts_on,
                title=f"Secure services: {stay.get_level_display()} began",
                detail=stay.place,
                tag="Secure services",
            )
        )
        if stay.ends_on:
            entries.append(
                TimelineEntry(
                    at=stay.ends_on,
                    title=f"Secure services: {stay.get_level_display()} ended",
                    detail=stay.place,
                    tag="Secure services",
                )
            )
    return entries


@register_person_section
def carers_section(request: HttpRequest, person: Person) -> tuple[str, Markup] | None:
    """A link to the person's carers and secure-service stays, for staff who manage carers."""
    if not has_permission(request.user, Permission.CARERS_MANAGE):
        return None
    # The newest stay in progress (as SecureServiceStay.objects.current(), newest first).
    stay = next((s for s in _stays(person) if s.is_current), None)
    carers = person.carer_links.filter(ended_on__isnull=True).count()
    now = (
        Markup("<p>Now: {}, {}.</p>").format(stay.get_level_display(), stay.place)
        if stay
        else Markup("<p>No current secure-service stay.</p>")
    )
    link = Markup('<p><a href="{}">Carers and secure services</a> ({} {})</p>').format(
        reverse("carers:patient", kwargs={"public_id": person.public_id}),
        carers,
        "carer" if carers == 1 else "carers",
    )
    return "Secure services and carers", now + link
