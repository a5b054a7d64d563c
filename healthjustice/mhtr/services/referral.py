"""Referral to MHTR from a Liaison and Diversion episode."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import (
    episode_refer,
    is_team_worker,
)
from healthjustice.organisations.choices import Pathway

from .. import selectors
from ..choices import (
    ReferralRoute,
)
from ..models import (
    MhtrReferral,
)
from .rules import episode_detail, locked_stage, require_manage

# --- referral --------------------------------------------------------------------------------


@transaction.atomic
def referral_from_ld(
    *, actor: User, from_episode: Episode, reason: str, request: HttpRequest | None = None
) -> MhtrReferral:
    """Refer the person of an L&D episode to their region's MHTR team for an assessment."""
    require_manage(actor, from_episode)
    if not is_team_worker(actor, from_episode.team_id):
        raise PermissionDenied("You can only refer on from your own team's episodes.")
    if from_episode.pathway != Pathway.LIAISON_DIVERSION:
        raise ValidationError("Only a Liaison and Diversion episode can refer for an MHTR.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the referral"})
    if locked_stage(from_episode) == Stage.CLOSED:
        raise ValidationError("This episode is closed: open a new episode to refer on.")
    region = from_episode.team.region
    team = selectors.mhtr_team_for(region)
    if team is None:
        raise ValidationError(
            f"There is no MHTR team in {region.name}, so the referral cannot be made here. "
            "Contact the MHTR service directly."
        )
    if selectors.open_mhtr_episodes(from_episode.person, team).exists():
        raise ValidationError(
            f"{from_episode.person.full_name} already has an open episode with {team.name}."
        )
    episode = episode_refer(
        actor=actor, from_episode=from_episode, to_team=team, reason=reason, request=request
    )
    referral = MhtrReferral.objects.create(
        episode=episode,
        from_episode=from_episode,
        route=ReferralRoute.LIAISON_DIVERSION,
        reason=reason.strip(),
        received_on=timezone.localdate(),
        made_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_referral",
        object_id=str(referral.public_id),
        detail=episode_detail(episode, from_episode=str(from_episode.public_id)),
    )
    return referral
