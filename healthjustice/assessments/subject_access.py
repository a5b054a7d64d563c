"""The assessments app's sections of a subject access export."""

from __future__ import annotations

from typing import Any

from healthjustice.accounts.models import User
from healthjustice.people.models import Person
from healthjustice.people.subject_access import register_subject_access_section

from .models import ASSESSMENT_TEXT_FIELDS, Assessment, Consent, Report


def _user(user: User | None) -> dict[str, str] | None:
    return {"name": user.display_name, "username": user.username} if user else None


@register_subject_access_section("assessments")
def assessments(person: Person) -> list[dict[str, Any]]:
    rows = Assessment.objects.filter(episode__person=person).select_related(
        "episode__team", "assessor"
    )
    return [
        {
            "episode": {"reference": str(a.episode.public_id), "team": a.episode.team.name},
            "assessed_at": a.assessed_at,
            "mode": {"code": a.mode, "label": a.get_mode_display()},
            "assessor": _user(a.assessor),
            **{name: getattr(a, name) for name in ASSESSMENT_TEXT_FIELDS},
            "last_changed_at": a.updated_at,
        }
        for a in rows.order_by("assessed_at", "pk")
    ]


@register_subject_access_section("consent")
def consent(person: Person) -> list[dict[str, Any]]:
    rows = Consent.objects.filter(person=person).prefetch_related("events__recorded_by")
    return [
        {
            "purpose": {"code": c.purpose, "label": c.get_purpose_display()},
            "carer_name": c.carer_name,
            "history": [
                {
                    "status": {"code": e.status, "label": e.status_label},
                    "capacity_assessed": e.capacity_assessed,
                    "capacity_outcome": e.get_capacity_outcome_display() or None,
                    "best_interests_decision_by": e.best_interests_by,
                    "best_interests_reason": e.best_interests_reason,
                    "review_on": e.review_on,
                    "note": e.note,
                    "recorded_at": e.recorded_at,
                    "recorded_by": _user(e.recorded_by),
                }
                for e in sorted(c.events.all(), key=lambda e: e.seq)
            ],
        }
        for c in rows.order_by("purpose", "carer_key")
    ]


def _coded(code: str, label: str) -> dict[str, str] | None:
    return {"code": code, "label": label} if code else None


@register_subject_access_section("reports_to_criminal_justice_partners")
def reports_to_criminal_justice_partners(person: Person) -> list[dict[str, Any]]:
    """Each disclosure: who it went to, on what basis, and exactly what it said."""
    rows = Report.objects.filter(episode__person=person).select_related("author", "supersedes")
    return [
        {
            "reference": r.content.get("reference"),
            "type": {"code": r.report_type, "label": r.get_report_type_display()},
            "recipient": {"code": r.recipient, "label": r.get_recipient_display()},
            "lawful_basis": {"code": r.lawful_basis, "label": r.get_lawful_basis_display()},
            "article6_basis": _coded(r.article6_basis, r.get_article6_basis_display()),
            "article9_condition": _coded(r.article9_condition, r.get_article9_condition_display()),
            "article10_condition": _coded(
                r.article10_condition, r.get_article10_condition_display()
            ),
            "justification": r.justification,
            "issued_at": r.issued_at,
            "author": _user(r.author),
            "corrects": r.supersedes.content.get("reference") if r.supersedes else None,
            "content": r.content,
        }
        for r in rows.order_by("issued_at", "pk")
    ]
