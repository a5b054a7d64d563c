"""Reading onward referrals: always through the episodes the user may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.reading import record_view
from healthjustice.audit.services import deny_as_not_found
from healthjustice.journeys.access import visible_episodes
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.people.access import viewing_team_ids

from .models import ClosureOutcome, OnwardReferral


def referral_for_user(user: User, public_id: Any, *, request: HttpRequest) -> OnwardReferral:
    """The referral, if the user may see its episode; a 404 (audited as a denial) otherwise."""
    referral = (
        OnwardReferral.objects.filter(public_id=public_id, episode__in=visible_episodes(user))
        .select_related("episode", "episode__person", "episode__team", "created_by")
        .first()
    )
    if referral is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="onward_referral",
            object_id=public_id,
            message="No such referral",
        )
    record_view(
        request,
        actor=user,
        object_type="onward_referral",
        object_id=str(referral.public_id),
        detail={
            "episode": str(referral.episode.public_id),
            "person": str(referral.episode.person.public_id),
        },
    )
    return referral


def referrals_of_episode(episode: Episode) -> list[OnwardReferral]:
    return list(
        OnwardReferral.objects.filter(episode=episode)
        .select_related("created_by", "follow_up_done_by")
        .order_by("-referred_on", "-created_at")
    )


def closure_of_episode(episode: Episode) -> ClosureOutcome | None:
    return (
        ClosureOutcome.objects.filter(episode=episode)
        .select_related("status", "recorded_by")
        .first()
    )


def follow_up_is_due(referral: OnwardReferral, *, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        referral.first_appointment_on is not None
        and referral.first_appointment_on <= today
        and referral.follow_up_done_at is None
    )


def follow_ups_due(
    user: User, *, scope: str = "mine", today: date | None = None
) -> QuerySet[OnwardReferral]:
    """Follow-ups due today or overdue on open episodes, oldest first.

    "mine": episodes allocated to the user, or referrals they made on unallocated episodes.
    "team": every episode of the user's teams.
    """
    today = today or timezone.localdate()
    closed = EpisodeStatus.objects.filter(episode=OuterRef("episode"), stage=Stage.CLOSED)
    due = (
        OnwardReferral.objects.filter(
            episode__in=visible_episodes(user),
            first_appointment_on__lte=today,
            follow_up_done_at__isnull=True,
        )
        .filter(~Exists(closed))
        .select_related("episode", "episode__person", "episode__team", "episode__allocated_worker")
        .order_by("first_appointment_on", "referred_on", "pk")
    )
    if scope == "team":
        return due.filter(episode__team_id__in=viewing_team_ids(user))
    return due.filter(
        Q(episode__allocated_worker=user)
        | Q(episode__allocated_worker__isnull=True, created_by=user)
    )
