"""What the screening app adds to the episode page: risk alerts first, then screening results."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from markupsafe import Markup

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.person_page import page_episodes
from healthjustice.journeys.sections import register_episode_section
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person
from healthjustice.people.selectors import register_person_section

from . import selectors


@register_episode_section(order=0)
def risk_alerts_section(request: HttpRequest, episode: Any) -> tuple[str, Markup] | None:
    """Shown only while there are unacknowledged alerts, and then before every other section."""
    alerts = list(selectors.unacknowledged_alerts(episode))
    if not alerts:
        return None
    html = render_to_string(
        "screening/_section_alerts.html",
        {
            "open_alerts": alerts,
            "episode": episode,
            "can_manage": has_permission(request.user, Permission.EPISODE_MANAGE),
        },
        request=request,
    )
    return "Risk alerts", Markup(html)  # noqa: S704 - rendered by our autoescaping template


@register_episode_section(order=10)
def screening_section(request: HttpRequest, episode: Any) -> tuple[str, Markup] | None:
    screening = selectors.screenings_for_episode(episode).first()
    html = render_to_string(
        "screening/_section.html",
        {
            "episode": episode,
            "screening": screening,
            "vulnerabilities": selectors.vulnerability_labels(screening.vulnerabilities)
            if screening
            else [],
            "results": selectors.latest_results(episode),
            "external": selectors.external_screens_for_episode(episode).first(),
            "instrument_name": selectors.instrument_name,
            "can_manage": has_permission(request.user, Permission.EPISODE_MANAGE)
            and getattr(episode, "current_stage", None) != Stage.CLOSED,
        },
        request=request,
    )
    return "Screening and questionnaires", Markup(html)  # noqa: S704 - autoescaped template


@register_person_section
def person_risk_alerts_section(
    request: AuthenticatedRequest, person: Person
) -> tuple[str, Markup] | None:
    """Open risk alerts on any of the person's episodes the user may see (none: no section)."""
    if not has_permission(request.user, Permission.EPISODE_VIEW):
        return None
    alerts = selectors.open_alerts_on(page_episodes(request.user, person), limit=50)
    if not alerts:
        return None
    html = render_to_string(
        "screening/_section_alerts.html",
        {
            "open_alerts": alerts,
            "show_team": True,
            "can_manage": has_permission(request.user, Permission.EPISODE_MANAGE),
        },
        request=request,
    )
    return "Risk alerts", Markup(html)  # noqa: S704 - rendered by our autoescaping template
