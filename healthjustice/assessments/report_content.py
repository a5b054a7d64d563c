"""What an issued report says, written out once at issue so it never changes afterwards."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.core.dates import format_date, format_datetime
from healthjustice.journeys.choices import Disposal
from healthjustice.journeys.selectors import cj_context_unrecorded

from .choices import (
    DECISION_BASES,
    Article6Basis,
    Article9Condition,
    Article10Condition,
    LawfulBasis,
)

CONTENT_VERSION = 2


def reference_for(public_id: Any) -> str:
    """A short reference to quote on the phone or in a letter."""
    return "HJ-" + str(public_id).replace("-", "")[:8].upper()


def criminal_justice_context(actor: User, episode: Any, request: HttpRequest | None) -> Any:
    return cj_context_unrecorded(actor, episode)


def criminal_justice_rows(context: Any) -> list[dict]:
    """The episode's criminal-justice details as label and value (Article 10 data)."""
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


def _coded(value: str, choices: Any) -> dict[str, str] | None:
    return {"code": value, "label": str(choices(value).label)} if value else None


def _decision(report: Any) -> dict[str, Any] | None:
    """The consent, or best-interests decision, the report rests on: in words, no raw ids."""
    event = report.consent_event
    if report.lawful_basis not in DECISION_BASES or event is None:
        return None
    decision = {
        "reference": reference_for(event.public_id),
        "purpose": report.consent.get_purpose_display(),
        "recorded_at": format_datetime(event.recorded_at),
        "recorded_by": event.recorded_by.display_name,
        "review_on": format_date(event.review_on) if event.review_on else "",
        "best_interests_by": event.best_interests_by,
    }
    if event.is_best_interests:
        decision["best_interests_reason"] = event.best_interests_reason
    return decision


def _hearing(cj_context: Any) -> dict[str, str] | None:
    if cj_context is None:
        return None
    hearing = {
        "court": cj_context.court_display or "",
        "hearing_at": format_datetime(cj_context.hearing_at) if cj_context.hearing_at else "",
        "courtroom": str(getattr(cj_context, "courtroom", "") or ""),
    }
    return hearing if any(hearing.values()) else None


def build_content(
    *,
    report: Any,
    actor: User,
    sections: list[dict[str, str]],
    cj_rows: list[dict],
    cj_context: Any = None,
    courtroom: str = "",
) -> dict[str, Any]:
    episode = report.episode
    person = episode.person
    team = episode.team
    supersedes = report.supersedes
    decision = _decision(report)
    hearing = _hearing(cj_context)
    if courtroom:
        hearing = {**(hearing or {"court": "", "hearing_at": ""}), "courtroom": courtroom}
    return {
        "content_version": CONTENT_VERSION,
        "reference": reference_for(report.public_id),
        "title": report.get_report_type_display(),
        "service": settings.SERVICE_NAME,
        "team": team.name,
        "organisation": team.organisation.name,
        "person": {
            "name": person.full_name,
            "date_of_birth": format_date(person.date_of_birth) if person.date_of_birth else "",
            "nhs_number": person.nhs_number_display,
        },
        "author": {
            "name": actor.display_name,
            "job_title": getattr(actor, "job_title", ""),
            "team": team.name,
            "phone": getattr(team, "phone", ""),
            "email": getattr(team, "email", ""),
        },
        "issued_at": format_datetime(report.issued_at),
        "recipient": report.get_recipient_display(),
        "hearing": hearing,
        "lawful_basis": {
            "code": report.lawful_basis,
            "label": report.get_lawful_basis_display(),
            "justification": report.justification,
            "article_6": _coded(report.article6_basis, Article6Basis),
            "article_9": _coded(report.article9_condition, Article9Condition),
            "article_10": _coded(report.article10_condition, Article10Condition),
        },
        # Under "consent" for the person's own decision, "best_interests" for one made for them.
        "consent": decision if decision and report.lawful_basis == LawfulBasis.CONSENT else None,
        "best_interests": decision
        if decision and report.lawful_basis == LawfulBasis.BEST_INTERESTS
        else None,
        "criminal_justice": cj_rows,
        "sections": sections,
        "supersedes": {
            "reference": reference_for(supersedes.public_id),
            "issued_at": format_datetime(supersedes.issued_at),
            "reason": report.correction_reason,
        }
        if supersedes
        else None,
    }


