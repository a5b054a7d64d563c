"""The screening app's sections of a subject access export: everything it holds on a person."""

from __future__ import annotations

from typing import Any

from healthjustice.accounts.models import User
from healthjustice.people.models import Person
from healthjustice.people.subject_access import register_subject_access_section

from .instruments import EXTERNAL_SCORES
from .models import ExternalScreen, InstrumentAdministration, RiskAlert, Screening
from .selectors import instrument_name, item_answers, vulnerability_labels


def _user(user: User | None) -> dict[str, str] | None:
    return {"name": user.display_name, "username": user.username} if user else None


def _episode(episode: Any) -> dict[str, str]:
    return {"reference": str(episode.public_id), "team": episode.team.name}


@register_subject_access_section("screenings")
def screenings(person: Person) -> list[dict[str, Any]]:
    rows = Screening.objects.filter(episode__person=person).select_related(
        "episode__team", "screened_by"
    )
    return [
        {
            "episode": _episode(s.episode),
            "screened_at": s.screened_at,
            "screened_by": _user(s.screened_by),
            "vulnerabilities": [
                {"code": code, "label": label}
                for code, label in zip(
                    s.vulnerabilities, vulnerability_labels(s.vulnerabilities), strict=True
                )
            ],
            "risk_level": {"code": s.risk_level, "label": s.get_risk_level_display()},
            "urgency": {"code": s.urgency, "label": s.get_urgency_display()},
            "full_assessment_needed": s.full_assessment_needed,
            "notes": s.notes,
        }
        for s in rows.order_by("screened_at", "pk")
    ]


@register_subject_access_section("questionnaires")
def questionnaires(person: Person) -> list[dict[str, Any]]:
    rows = InstrumentAdministration.objects.filter(episode__person=person).select_related(
        "episode__team", "administered_by"
    )
    return [
        {
            "episode": _episode(a.episode),
            "questionnaire": {
                "code": a.instrument_code,
                "name": instrument_name(a.instrument_code),
            },
            "version": a.instrument_version,
            "administered_at": a.administered_at,
            "administered_by": _user(a.administered_by),
            "session_number": a.session_number,
            "answers": [
                {"item": row.number, "text": row.text, "answer": row.answer, "score": row.score}
                for row in item_answers(a)
            ],
            "total": a.total,
            "band": a.band,
            "risk_item_answered": a.risk_flag,
        }
        for a in rows.order_by("administered_at", "pk")
    ]


@register_subject_access_section("licensed_screening_tools")
def licensed_screening_tools(person: Person) -> list[dict[str, Any]]:
    rows = ExternalScreen.objects.filter(episode__person=person).select_related(
        "episode__team", "recorded_by"
    )
    return [
        {
            "episode": _episode(x.episode),
            "tool": {
                "code": x.tool_code,
                "name": EXTERNAL_SCORES[x.tool_code].name
                if x.tool_code in EXTERNAL_SCORES
                else x.tool_code,
            },
            "score": str(x.value),
            "cutoff": str(x.cutoff),
            "screen_positive": x.screen_positive,
            "outcome": x.outcome,
            "administered_on": x.administered_on,
            "scored_by": x.administered_elsewhere_by,
            "recorded_by": _user(x.recorded_by),
            "recorded_at": x.recorded_at,
            "notes": x.notes,
        }
        for x in rows.order_by("administered_on", "pk")
    ]


@register_subject_access_section("risk_alerts")
def risk_alerts(person: Person) -> list[dict[str, Any]]:
    rows = RiskAlert.objects.filter(episode__person=person).select_related(
        "episode__team", "acknowledged_by", "raised_by"
    )
    return [
        {
            "episode": _episode(r.episode),
            "raised_at": r.raised_at,
            "raised_by": _user(r.raised_by),
            "source": r.source,
            "details": r.details,
            "acknowledged_at": r.acknowledged_at,
            "acknowledged_by": _user(r.acknowledged_by),
            "acknowledgement_note": r.acknowledgement_note,
        }
        for r in rows.order_by("raised_at", "pk")
    ]
