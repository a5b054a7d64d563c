"""The carers' part of a patient's subject access export.

What the patient agreed to share, with whom, and what was shared is theirs. What a carer told
staff is the carer's own confidential information, so contact summaries are left out and the
export says so, for information governance to decide before release.
"""

from __future__ import annotations

from typing import Any

from healthjustice.accounts.models import User
from healthjustice.people.models import Person
from healthjustice.people.subject_access import register_subject_access_section

from .choices import category_labels
from .models import CarerRelationship


def _user(user: User | None) -> dict[str, str] | None:
    return {"name": user.display_name, "username": user.username} if user else None


def _coded(value: str, label: str) -> dict[str, str] | None:
    return {"code": value, "label": label} if value else None


def _categories(values: list[str]) -> list[dict[str, str]]:
    return [
        {"code": v, "label": label}
        for v, label in zip(values, category_labels(values), strict=True)
    ]


@register_subject_access_section("secure_service_stays")
def secure_stays_for_subject_access(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "level": _coded(s.level, s.get_level_display()),
            "hospital_or_team": s.hospital_or_team,
            "ward": s.ward,
            "team": s.team.name,
            "key_worker": _user(s.key_worker),
            "ward_manager": _user(s.ward_manager),
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
        }
        for s in person.secure_stays.select_related("team", "key_worker", "ward_manager").order_by(
            "starts_on", "pk"
        )
    ]


@register_subject_access_section("carers")
def carers_for_subject_access(person: Person) -> list[dict[str, Any]]:
    relationships = (
        CarerRelationship.objects.filter(patient=person)
        .select_related("carer")
        .prefetch_related("agreements__recorded_by", "agreements__ended_by", "shared_items")
        .order_by("started_on", "pk")
    )
    result = []
    for rel in relationships:
        result.append(
            {
                "carer": {"name": rel.carer.full_name},
                "relationship": _coded(rel.relationship, rel.get_relationship_display()),
                "relationship_detail": rel.relationship_detail,
                "is_nearest_relative": rel.is_nearest_relative,
                "named_on_care_plan": rel.named_on_care_plan,
                "started_on": rel.started_on,
                "ended_on": rel.ended_on,
                "sharing_agreements": [
                    {
                        "categories": _categories(a.categories),
                        "capacity": _coded(a.capacity, a.get_capacity_display()),
                        "capacity_note": a.capacity_note,
                        "advance_statement": a.advance_statement,
                        "recorded_by": _user(a.recorded_by),
                        "recorded_at": a.recorded_at,
                        "review_on": a.review_on,
                        "ended_at": a.ended_at,
                        "ended_by": _user(a.ended_by),
                        "end_kind": _coded(a.end_kind, a.get_end_kind_display()),
                        "withdrawal_reason": a.withdrawal_reason,
                    }
                    for a in sorted(rel.agreements.all(), key=lambda a: (a.recorded_at, a.pk))
                ],
                "written_for_the_carer": [
                    {
                        "category": _categories([i.category])[0],
                        "title": i.title,
                        "body": i.body,
                        "meeting_at": i.meeting_at,
                        "written_at": i.written_at,
                        "retracted_at": i.retracted_at,
                    }
                    for i in sorted(rel.shared_items.all(), key=lambda i: (i.written_at, i.pk))
                ],
                "contacts": [
                    {
                        "occurred_at": c.occurred_at,
                        "mode": _coded(c.mode, c.get_mode_display()),
                        "categories_shared": _categories(c.categories_shared),
                        "shared_without_consent": _categories(c.outside_agreement),
                        "lawful_basis": _coded(c.lawful_basis, c.get_lawful_basis_display()),
                        "lawful_basis_detail": c.lawful_basis_detail,
                        "summary": "Withheld: it may hold what the carer told staff in "
                        "confidence. Review it before release.",
                    }
                    for c in rel.contacts.order_by("occurred_at", "pk")
                ],
            }
        )
    return result
