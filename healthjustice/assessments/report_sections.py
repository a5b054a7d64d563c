"""The kinds of report: each one's sections, recipients and rules, and which assessment answer
starts each section off.

Liaison and Diversion's kinds are declared here. A pathway app above this one declares its own
with `register_report_kind` from its AppConfig.ready (the engine never imports it): its sections,
who may receive it, when it can be written, its first draft, and what issuing it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from healthjustice.core.registry import Registry

from .choices import REPORT_RECIPIENTS, Recipient, ReportType

if TYPE_CHECKING:
    from django.http import HttpRequest

    from healthjustice.accounts.models import User
    from healthjustice.journeys.models import Episode

    from .models import Report


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
}


@dataclass(frozen=True)
class ReportKind:
    """One kind of report and its rules.

    - `recipients`: who it may be issued to (each has its own consent purpose).
    - `pathways`: the pathways whose episodes it is written on; empty for any. A pathway that
      has kinds of its own is offered only those.
    - `on_closed_episode`: written once the episode is closed (an end-of-treatment letter);
      other kinds are refused on a closed episode, but a correction is always allowed.
    - `unavailable(episode)`: why it cannot be written now, in words; "" when it can.
    - `starting_text(actor, episode)`: each section's first draft, by section key.
    - `after_issue(actor, report, request)`: runs in the issuing transaction (a stage move);
      if it raises, nothing is issued.
    """

    report_type: str
    sections: tuple[Section, ...]
    recipients: tuple[str, ...] = REPORT_RECIPIENTS
    default_recipient: str = ""
    pathways: tuple[str, ...] = ()
    on_closed_episode: bool = False
    unavailable: Callable[[Episode], str] | None = None
    starting_text: Callable[[User, Episode], dict[str, str]] | None = None
    after_issue: Callable[[User, Report, HttpRequest | None], None] | None = None


report_kinds: Registry[ReportKind] = Registry("kinds of report", keyed=True)


def register_report_kind(kind: ReportKind) -> ReportKind:
    """Declare a kind of report (once per report type)."""
    if kind.report_type not in ReportType.values:
        raise ValueError(f"Unknown report type {kind.report_type!r}")
    return report_kinds.add(kind, key=kind.report_type)


def register_standard_kinds() -> None:
    """The reports every pathway shares (called from the app's ready)."""
    for report_type, sections in SECTIONS.items():
        register_report_kind(
            ReportKind(
                report_type,
                sections,
                default_recipient=Recipient.COURT
                if report_type in (ReportType.COURT_BAIL_REMAND, ReportType.FITNESS_TO_PLEAD)
                else "",
            )
        )


def kind_for(report_type: str) -> ReportKind | None:
    return report_kinds.get(report_type)


def kinds_for(pathway: str) -> list[ReportKind]:
    """The kinds offered on an episode of `pathway`, in the order of ReportType."""
    own = [k for k in report_kinds if pathway in k.pathways]
    kinds = own or [k for k in report_kinds if not k.pathways]
    order = list(ReportType.values)
    return sorted(kinds, key=lambda k: order.index(k.report_type))


def sections_for(report_type: str) -> tuple[Section, ...]:
    kind = kind_for(report_type)
    if kind is None:
        raise KeyError(f"No kind of report declared for {report_type!r}")
    return kind.sections


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
