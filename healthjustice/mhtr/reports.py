"""The MHTR pathway's reports, written and issued through the consent-gated report engine
(`assessments.report_sections.register_report_kind`, called from MhtrConfig.ready):

- the view for the pre-sentence report, to probation: written once suitability is assessed and
  before sentence, started from the newest suitability assessment and the court details; issuing
  it moves the episode from *suitability assessed* to *view given for the PSR*;
- the end-of-treatment letter, to the GP or to probation (one disclosure each): written once an
  order was made and the episode is closed, started from the order, the sessions, the absences
  and notices, and how the order ended.

Each section is one entry of (section, how its first draft is written): the end-of-treatment
measures (`mhtr.outcomes`) are one such entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.assessments.choices import Recipient, ReportType
from healthjustice.assessments.models import Report
from healthjustice.assessments.report_sections import ReportKind, Section
from healthjustice.core.dates import format_date
from healthjustice.interventions.models import ClosureOutcome
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.selectors import cj_context_unrecorded, current_stage
from healthjustice.journeys.services import episode_move
from healthjustice.organisations.choices import Pathway
from healthjustice.screening.instruments import get_instrument

from . import selectors
from .choices import ABSENCES, SessionOutcome
from .measures import trajectory_of
from .models import CourtOutcome, SuitabilityAssessment
from .outcomes import MEASURE_CODES, outcomes_from_series, summarise
from .services import BEFORE_SENTENCE, unmet_conditions_of


@dataclass(frozen=True)
class Facts:
    """What a report's first draft is written from, read once."""

    actor: User
    episode: Episode
    suitability: SuitabilityAssessment | None
    order: CourtOutcome | None
    cj: CriminalJusticeContext | None
    closing: EpisodeStatus | None
    today: date


def _facts(actor: User, episode: Episode) -> Facts:
    closing = episode.statuses.filter(stage=Stage.CLOSED).order_by("-seq").first()
    return Facts(
        actor=actor,
        episode=episode,
        suitability=selectors.latest_suitability(episode),
        order=selectors.court_outcome_of(episode),
        # Read for the first draft only, unrecorded: the report quotes it; the page records views.
        cj=cj_context_unrecorded(actor, episode),
        closing=closing,
        today=timezone.localdate(),
    )


Part = tuple[Section, Callable[[Facts], str]]


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _draft(parts: tuple[Part, ...]) -> Callable[[User, Episode], dict[str, str]]:
    def starting_text(actor: User, episode: Episode) -> dict[str, str]:
        facts = _facts(actor, episode)
        return {section.key: write(facts) for section, write in parts}

    return starting_text


# --- the view for the pre-sentence report ------------------------------------------------------


def _needs(f: Facts) -> str:
    referral = selectors.referral_of(f.episode)
    return _lines(
        f"Referred for an MHTR assessment: {referral.reason}" if referral else "",
        f"Assessment notes: {f.suitability.notes}" if f.suitability and f.suitability.notes else "",
    )


def _suitability(f: Facts) -> str:
    s = f.suitability
    if s is None:
        return ""
    unmet = unmet_conditions_of(s)
    return _lines(
        f"Assessed {s.get_mode_display().lower()} on {format_date(s.assessed_on)}: "
        f"{s.get_outcome_display().lower()} for a Mental Health Treatment Requirement.",
        "Every condition for the requirement holds: the mental condition requires, and may be "
        "susceptible to, treatment; it does not warrant a hospital or guardianship order; "
        "arrangements for treatment are in place."
        if not unmet
        else "Conditions not met: " + "; ".join(unmet) + ".",
        f"Plea: {s.get_guilt_display().lower()}. GP: {s.get_gp_display().lower()}.",
    )


def _willingness(f: Facts) -> str:
    s = f.suitability
    if s is None:
        return ""
    return (
        "They said they are willing to comply with the requirement."
        if s.willing
        else "They said they are not willing to comply with the requirement."
    )


def _treatment(f: Facts) -> str:
    s = f.suitability
    if s is None:
        return ""
    planned = selectors.settings_for(f.episode.team).planned_sessions
    return _lines(
        f"{s.get_tier_display()}" + (f": {s.tier_criteria}" if s.tier_criteria else "") + ".",
        f"About {planned} sessions of psychological treatment with {f.episode.team.name}.",
    )


