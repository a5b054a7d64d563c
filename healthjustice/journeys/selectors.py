"""Reading episodes: scoped by journeys.access, with the current stage derived from status rows."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record

from .access import visible_episodes
from .models import Episode, EpisodeStatus


def with_current_stage(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """Annotate `current_stage` and `stage_since` from the latest status row."""
    latest = EpisodeStatus.objects.filter(episode=OuterRef("pk")).order_by("-seq")
    return episodes.annotate(
        current_stage=Subquery(latest.values("stage")[:1]),
        stage_since=Subquery(latest.values("at")[:1]),
    )


def current_stage(episode: Episode) -> str | None:
    """The stage of one episode, from its newest status row."""
    return (
        EpisodeStatus.objects.filter(episode=episode)
        .order_by("-seq")
        .values_list("stage", flat=True)
        .first()
    )


def episode_for_user(
    user: Any, public_id: Any, *, request: HttpRequest | None = None, audit: bool = True
) -> Episode:
    episode = (
        with_current_stage(visible_episodes(user))
        .filter(public_id=public_id)
        .select_related("person", "team", "site", "allocated_worker")
        .first()
    )
    if episode is None:
        audit_record(
            actor=user,
            request=request,
            action=Action.DENIED,
            object_type="episode",
            object_id=str(public_id),
        )
        raise Http404("No such episode")
    if audit:
        audit_record(
            actor=user,
            request=request,
            action=Action.VIEW,
            object_type="episode",
            object_id=str(episode.public_id),
            detail={"person": str(episode.person.public_id)},
        )
    return episode
