"""The onward referrals and closure of an episode, as a section of the episode page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from markupsafe import Markup

from healthjustice.journeys.choices import Stage
from healthjustice.journeys.sections import register_episode_section
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .selectors import closure_of_episode, referrals_of_episode

SECTION_TITLE = "Onward referrals and closure"


@register_episode_section(order=60)
def onward_referrals_section(request: HttpRequest, episode: Any) -> tuple[str, Markup] | None:
    if not has_permission(request.user, Permission.EPISODE_VIEW):
        return None
    html = render_to_string(
        "interventions/_episode_section.html",
        {
            "episode": episode,
            "referrals": referrals_of_episode(episode),
            "closure": closure_of_episode(episode),
            "can_manage": has_permission(request.user, Permission.EPISODE_MANAGE),
            "is_closed": getattr(episode, "current_stage", None) == Stage.CLOSED,
            "today": timezone.localdate(),
        },
        request=request,
    )
    return SECTION_TITLE, Markup(html)  # noqa: S704 - rendered by an autoescaping template
