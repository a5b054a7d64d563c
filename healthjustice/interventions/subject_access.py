"""The interventions app's sections of a subject access export: onward referrals and closures."""

from __future__ import annotations

from typing import Any

from healthjustice.accounts.models import User
from healthjustice.people.models import Person
from healthjustice.people.subject_access import register_subject_access_section

from .models import ClosureOutcome, OnwardReferral


def _user(user: User | None) -> dict[str, str] | None:
    return {"name": user.display_name, "username": user.username} if user else None


def _episode(episode: Any) -> dict[str, str]:
    return {"reference": str(episode.public_id), "team": episode.team.name}


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not known"}[value]


@register_subject_access_section("onward_referrals")
def onward_referrals(person: Person) -> list[dict[str, Any]]:
    rows = OnwardReferral.objects.filter(episode__person=person).select_related(
        "episode__team", "created_by", "follow_up_done_by"
    )
    return [
        {
            "episode": _episode(r.episode),
            "service_type": {"code": r.service_type, "label": r.get_service_type_display()},
            "service_name": r.service_name,
            "referred_on": r.referred_on,
            "referred_by": _user(r.created_by),
            "first_appointment_on": r.first_appointment_on,
            "supported_to_first_appointment": _yes_no(r.supported_to_first_appointment),
            "attended": _yes_no(r.attended),
            "attended_on": r.attended_on,
            "outcome": {"code": r.outcome, "label": r.get_outcome_display()},
            "outcome_notes": r.outcome_notes,
            "follow_up_done_at": r.follow_up_done_at,
            "follow_up_done_by": _user(r.follow_up_done_by),
        }
        for r in rows.order_by("referred_on", "pk")
    ]


@register_subject_access_section("episode_closures")
def episode_closures(person: Person) -> list[dict[str, Any]]:
    rows = ClosureOutcome.objects.filter(episode__person=person).select_related(
        "episode__team", "status", "recorded_by"
    )
    return [
        {
            "episode": _episode(c.episode),
            "closed_at": c.status.at,
            "reason": {
                "code": c.status.closure_reason,
                "label": c.status.get_closure_reason_display(),
            },
            "outcome": c.summary,
            "recorded_by": _user(c.recorded_by),
        }
        for c in rows.order_by("recorded_at", "pk")
    ]
