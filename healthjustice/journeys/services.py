"""Opening episodes and moving them through their stages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.organisations.models import Site, Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.access import viewing_team_ids
from healthjustice.people.models import CareRelationship, Person

from .choices import Stage
from .models import Episode, EpisodeStatus
from .stages import IllegalMove, check_move


@transaction.atomic
def episode_open(
    *,
    actor: Any,
    person: Person,
    team: Team,
    setting: str,
    referral_source: str,
    referred_at: datetime,
    reason: str = "",
    site: Site | None = None,
    request: HttpRequest | None = None,
) -> Episode:
    """Open an episode at 'identified'; the team gains a care relationship if it had none."""
    if not has_permission(actor, Permission.EPISODE_MANAGE, person):
        raise PermissionDenied("You may not open episodes for this person.")
    if team.id not in viewing_team_ids(actor):
        raise PermissionDenied("You can only open episodes for a team you belong to.")
    if referred_at > timezone.now():
        raise ValidationError({"referred_at": "The referral date and time cannot be in the future"})
    episode = Episode.objects.create(
        person=person,
        team=team,
        pathway=team.pathway,
        setting=setting,
        site=site,
        referral_source=referral_source,
        referred_at=referred_at,
        reason=reason,
        created_by=actor,
    )
    EpisodeStatus.objects.create(
        episode=episode,
        seq=1,
        stage=Stage.IDENTIFIED,
        at=referred_at,
        by=actor,
        note="Referral received",
    )
    if not CareRelationship.objects.current().filter(person=person, team=team).exists():
        CareRelationship.objects.create(
            person=person, team=team, reason=f"{team.get_pathway_display()} episode opened"
        )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="episode",
        object_id=str(episode.public_id),
        detail={"person": str(person.public_id)},
    )
    return episode


@transaction.atomic
def episode_move(
    *,
    actor: Any,
    episode: Episode,
    to_stage: str,
    note: str = "",
    closure_reason: str = "",
    skip_reason: str = "",
    request: HttpRequest | None = None,
) -> EpisodeStatus:
    """Append a status row after checking the move against the state machine."""
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not change this episode.")
    # Lock the episode so two moves cannot both read the same current stage.
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    latest = locked.statuses.order_by("-seq").first()
    check_move(
        latest.stage if latest else None,
        to_stage,
        closure_reason=closure_reason,
        skip_reason=skip_reason,
    )
    seq = (locked.statuses.aggregate(m=Max("seq"))["m"] or 0) + 1
    status = EpisodeStatus.objects.create(
        episode=locked,
        seq=seq,
        stage=to_stage,
        by=actor,
        note=note,
        closure_reason=closure_reason if to_stage == Stage.CLOSED else "",
        skip_reason=skip_reason,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="episode",
        object_id=str(locked.public_id),
        fields_changed=["stage"],
        detail={"to": str(to_stage)},
    )
    return status


__all__ = ["IllegalMove", "episode_move", "episode_open"]
