"""Assessments, consent and reports built through the services, as staff would make them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from healthjustice.assessments.models import Assessment, ConsentEvent, Report
from healthjustice.assessments.selectors import consent_in_force
from healthjustice.assessments.services import assessment_record, consent_record, report_issue
from healthjustice.journeys.models import Episode

SECTIONS = {
    "needs": "Low mood for six months; not known to mental health services.",
    "risk": "Risk to self: fleeting thoughts, no plans. Risk to others: none identified.",
    "bail": "Has a stable address with his sister, who will support him to appointments.",
    "recommendations": "Referral to the community mental health team; GP review this week.",
}


def assessment_data(episode: Episode, assessor: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "assessed_at": timezone.now() - timedelta(minutes=30),
        "mode": "in_person",
        "assessor": assessor,
        "presenting_needs": "Low mood and poor sleep since losing his job.",
        "mental_state": "Calm, good eye contact, low in mood, no psychotic features.",
        "risk_to_self": "Fleeting thoughts of being better off dead; no plans or intent.",
        "risk_to_others": "None identified",
        "risk_from_others": "None identified",
        "formulation": "Depressive episode in the context of job loss and debt.",
        "recommendations": "GP review; refer to talking therapies; debt advice.",
        "reasonable_adjustments": "Explain the custody process slowly; offer breaks.",
        **overrides,
    }


def make_assessment(
    episode: Episode, actor: Any, skip_reason: str = "", **overrides: Any
) -> Assessment:
    """An assessment, with the person's consent to it recorded first if none is in force."""
    if consent_in_force(episode.person, "assessment") is None:
        give_consent(episode.person, actor, purpose="assessment")
    return assessment_record(
        actor=actor,
        episode=episode,
        data=assessment_data(episode, overrides.pop("assessor", actor), **overrides),
        skip_reason=skip_reason,
    )


def give_consent(
    person: Any, actor: Any, purpose: str = "share_court", **extra: Any
) -> ConsentEvent:
    return consent_record(actor=actor, person=person, purpose=purpose, status="given", **extra)


def issue_court_report(episode: Episode, actor: Any, **extra: Any) -> Report:
    return report_issue(
        actor=actor,
        episode=episode,
        report_type="court_bail_remand",
        recipient=extra.pop("recipient", "court"),
        sections=extra.pop("sections", SECTIONS),
        **extra,
    )
