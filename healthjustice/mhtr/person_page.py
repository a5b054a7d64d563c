"""What the MHTR app adds to a person's page: recording a referral the user's MHTR team
received from outside the service (probation, the court, a defence solicitor, self)."""

from __future__ import annotations

from django.template.loader import render_to_string
from markupsafe import Markup

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.people.models import Person
from healthjustice.people.selectors import register_person_section

from . import selectors
from .referrals import referral_teams


@register_person_section
def mhtr_referral_section(
    request: AuthenticatedRequest, person: Person
) -> tuple[str, Markup] | None:
    """Shown only to members of an MHTR team who may open episodes."""
    teams = list(referral_teams(request.user))
    if not teams:
        return None
    open_with = [t.name for t in teams if selectors.open_mhtr_episodes(person, t).exists()]
    html = render_to_string(
        "mhtr/_person_section.html",
        {"person": person, "open_with": open_with, "can_refer": len(open_with) < len(teams)},
        request=request,
    )
    return "Mental Health Treatment Requirement referral", Markup(html)  # noqa: S704 - autoescaped
