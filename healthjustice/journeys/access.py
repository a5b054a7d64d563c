"""Which episodes a member of staff may see: those of people they may see, held by teams whose
care relationships give them that sight (their own and data-sharing partners'), or every
episode of a person they have broken the glass for."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from healthjustice.people.access import reachable_team_ids, visible_people
from healthjustice.people.models import BreakGlassAccess

from .models import Episode


def visible_episodes(user: Any) -> QuerySet[Episode]:
    teams = reachable_team_ids(user)
    if not teams:
        return Episode.objects.none()
    glass = BreakGlassAccess.objects.filter(
        person=OuterRef("person"), user=user, expires_at__gt=timezone.now()
    )
    return Episode.objects.filter(person__in=visible_people(user)).filter(
        Q(team_id__in=teams) | Exists(glass)
    )
