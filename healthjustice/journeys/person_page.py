"""What the journeys app adds to a person's page: their episodes, and a timeline of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from markupsafe import Markup

from healthjustice.accounts.models import User
from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person
from healthjustice.people.selectors import (
    TimelineEntry,
    register_person_section,
    register_timeline_provider,
)

from .choices import ClosureReason, Stage
from .models import Episode, EpisodeStatus
from .selectors import (
    cj_context_for_user,
    custody_clock,
    person_episodes,
    teams_opening_here,
)

if TYPE_CHECKING:
    from .selectors import EpisodeWithStage

_EPISODES_ATTR = "_hj_person_page_episodes"


def page_episodes(user: User, person: Person) -> list[EpisodeWithStage]:
    """The person's episodes the user may see, newest referral first, read once for the
    person's page (kept on the person object, which lives for one request, for each user):
    the episodes section, the custody clocks, the timeline and the risk alerts share them."""
    kept: dict[int, list[EpisodeWithStage]] = getattr(person, _EPISODES_ATTR, None) or {}
    if user.pk not in kept:
        kept[user.pk] = person_episodes(user, person)
        setattr(person, _EPISODES_ATTR, kept)
    return kept[user.pk]


@register_person_section
def episodes_section(request: AuthenticatedRequest, person: Person) -> tuple[str, Markup] | None:
    """The person's episodes across every team the user may see, with a way to open one."""
    user = request.user
    if not has_permission(user, Permission.EPISODE_VIEW):
        return None
    can_open = has_permission(user, Permission.EPISODE_MANAGE) and bool(teams_opening_here(user))
    html = render_to_string(
        "journeys/_person_episodes.html",
        {
            "person": person,
            "episodes": page_episodes(user, person),
            "can_open": can_open,
            "stage_labels": dict(Stage.choices),
        },
        request=request,
    )
    return "Episodes", Markup(html)  # noqa: S704 - rendered by our autoescaping template


@register_person_section
def custody_clock_section(
    request: AuthenticatedRequest, person: Person
) -> tuple[str, Markup] | None:
    """The PACE clock of each open episode with a relevant time (criminal-justice viewers only)."""
    user = request.user
    if not has_permission(user, Permission.CJ_CONTEXT_VIEW):
        return None
    open_ids = [e.pk for e in page_episodes(user, person) if e.stage != Stage.CLOSED]
    if not open_ids:
        return None
    episodes = (
        Episode.objects.filter(pk__in=open_ids, cj_context__arrived_in_custody_at__isnull=False)
        .select_related("team")
        .order_by("-referred_at")[:10]
    )
    clocks = []
    for episode in episodes:
        context = cj_context_for_user(user, episode, request=request)
        clock = custody_clock(episode, context)
        if clock is not None:
            clocks.append((episode, clock))
    if not clocks:
        return None
    html = render_to_string(
        "journeys/_person_custody_clocks.html", {"clocks": clocks}, request=request
    )
    return "Custody clock", Markup(html)  # noqa: S704 - rendered by our autoescaping template


def _entry(status: EpisodeStatus) -> TimelineEntry:
    episode = status.episode
    team = episode.team.name
    pathway = episode.get_pathway_display()
    if status.seq == 1:
        title = f"{pathway} episode opened by {team}"
        detail = (
            f"Referred by {episode.get_referral_source_display().lower()}, "
            f"{episode.get_setting_display().lower()}"
        )
    elif status.stage == Stage.CLOSED:
        reason = ClosureReason(status.closure_reason).label if status.closure_reason else ""
        title = f"{pathway} episode closed by {team}"
        detail = f"Reason: {reason}" if reason else ""
    else:
        title = f"{pathway} episode moved to {status.get_stage_display().lower()} ({team})"
        detail = f"Skipped a stage: {status.skip_reason}" if status.skip_reason else status.note
    return TimelineEntry(
        at=status.at,
        title=title,
        detail=detail,
        by=status.by.display_name if status.by else "",
        tag="Episode",
    )


@register_timeline_provider(needs_user=True)
def episode_timeline(person: Person, user: User) -> list[TimelineEntry]:
    """Stage changes of the person's episodes that this user may see, across teams."""
    if not has_permission(user, Permission.EPISODE_VIEW):
        return []
    episodes = {e.pk: e for e in page_episodes(user, person)}
    if not episodes:
        return []
    statuses = list(
        EpisodeStatus.objects.filter(episode_id__in=sorted(episodes))
        .select_related("by")
        .order_by("episode_id", "seq")[:500]
    )
    for status in statuses:
        status.episode = episodes[status.episode_id]
    return [_entry(s) for s in statuses]
