"""What the assessments app adds to the episode page and the person page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from markupsafe import Markup

from healthjustice.core.dates import format_date
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.sections import register_episode_section
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person
from healthjustice.people.selectors import (
    TimelineEntry,
    register_person_section,
    register_timeline_provider,
)

from . import selectors
from .choices import REPORT_RECIPIENTS

if TYPE_CHECKING:
    from .selectors import ConsentWithHistory


@register_episode_section(order=20)
def assessment_section(request: HttpRequest, episode: Any) -> tuple[str, Markup] | None:
    user = request.user
    open_episode = getattr(episode, "current_stage", None) != Stage.CLOSED
    html = render_to_string(
        "assessments/_episode_section.html",
        {
            "episode": episode,
            "assessment": selectors.latest_assessment(episode),
            "assessment_count": selectors.assessments_for_episode(episode).count(),
            "consent_rows": list(
                zip(
                    [r.label for r in REPORT_RECIPIENTS],
                    selectors.decisions_in_words(episode.person, REPORT_RECIPIENTS),
                    strict=True,
                )
            ),
            "reports": list(selectors.reports_for_episode(episode)[:10]),
            "can_manage": has_permission(user, Permission.EPISODE_MANAGE) and open_episode,
            "can_report": has_permission(user, Permission.REPORT_ISSUE) and open_episode,
        },
        request=request,
    )
    return "Assessment, consent and reports", Markup(html)  # noqa: S704 - autoescaped template


_CONSENTS_ATTR = "_hj_person_page_consents"


def _consents(person: Person) -> list[ConsentWithHistory]:
    """The person's consents with their history, read once for the person's page (kept on the
    person object, which lives for one request): the section and the timeline share them."""
    consents = getattr(person, _CONSENTS_ATTR, None)
    if consents is None:
        consents = list(selectors.consents_with_history(person))
        setattr(person, _CONSENTS_ATTR, consents)
    return consents


@register_person_section
def consent_section(request: HttpRequest, person: Person) -> tuple[str, Markup] | None:
    html = render_to_string(
        "assessments/_person_section.html",
        {
            "person": person,
            "rows": selectors.consents_for_person(person, _consents(person)),
            "can_record": has_permission(request.user, Permission.CONSENT_RECORD),
        },
        request=request,
    )
    return "Consent", Markup(html)  # noqa: S704 - rendered by our autoescaping template


@register_timeline_provider
def consent_timeline(person: Person) -> list[TimelineEntry]:
    """Consent decisions belong to the person, not to an episode: every viewer of the record
    sees them."""
    events = sorted(
        (event for consent in _consents(person) for event in consent.history),
        key=lambda event: event.recorded_at,
        reverse=True,
    )
    return [
        TimelineEntry(
            at=e.recorded_at,
            title=f"Consent {e.status_label.lower()}: {e.consent}",
            detail=f"Review by {format_date(e.review_on)}" if e.review_on else "",
            by=e.recorded_by.display_name,
            tag="Consent",
        )
        for e in events[:200]
    ]
