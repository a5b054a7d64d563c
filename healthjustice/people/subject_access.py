"""What the people app holds about a person, and the list of sections a subject access
export is made of.

Each kind of data is a section built by a function of the person. The person record's own
sections are registered here, first; apps above add theirs with `register_subject_access_section`
(information governance its audit events, the pathway apps their records), for example in their
module their AppConfig.ready() imports:

    @register_subject_access_section("episodes")
    def episodes_for_subject_access(person): ...

The registry lives here, not with the export in `governance`, so that pathway apps can add to it
without importing the layer above them (docs/adr/0003-layers.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

from healthjustice.accounts.models import User
from healthjustice.core.registry import Registry

from .choices import CommunicationNeed
from .models import Person

SectionBuilder = Callable[[Person], Any]
subject_access_registry: Registry[SectionBuilder] = Registry(
    "subject access sections", keyed=True, reserved=("subject_access_request",)
)


@overload
def register_subject_access_section(
    name: str, fn: SectionBuilder, *, order: int = ...
) -> SectionBuilder: ...


@overload
def register_subject_access_section(
    name: str, fn: None = ..., *, order: int = ...
) -> Callable[[SectionBuilder], SectionBuilder]: ...


def register_subject_access_section(
    name: str, fn: SectionBuilder | None = None, *, order: int = 100
) -> Any:
    """Add a section to every subject access export; `fn(person)` returns JSON-ready data.

    Usable as `@register_subject_access_section("name")` above the function."""

    def add(builder: SectionBuilder) -> SectionBuilder:
        return subject_access_registry.add(builder, key=name, order=order)

    return add(fn) if fn is not None else add


def subject_access_sections() -> list[str]:
    return subject_access_registry.keys()


def coded(value: Any, label: str) -> dict[str, Any] | None:
    return {"code": value, "label": label} if value not in ("", None) else None


def user_summary(user: User | None) -> dict[str, str] | None:
    if user is None:
        return None
    return {"name": user.display_name, "username": user.username}


@register_subject_access_section("person", order=0)
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


@register_subject_access_section("aliases", order=0)
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


@register_subject_access_section("care_relationships", order=0)
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


@register_subject_access_section("record_changes", order=0)
def _record_changes(person: Person) -> list[dict[str, Any]]:
    return [
        {"at": c.at, "by": user_summary(c.by), "summary": c.summary, "fields_changed": c.fields}
        for c in person.changes.select_related("by").order_by("at", "pk")
    ]


@register_subject_access_section("restriction", order=0)
def _restriction(person: Person) -> dict[str, Any] | None:
    restriction = getattr(person, "restriction", None)
    if restriction is None:
        return None
    # The note and the named staff concern the staff, not the person: only the reason is theirs.
    return {
        "reason": coded(restriction.reason, restriction.get_reason_display()),
        "restricted_at": restriction.created_at,
    }


@register_subject_access_section("break_glass", order=0)
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
    return [(str(e.key), e.item) for e in subject_access_registry.entries()]
