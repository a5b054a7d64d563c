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


@register_timeline_provider
def secure_stays(person: Person) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for stay in person.secure_stays.select_related("team"):
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
    stay = SecureServiceStay.objects.current().filter(person=person).order_by("-starts_on").first()
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