def _court(f: Facts) -> str:
    cj = f.cj
    if cj is None:
        return ""
    return _lines(
        f"Offence: {cj.get_offence_category_display().lower()}." if cj.offence_category else "",
        f"Court: {cj.court_display}." if cj.court_display else "",
        f"The pre-sentence report is due on {format_date(cj.psr_due_on)}, the adjourned hearing."
        if cj.psr_due_on
        else "",
    )


PSR_VIEW_PARTS: tuple[Part, ...] = (
    (
        Section(
            "mental_health",
            "Mental health needs",
            "The needs a Mental Health Treatment Requirement would address.",
        ),
        _needs,
    ),
    (
        Section(
            "suitability",
            "Suitability",
            "Whether the conditions for the requirement hold (Sentencing Act 2020, Schedule 9).",
        ),
        _suitability,
    ),
    (
        Section(
            "willingness",
            "Willingness to comply",
            "The requirement can be made only if they agree to it before sentence.",
        ),
        _willingness,
    ),
    (
        Section(
            "treatment_plan",
            "Proposed treatment and provider",
            "The tier, the treatment, who would provide it and the expected number of sessions.",
        ),
        _treatment,
    ),
    (
        Section(
            "court",
            "Offence and hearing",
            "Only what probation needs for the report; the report's due date is the adjourned "
            "hearing.",
            required=False,
        ),
        _court,
    ),
    (
        Section(
            "risk",
            "Risk",
            "Risk to self, to others and from others, as far as it bears on the sentence.",
            required=False,
        ),
        lambda f: "",
    ),
)


def psr_view_unavailable(episode: Episode) -> str:
    if episode.pathway != Pathway.MHTR:
        return "The view for the pre-sentence report is written on an MHTR episode."
    if selectors.latest_suitability(episode) is None:
        return "Record the suitability assessment first: the view for the report is based on it."
    if selectors.court_outcome_of(episode) is not None or (
        current_stage(episode) not in BEFORE_SENTENCE
    ):
        return (
            "The court has already sentenced: the view for the pre-sentence report is given "
            "before sentence."
        )
    return ""


def psr_view_issued(actor: User, report: Report, request: HttpRequest | None) -> None:
    """The view given: *suitability assessed* moves on to *view given for the PSR*."""
    if report.supersedes_id is not None:
        return
    if current_stage(report.episode) == Stage.SUITABILITY_ASSESSED:
        episode_move(
            actor=actor,
            episode=report.episode,
            to_stage=Stage.PSR_VIEW_GIVEN,
            note=f"View for the pre-sentence report issued to {report.get_recipient_display()}",
            by_record=True,
            request=request,
        )


PSR_VIEW = ReportKind(
    ReportType.MHTR_SUITABILITY,
    tuple(section for section, _ in PSR_VIEW_PARTS),
    recipients=(Recipient.PROBATION,),
    default_recipient=Recipient.PROBATION,
    pathways=(Pathway.MHTR,),
    unavailable=psr_view_unavailable,
    starting_text=_draft(PSR_VIEW_PARTS),
    after_issue=psr_view_issued,
)


# --- the end-of-treatment letter ---------------------------------------------------------------


def _order(f: Facts) -> str:
    o = f.order
    if o is None or not o.order_made:
        return ""
    return _lines(
        f"{o.get_order_type_display()} with a Mental Health Treatment Requirement, made by "
        f"{o.court} on {format_date(o.sentenced_on)}.",
        f"Treatment: {o.get_treatment_type_display().lower()}, {o.get_tier_display()}, from "
        f"{format_date(o.starts_on)} to {format_date(o.ends_on)} ({o.months} months)."
        if o.starts_on and o.ends_on
        else "",
        f"Responsible clinician: {o.clinician_name}." if o.clinician_name else "",
        f"Probation practitioner: {o.probation_practitioner}, {o.probation_delivery_unit}."
        if o.probation_practitioner
        else "",
    )


def _attendance(f: Facts) -> str:
    sessions = selectors.sessions_of(f.episode)
    attended = sum(1 for s in sessions if s.outcome == SessionOutcome.ATTENDED)
    planned = f.order.planned_sessions if f.order else None
    absences = [s for s in sessions if s.outcome in ABSENCES]
    cancelled = [s for s in sessions if s.outcome == SessionOutcome.CANCELLED_ACCEPTABLE]
    notices = selectors.notices_of(f.episode)
    lines = [
        f"Sessions attended: {attended}" + (f" of {planned} planned." if planned else "."),
        f"Cancelled by them with an acceptable reason: {len(cancelled)}." if cancelled else "",
        f"Absences (did not attend, or cancelled without an acceptable reason): {len(absences)}."
        if absences
        else "No absences.",
    ]
    for n in reversed(notices):
        sent = getattr(n, "disclosure", None)
        told = "; ".join(
            f"{r.get_action_display().lower()} ({format_date(r.told_on)})"
            for r in n.responses.all()
        )
        lines.append(
            f"- {format_date(n.session.on)}, {n.session.get_outcome_display().lower()}: "
            + (f"probation told on {format_date(sent.sent_on)}" if sent else "notice not sent")
            + (f"; probation: {told}" if told else "")
            + "."
        )
    return _lines(*lines)


