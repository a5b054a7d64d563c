"""Subject access requests: everything held about one person, as one JSON document.

The document is made of the sections registered in `people.subject_access` (the person record's
own, then each app's); this app adds the person's audit events (GovernanceConfig.ready).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person
from healthjustice.people.subject_access import (
    coded,
    register_subject_access_section,
    section_builders,
    subject_access_sections,
    user_summary,
)

from .labels import event_label, object_label
from .selectors import events_about_person, governed_person

FORMAT = "healthjustice.subject-access"
FORMAT_VERSION = 1


# Right after the person record's own sections, before the pathway apps', as the export has
# always shown them.
@register_subject_access_section("audit_events", order=1)
def audit_events_for_subject_access(person: Person) -> list[dict[str, Any]]:
    labels = dict(Action.choices)
    events = events_about_person(person.public_id).order_by("seq")
    actor_ids = set(
        events.exclude(actor_id="").order_by().values_list("actor_id", flat=True).distinct()
    )
    names = {
        str(u.public_id): u.display_name for u in User.objects.filter(public_id__in=list(actor_ids))
    }
    return [
        {
            "seq": e.seq,
            "at": e.occurred_at,
            "by": {"name": names.get(e.actor_id, ""), "username": e.actor_username}
            if e.actor_id
            else None,
            "event": event_label(e.action, e.object_type, e.detail),
            "action": coded(e.action, str(labels.get(e.action, e.action))),
            "object_type": e.object_type,
            "object": object_label(e.object_type),
            "fields_changed": e.fields_changed,
            "under_break_glass": bool(e.detail.get("break_glass")),
        }
        for e in events.iterator(chunk_size=2000)
    ]


def subject_access_document(person: Person) -> dict[str, Any]:
    """Everything held about `person`, one section per kind of data."""
    document: dict[str, Any] = {
        "subject_access_request": {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "service": settings.SERVICE_NAME,
            "person_public_id": str(person.public_id),
            "generated_at": timezone.now(),
            "sections": subject_access_sections(),
        }
    }
    for name, build in section_builders():
        document[name] = build(person)
    return document


def person_for_subject_access(
    actor: User, public_id: Any, *, request: HttpRequest | None = None
) -> Person:
    """The whole person record, for the export only (information governance has no care role),
    if within the auditor's reach; a 404 (audited as a denial) otherwise."""
    return governed_person(
        actor,
        public_id,
        request=request,
        select_related=("ethnic_category__code_list", "created_by"),
    )


def subject_access_filename(person: Person, extension: str = "json") -> str:
    return f"subject-access-{person.public_id}-{timezone.localdate().isoformat()}.{extension}"


EXPORT_FORMATS = ("json", "pdf")


@transaction.atomic
def subject_access_export(
    *,
    actor: User,
    person: Person,
    export_format: str = "json",
    request: HttpRequest | None = None,
) -> bytes:
    """Audit the export first (so the file lists it too), then build the document.

    `export_format` is "json" (the machine-readable document) or "pdf" (the same, to read).
    """
    if not has_permission(actor, Permission.SUBJECT_ACCESS_EXPORT):
        raise PermissionDenied("You may not export subject access requests.")
    if export_format not in EXPORT_FORMATS:
        raise ValueError(f"Unknown subject access export format {export_format!r}")
    audit_record(
        actor=actor,
        request=request,
        action=Action.EXPORT,
        object_type="person",
        object_id=str(person.public_id),
        detail={
            "purpose": "subject_access_request",
            "format": export_format,
            "sections": subject_access_sections(),
        },
    )
    document = subject_access_document(person)
    document["subject_access_request"]["exported_by"] = user_summary(actor)
    if export_format == "pdf":
        from .subject_access_pdf import subject_access_pdf

        return subject_access_pdf(document)
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()
