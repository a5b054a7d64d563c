"""What the people app holds about a person, and the list of sections a subject access
export is made of.

Each kind of data is a section built by a function of the person. The person record's own
sections are registered here; apps above add theirs with `register_subject_access_section`
(information governance its audit events, the pathway apps their records), for example in their
AppConfig.ready():

    register_subject_access_section("episodes", episodes_for_subject_access)

The registry lives here, not with the export in `governance`, so that pathway apps can add to it
without importing the layer above them (docs/adr/0003-layers.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from healthjustice.accounts.models import User

from .choices import CommunicationNeed
from .models import Person

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


def coded(value: Any, label: str) -> dict[str, Any] | None:
    return {"code": value, "label": label} if value not in ("", None) else None


def user_summary(user: User | None) -> dict[str, str] | None:
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
            record[f.name] = user_summary(getattr(person, f.name))
        elif f.name == "merged_into":
            kept = person.merged_into
            record[f.name] = {"person_public_id": str(kept.public_id)} if kept else None
        elif f.name == "communication_needs":
            labels = dict(CommunicationNeed.choices)
            record[f.name] = [coded(v, str(labels.get(v, v))) for v in person.communication_needs]
        elif f.choices:
            record[f.name] = coded(
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
            "kind": coded(a.kind, a.get_kind_display()),
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
        {"at": c.at, "by": user_summary(c.by), "summary": c.summary, "fields_changed": c.fields}
        for c in person.changes.select_related("by").order_by("at", "pk")
    ]


def _restriction(person: Person) -> dict[str, Any] | None:
    restriction = getattr(person, "restriction", None)
    if restriction is None:
        return None
    # The note and the named staff concern the staff, not the person: only the reason is theirs.
    return {
        "reason": coded(restriction.reason, restriction.get_reason_display()),
        "restricted_at": restriction.created_at,
    }


def _break_glass(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "by": user_summary(g.user),
            "reason": g.reason,
            "started_at": g.started_at,
            "expires_at": g.expires_at,
            "review": {
                "outcome": coded(g.review_outcome, g.get_review_outcome_display()),
                "reviewed_at": g.reviewed_at,
            }
            if g.reviewed_at
            else None,
        }
        for g in person.break_glass.select_related("user").order_by("started_at", "pk")
    ]


def section_builders() -> list[tuple[str, SectionBuilder]]:
    return list(_sections.items())


for _name, _fn in (
    ("person", _person_record),
    ("aliases", _aliases),
    ("care_relationships", _care_relationships),
    ("record_changes", _record_changes),
    ("restriction", _restriction),
    ("break_glass", _break_glass),
):
    register_subject_access_section(_name, _fn)