def _ending(f: Facts) -> str:
    status = f.closing
    if status is None:
        return ""
    summary = ClosureOutcome.objects.filter(episode=f.episode).values_list("summary", flat=True)
    return _lines(
        f"{ClosureReason(status.closure_reason).label} on {format_date(status.at)}."
        if status.closure_reason
        else f"Closed on {format_date(status.at)}.",
        next(iter(summary), "") or status.note,
    )


def _measures(f: Facts) -> str:
    """Each questionnaire's first and latest score and what the change shows (mhtr.outcomes)."""
    series = trajectory_of(f.episode)
    outcomes = outcomes_from_series(series)
    lines: list[str] = []
    for code in MEASURE_CODES:
        points = series.get(code, [])
        if not points:
            continue
        o = outcomes.get(code)
        if o is None:
            lines.append(
                f"{get_instrument(code).name}: {points[0].total} on "
                f"{format_date(points[0].measured_on)} (measured once)."
            )
            continue
        change = (
            "reliable and clinically significant improvement"
            if o.clinically_significant
            else o.change.label.lower()
        )
        where = (
            f"; recovered (below the clinical cut-off of {o.cutoff})"
            if o.recovered
            else (f"; in the clinical range ({o.cutoff} or more)" if o.caseness_at_latest else "")
        )
        lines.append(
            f"{o.name}: {o.first} on {format_date(o.first_on)}, {o.latest} on "
            f"{format_date(o.latest_on)}: {change}{where}."
        )
    summary = summarise(outcomes)
    if summary.measured:
        change = (
            "reliable improvement"
            if summary.reliable_improvement
            else "reliable deterioration"
            if summary.reliable_deterioration
            else "no reliable improvement"
        )
        lines.append(
            f"PHQ-9 and GAD-7 together (NHS Talking Therapies): {change}; "
            + ("recovery." if summary.recovery else "no recovery.")
        )
    return _lines(*lines)


END_LETTER_PARTS: tuple[Part, ...] = (
    (
        Section("order", "The order", "The requirement the court made, and who is responsible."),
        _order,
    ),
    (
        Section(
            "attendance",
            "Sessions, absences and notices",
            "Sessions attended against those planned, and each absence probation was told of.",
        ),
        _attendance,
    ),
    (
        Section(
            "ending", "How the order ended", "Completed, revoked, breached, transferred or died."
        ),
        _ending,
    ),
    (
        Section(
            "measures",
            "Measures at the start and the end",
            "PHQ-9, GAD-7 and CORE-10: the first and latest scores and what the change shows.",
            required=False,
        ),
        _measures,
    ),
    (
        Section(
            "treatment",
            "Treatment given and progress",
            "What the treatment covered and how they got on. Only what the recipient needs.",
        ),
        lambda f: "",
    ),
    (
        Section(
            "recommendations",
            "Recommendations for ongoing care",
            "For example, support the GP could offer, or services they were referred on to.",
            required=False,
        ),
        lambda f: "",
    ),
)


def end_letter_unavailable(episode: Episode) -> str:
    if episode.pathway != Pathway.MHTR:
        return "The end-of-treatment letter is written on an MHTR episode."
    order = selectors.court_outcome_of(episode)
    if order is None or not order.order_made:
        return "There is no order to report on: the letter is written once an order has ended."
    if current_stage(episode) != Stage.CLOSED:
        return (
            "The order has not ended yet: close the episode with the way the order ended "
            "(completed, revoked, breached, transferred or died), then write the letter."
        )
    return ""


END_LETTER = ReportKind(
    ReportType.MHTR_END_OF_TREATMENT,
    tuple(section for section, _ in END_LETTER_PARTS),
    recipients=(Recipient.GP, Recipient.PROBATION),
    pathways=(Pathway.MHTR,),
    on_closed_episode=True,
    unavailable=end_letter_unavailable,
    starting_text=_draft(END_LETTER_PARTS),
)

KINDS = (PSR_VIEW, END_LETTER)
