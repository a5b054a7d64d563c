"""Subject access requests: everything held about one person, as one JSON document.

Each kind of data is a section built by a function of the person. The person app's sections
are registered here; later apps add theirs with `register_subject_access_section`, for example
in their AppConfig.ready():

    register_subject_access_section("episodes", episodes_for_subject_access)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.choices import CommunicationNeed
from healthjustice.people.models import Person

from .labels import event_label, object_label
from .models import Action
from .selectors import events_about_person, governed_person
from .services import audit_record

FORMAT = "healthjustice.subject-access"
FORMAT_VERSION = 1

SectionBuilder = Callable[[Person], Any]
_sections: dict[str, SectionBuilder] = {}


def register_subject_access_section(name: str, fn: SectionBuilder) -> SectionBuilder:
    """Add a section to every subject access export; `fn(person)` returns JSON-ready data."""
    if name == "subject_access_request" or (name in _sections and _sections[name] is not fn):
        raise ValueError(f"A subject access section called {name!r} already exists")
    _sections[name] = fn
    return fn


def subject_access_sections() -> list[str]:
    return list(_sections)


def _coded(value: Any, label: str) -> dict[str, Any] | None:
    return {"code": value, "label": label} if value not in ("", None) else None


def _user(user: User | None) -> dict[str, str] | None:
    if user is None:
        return None
    return {"name": user.display_name, "username": user.username}


def _person_record(person: Person) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for f in Person._meta.concrete_fields:
        if f.name == "id":
            continue
        if f.name == "ethnic_category":
            code = person.ethnic_category
            record[f.name] = (
                {"code": code.code, "label": str(code), "code_list": code.code_list.version}
                if code
                else None
            )
        elif f.name in ("created_by", "merged_by"):
            record[f.name] = _user(getattr(person, f.name))
        elif f.name == "merged_into":
            kept = person.merged_into
            record[f.name] = {"person_public_id": str(kept.public_id)} if kept else None
        elif f.name == "communication_needs":
            labels = dict(CommunicationNeed.choices)
            record[f.name] = [_coded(v, str(labels.get(v, v))) for v in person.communication_needs]
        elif f.choices:
            record[f.name] = _coded(
                getattr(person, f.name), getattr(person, f"get_{f.name}_display")()
            )
        else:
            record[f.name] = getattr(person, f.name)
    return record


def _aliases(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "given_name": a.given_name,
            "family_name": a.family_name,
            "kind": _coded(a.kind, a.get_kind_display()),
            "recorded_at": a.recorded_at,
        }
        for a in person.aliases.all()
    ]


def _care_relationships(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "team": rel.team.name,
            "organisation": rel.team.organisation.name,
            "started_on": rel.started_on,
            "ended_on": rel.ended_on,
            "reason": rel.reason,
        }
        for rel in person.care_relationships.select_related("team", "team__organisation")
    ]


def _record_changes(person: Person) -> list[dict[str, Any]]:
    return [
        {"at": c.at, "by": _user(c.by), "summary": c.summary, "fields_changed": c.fields}
        for c in person.changes.select_related("by").order_by("at", "pk")
    ]


def _restriction(person: Person) -> dict[str, Any] | None:
    restriction = getattr(person, "restriction", None)
    if restriction is None:
        return None
    # The note and the named staff concern the staff, not the person: only the reason is theirs.
    return {
        "reason": _coded(restriction.reason, restriction.get_reason_display()),
        "restricted_at": restriction.created_at,
    }


def _break_glass(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "by": _user(g.user),
            "reason": g.reason,
            "started_at": g.started_at,
            "expires_at": g.expires_at,
            "review": {
                "outcome": _coded(g.review_outcome, g.get_review_outcome_display()),
                "reviewed_at": g.reviewed_at,
            }
            if g.reviewed_at
            else None,
        }
        for g in person.break_glass.select_related("user").order_by("started_at", "pk")
    ]


def _audit_events(person: Person) -> list[dict[str, Any]]:
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
            "action": _coded(e.action, str(labels.get(e.action, e.action))),
            "object_type": e.object_type,
            "object": object_label(e.object_type),
            "fields_changed": e.fields_changed,
            "under_break_glass": bool(e.detail.get("break_glass")),
        }
        for e in events.iterator(chunk_size=2000)
    ]


for _name, _fn in (
    ("person", _person_record),
    ("aliases", _aliases),
    ("care_relationships", _care_relationships),
    ("record_changes", _record_changes),
    ("restriction", _restriction),
    ("break_glass", _break_glass),
    ("audit_events", _audit_events),
):
    register_subject_access_section(_name, _fn)


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
    for name, build in _sections.items():
        document[name] = build(person)
    return document


def person_for_subject_access(
    actor: Any, public_id: Any, *, request: HttpRequest | None = None
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
    actor: Any,
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
    document["subject_access_request"]["exported_by"] = _user(actor)
    if export_format == "pdf":
        from .subject_access_pdf import subject_access_pdf

        return subject_access_pdf(document)
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()
