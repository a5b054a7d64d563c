"""The RECONNECT section of the episode page (the pathway's record on a RECONNECT episode, and
"Refer to RECONNECT" on a Liaison and Diversion episode), and the way to take a referral from a
person's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from markupsafe import Markup

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.sections import register_episode_section
from healthjustice.journeys.selectors import cj_context_for_user, working_teams
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person
from healthjustice.people.selectors import register_person_section

from . import selectors
from .services import (
    AFTER_RELEASE,
    BEFORE_ELIGIBLE,
    CONTACT_STAGES,
    EXTENSION_STAGES,
    FOUR_WEEKS,
    GATE_PLAN_STAGES,
    HANDOVER_STAGES,
    PLAN_STAGES,
    RECALL_STAGES,
    Window,
    is_team_leader,
    unmet_conditions_of,
)


@register_episode_section(order=56)
def reconnect_section(request: HttpRequest, episode: Any) -> tuple[str, Markup] | None:
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
        html = render_to_string("reconnect/_ld_section.html", context, request=request)
        return "RECONNECT referral", Markup(html)  # noqa: S704 - autoescaped
    if episode.pathway != Pathway.RECONNECT:
        return None
    eligibility = selectors.latest_eligibility(episode)
    details = selectors.release_details_of(episode)
    cj = cj_context_for_user(request.user, episode, request=request)  # type: ignore[arg-type]
    expected = cj.prison_release_on if cj else None
    is_eligible = eligibility is not None and eligibility.outcome == "eligible"
    context.update(
        referral=selectors.referral_of(episode),
        eligibility=eligibility,
        unmet=unmet_conditions_of(eligibility) if eligibility else [],
        details=details,
        expected=expected,
        window=Window.around(expected) if expected else None,
        community_team=selectors.community_team_for(details),
        can_check=stage in BEFORE_ELIGIBLE,
        can_start=stage == Stage.ELIGIBILITY_CHECKED,
        can_release=stage in (Stage.ELIGIBILITY_CHECKED, Stage.PRE_RELEASE),
        shows_expected=cj is not None,
        contacts=selectors.contacts_of(episode),
        can_contact=stage in CONTACT_STAGES,
        needs=selectors.plan_need_rows(episode),
        can_plan=stage in PLAN_STAGES,
        gate_meet=selectors.gate_meet_of(episode),
        can_gate=stage in AFTER_RELEASE,
        support_ends=selectors.support_ends_on(episode),
        extensions=selectors.extensions_of(episode),
        recall=selectors.recall_of(episode),
        can_post_release=stage == Stage.RELEASED,
        can_extend=stage in EXTENSION_STAGES,
        can_recall=stage in RECALL_STAGES,
        support_worker=selectors.support_worker_of(episode),
        gate_plan=selectors.gate_plan_of(episode),
        appointments=selectors.appointments_of(episode),
        can_gate_plan=stage in GATE_PLAN_STAGES and is_eligible,
        can_book=stage in PLAN_STAGES and is_eligible,
        can_attend=stage in AFTER_RELEASE,
        handovers=[_handover_row(h) for h in selectors.handovers_of(episode)],
        can_handover=stage in HANDOVER_STAGES,
        can_hand_over=stage == Stage.POST_RELEASE,
        is_leader=is_team_leader(request.user, episode.team),  # type: ignore[arg-type]
    )
    html = render_to_string("reconnect/_episode_section.html", context, request=request)
    return "RECONNECT", Markup(html)  # noqa: S704 - autoescaped


def _handover_row(handover: Any) -> dict[str, Any]:
    checks = {c.kind: c for c in handover.checks.all()}
    first = checks.get("first_appointment")
    return {
        "handover": handover,
        "first": first,
        "four_weeks": checks.get("four_weeks"),
        "four_weeks_due": first.checked_on + FOUR_WEEKS if first else None,
    }


@register_person_section
def reconnect_person_section(
    request: AuthenticatedRequest, person: Person
) -> tuple[str, Markup] | None:
    """For RECONNECT workers only: take a referral for this person."""
    if not has_permission(request.user, Permission.EPISODE_MANAGE):
        return None
    teams = [t for t in working_teams(request.user) if t.pathway == Pathway.RECONNECT]
    if not teams:
        return None
    html = render_to_string(
        "reconnect/_person_section.html", {"person": person, "teams": teams}, request=request
    )
    return "RECONNECT", Markup(html)  # noqa: S704 - autoescaped
