"""What an issued report says, written out once at issue so it never changes afterwards."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from healthjustice.journeys.choices import Disposal
from healthjustice.journeys.selectors import cj_context_for_user
from healthjustice.web.dates import format_date, format_datetime

from .choices import LawfulBasis

CONTENT_VERSION = 1


def reference_for(public_id: Any) -> str:
    """A short reference to quote on the phone or in a letter."""
    return "HJ-" + str(public_id).replace("-", "")[:8].upper()


def criminal_justice_rows(actor: Any, episode: Any, request: HttpRequest | None) -> list[dict]:
    """The episode's criminal-justice details as label and value (Article 10 data)."""
    context = cj_context_for_user(actor, episode, request=request)
    if context is None:
        return []
    rows = [
        ("Custody record reference", context.custody_record_reference),
        ("Offence category", context.get_offence_category_display()),
        ("Charge status", context.get_charge_status_display()),
        ("Court", context.court_display),
        ("Hearing", format_datetime(context.hearing_at) if context.hearing_at else ""),
        ("Bail or remand", context.get_bail_status_display()),
        ("Plea", context.get_plea_display()),
        (
            "Disposal",
            context.get_disposal_display() if context.disposal != Disposal.NOT_YET_KNOWN else "",
        ),
        (
            "Pre-sentence report due",
            format_date(context.psr_due_on) if context.psr_due_on else "",
        ),
    ]
    return [{"label": label, "value": str(value)} for label, value in rows if value]


def build_content(
    *, report: Any, actor: Any, sections: list[dict[str, str]], request: HttpRequest | None
) -> dict[str, Any]:
    episode = report.episode
    person = episode.person
    consent_event = report.consent_event
    supersedes = report.supersedes
    return {
        "content_version": CONTENT_VERSION,
        "reference": reference_for(report.public_id),
        "title": report.get_report_type_display(),
        "service": settings.SERVICE_NAME,
        "team": episode.team.name,
        "organisation": episode.team.organisation.name,
        "person": {
            "name": person.full_name,
            "date_of_birth": format_date(person.date_of_birth) if person.date_of_birth else "",
            "nhs_number": person.nhs_number_display,
        },
        "author": {"name": actor.display_name, "job_title": getattr(actor, "job_title", "")},
        "issued_at": format_datetime(report.issued_at),
        "recipient": report.get_recipient_display(),
        "lawful_basis": {
            "code": report.lawful_basis,
            "label": report.get_lawful_basis_display(),
            "justification": report.justification,
        },
        "consent": {
            "reference": str(consent_event.public_id),
            "purpose": report.consent.get_purpose_display(),
            "recorded_at": format_datetime(consent_event.recorded_at),
            "recorded_by": consent_event.recorded_by.display_name,
            "review_on": format_date(consent_event.review_on) if consent_event.review_on else "",
            "best_interests_by": consent_event.best_interests_by,
        }
        if report.lawful_basis == LawfulBasis.CONSENT and consent_event
        else None,
        "criminal_justice": criminal_justice_rows(actor, episode, request),
        "sections": sections,
        "supersedes": {
            "reference": reference_for(supersedes.public_id),
            "issued_at": format_datetime(supersedes.issued_at),
            "reason": report.correction_reason,
        }
        if supersedes
        else None,
    }