def _short_reference(value: str) -> str:
    """Reports issued before references were written out hold a raw id: show it short."""
    return reference_for(value) if len(value) == 36 and value.count("-") == 4 else value


def disclosure_rows(content: dict[str, Any]) -> list[tuple[str, str]]:
    """The disclosure record of an issued report, as label and value, for its page and PDF.

    Reads every content version: older reports lack the hearing, contact details and the
    UK GDPR bases, and say so rather than leave a gap.
    """
    person = content.get("person", {})
    author = content.get("author", {})
    basis = content.get("lawful_basis", {})
    hearing = content.get("hearing") or {}
    rows = [
        ("Name", person.get("name", "")),
        ("Date of birth", person.get("date_of_birth") or "Not known"),
        ("NHS number", person.get("nhs_number") or "Not known"),
        ("For", content.get("recipient", "")),
    ]
    if hearing.get("court"):
        rows.append(("Court", hearing["court"]))
    if hearing.get("hearing_at"):
        rows.append(("Hearing", hearing["hearing_at"]))
    if hearing.get("courtroom"):
        rows.append(("Courtroom", hearing["courtroom"]))
    rows.append(
        ("Written by", ", ".join(x for x in (author.get("name"), author.get("job_title")) if x))
    )
    contact = [author.get("team", "")]
    contact += [f"phone {author['phone']}"] if author.get("phone") else []
    contact += [f"email {author['email']}"] if author.get("email") else []
    if any(contact):
        rows.append(("Contact", ", ".join(c for c in contact if c)))
    rows.append(("Date issued", content.get("issued_at", "")))
    rows.append(("Basis for sharing (common law)", basis.get("label", "")))
    consent = content.get("consent")
    if consent and consent.get("best_interests_by"):
        # Issued before best-interests decisions were told apart from consent.
        rows.append(
            (
                "Best-interests decision",
                f"Recorded {consent['recorded_at']} by {consent['recorded_by']}: a decision "
                f"made by {consent['best_interests_by']} for a person who lacked capacity, "
                "not their consent. Reference " + _short_reference(consent["reference"]),
            )
        )
    elif consent:
        rows.append(
            (
                "Consent",
                f"Given by the person; recorded {consent['recorded_at']} by "
                f"{consent['recorded_by']}"
                + (
                    f", to be reviewed by {consent['review_on']}"
                    if consent.get("review_on")
                    else ""
                )
                + ". Reference "
                + _short_reference(consent["reference"]),
            )
        )
    decision = content.get("best_interests")
    if decision:
        rows.append(
            (
                "Best-interests decision",
                f"Made by {decision['best_interests_by']} for a person who lacks capacity to "
                "decide (Mental Capacity Act 2005, section 4)"
                + (
                    f": {decision['best_interests_reason']}"
                    if decision.get("best_interests_reason")
                    else ""
                )
                + f". Recorded {decision['recorded_at']} by {decision['recorded_by']}. "
                f"Reference {decision['reference']}",
            )
        )
    if basis.get("justification"):
        rows.append(("Why sharing without consent is justified", basis["justification"]))
    not_recorded = "Not recorded (issued before it was recorded on each report)"
    if "article_6" in basis:
        rows.append(
            ("UK GDPR Article 6", (basis.get("article_6") or {}).get("label", not_recorded))
        )
        rows.append(
            ("UK GDPR Article 9", (basis.get("article_9") or {}).get("label", not_recorded))
        )
        article10 = basis.get("article_10")
        rows.append(
            (
                "Article 10 (criminal-offence data)",
                article10["label"] if article10 else "Not needed: no criminal-offence data shared",
            )
        )
    else:
        rows.append(("UK GDPR bases", not_recorded))
    return rows
