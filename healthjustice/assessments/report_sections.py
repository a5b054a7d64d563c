"""The sections each kind of report has, and which assessment answer starts each one off."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .choices import ReportType


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    hint: str
    from_assessment: str = ""
    required: bool = True


_NEEDS = Section(
    "needs",
    "Health and social care needs",
    "Only what the recipient needs to know for their decision (Caldicott principle 3).",
    "presenting_needs",
)
_RISK = Section(
    "risk",
    "Risk",
    "Risk to self, to others and from others, as far as it bears on the decision.",
    "risk",
)
_ADJUSTMENTS = Section(
    "adjustments",
    "Reasonable adjustments",
    "How custody or court staff can support the person, for example communication needs.",
    "reasonable_adjustments",
    required=False,
)
_RECOMMENDATIONS = Section(
    "recommendations",
    "Recommendations",
    "What you advise, and the support or treatment available.",
    "recommendations",
)

SECTIONS: dict[str, tuple[Section, ...]] = {
    ReportType.CUSTODY_ADVICE: (
        _NEEDS,
        _RISK,
        Section(
            "custody_care",
            "Advice on care in custody",
            "For example, an appropriate adult, observation levels, medication, fitness for "
            "interview.",
        ),
        _ADJUSTMENTS,
        _RECOMMENDATIONS,
    ),
    ReportType.COURT_BAIL_REMAND: (
        _NEEDS,
        _RISK,
        Section(
            "bail",
            "Advice relevant to bail or remand",
            "Support and accommodation available in the community, and what remand would mean "
            "for the person's health.",
        ),
        _ADJUSTMENTS,
        _RECOMMENDATIONS,
    ),
    ReportType.FITNESS_TO_PLEAD: (
        _NEEDS,
        Section(
            "understanding",
            "Observations on understanding and communication",
            "What you observed about their understanding of the proceedings and their "
            "ability to communicate.",
            "autism_communication",
        ),
        Section(
            "psychiatric_report",
            "Advice on whether a psychiatric report is needed",
            "Advice only: fitness to plead is decided by the court on expert evidence.",
        ),
        _ADJUSTMENTS,
    ),
    ReportType.PSR_INPUT: (
        _NEEDS,
        Section(
            "engagement",
            "Engagement with treatment and support",
            "Current and past contact with services, and willingness to engage.",
            "social_circumstances",
        ),
        Section(
            "treatment_requirement",
            "Suitability for a treatment requirement",
            "Whether a mental health, drug or alcohol treatment requirement may be suitable.",
        ),
        _RECOMMENDATIONS,
    ),
    ReportType.MHTR_SUITABILITY: (
        Section(
            "mental_health",
            "Mental health needs",
            "The needs a Mental Health Treatment Requirement would address.",
            "mental_state",
        ),
        Section(
            "suitability",
            "Suitability and willingness",
            "Whether the person is suitable for, and willing to comply with, the requirement.",
        ),
        Section(
            "treatment_plan",
            "Proposed treatment and provider",
            "The treatment, who would provide it and the expected number of sessions.",
        ),
        _RISK,
    ),
}


def sections_for(report_type: str) -> tuple[Section, ...]:
    return SECTIONS[ReportType(report_type)]


_RISK_PARTS = (
    ("Risk to self", "risk_to_self"),
    ("Risk to others", "risk_to_others"),
    ("Risk from others", "risk_from_others"),
)


def starting_text(sections: tuple[Section, ...], assessment: Any) -> dict[str, str]:
    """Each section's first draft from the latest assessment; the author edits it down."""
    if assessment is None:
        return {}
    texts = {}
    for section in sections:
        if section.from_assessment == "risk":
            parts = [
                f"{label}: {getattr(assessment, name)}"
                for label, name in _RISK_PARTS
                if getattr(assessment, name)
            ]
            texts[section.key] = "\n".join(parts)
        elif section.from_assessment:
            texts[section.key] = getattr(assessment, section.from_assessment) or ""
    return texts


def screening_summary(episode: Any) -> str:
    """The latest screening and questionnaire results, in a line each, to start the needs off."""
    from healthjustice.core.dates import format_date
    from healthjustice.screening.selectors import (
        latest_results,
        screenings_for_episode,
        vulnerability_labels,
    )

    lines = []
    screening = screenings_for_episode(episode).order_by("-screened_at", "-pk").first()
    if screening is not None:
        found = ", ".join(vulnerability_labels(screening.vulnerabilities)) or "none identified"
        lines.append(
            f"Screening ({format_date(screening.screened_at)}): vulnerabilities {found.lower()}; "
            f"risk {screening.get_risk_level_display().lower()}."
        )
    for result in latest_results(episode):
        a = result.administration
        lines.append(
            f"{result.name} ({format_date(a.administered_at)}): {a.total}, {a.band.lower()}."
        )
    return "\n".join(lines)
