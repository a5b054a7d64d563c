"""The MHTR section of the episode page: the pathway's record on an MHTR episode, and the
"Refer for an MHTR assessment" action on a Liaison and Diversion episode."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from markupsafe import Markup

from healthjustice.assessments.choices import ReportType
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.sections import register_episode_section
from healthjustice.journeys.selectors import cj_context_for_user
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from . import measures, selectors
from .reports import end_letter_unavailable, psr_view_unavailable
from .services import BEFORE_SENTENCE, UNDER_ORDER, unmet_conditions_of


@register_episode_section(order=55)
def mhtr_section(request: HttpRequest, episode: Any) -> tuple[str, Markup] | None:
    if not has_permission(request.user, Permission.EPISODE_VIEW):
        return None
    stage = getattr(episode, "current_stage", None)
    context: dict[str, Any] = {
        "episode": episode,
        "stage": stage,
        "can_manage": has_permission(request.user, Permission.EPISODE_MANAGE),
        "is_closed": stage == Stage.CLOSED,
        "today": timezone.localdate(),
    }
    if episode.pathway == Pathway.LIAISON_DIVERSION:
        context["referrals"] = selectors.referrals_from(episode)
        html = render_to_string("mhtr/_ld_section.html", context, request=request)
        return "Mental Health Treatment Requirement referral", Markup(html)  # noqa: S704
    if episode.pathway != Pathway.MHTR:
        return None
    order = selectors.court_outcome_of(episode)
    suitability = selectors.latest_suitability(episode)
    today = timezone.localdate()
    context.update(
        referral=selectors.referral_of(episode),
        suitability=suitability,
        unmet=unmet_conditions_of(suitability) if suitability else [],
        order=order,
        sessions=selectors.sessions_of(episode),
        attendance=selectors.attendance(episode, order, today=today),
        notices=selectors.notices_of(episode, since=today - timedelta(days=365)),
        before_sentence=stage in BEFORE_SENTENCE,
        under_order=stage in UNDER_ORDER,
        latest_measures=measures.latest_scores(episode),
        **_reports_context(request, episode),
    )
    html = render_to_string("mhtr/_episode_section.html", context, request=request)
    return "Mental Health Treatment Requirement", Markup(html)  # noqa: S704 - autoescaped


def _reports_context(request: HttpRequest, episode: Any) -> dict[str, Any]:
    """The pre-sentence report's due date, and the reports this episode is ready for."""
    can_report = has_permission(request.user, Permission.REPORT_ISSUE)
    # The episode page shows (and audits) the criminal-justice details; this reads one date.
    cj = cj_context_for_user(request.user, episode, request=request)  # type: ignore[arg-type]
    return {
        "psr_due_on": cj.psr_due_on if cj is not None else None,
        "can_report": can_report,
        "psr_view_type": ReportType.MHTR_SUITABILITY,
        "end_letter_type": ReportType.MHTR_END_OF_TREATMENT,
        "psr_view_ready": can_report and not psr_view_unavailable(episode),
        "end_letter_ready": can_report and not end_letter_unavailable(episode),
    }
