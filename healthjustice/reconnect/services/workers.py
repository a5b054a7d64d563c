"""The support worker a team leader allocates to the person."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys.models import Episode

from .. import selectors
from ..models import SupportWorkerAllocation
from ._common import (
    PLAN_STAGES,
    _detail,
    _open_stage,
    _require_eligible,
    _require_manage,
    _require_reconnect,
    _stage_words,
    is_team_leader,
)

# --- the support worker ------------------------------------------------------------------------


@transaction.atomic
def support_worker_allocate(
    *, actor: User, episode: Episode, worker: User | None, request: HttpRequest | None = None
) -> SupportWorkerAllocation:
    """A team leader allocates the person to a peer support or support, time and recovery
    worker of the episode's team (a member whose membership has that worker type). Once
    eligible, until handed over; allocating again replaces the allocation (both are kept)."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    if not is_team_leader(actor, episode.team):
        raise PermissionDenied(
            f"Only a team leader of {episode.team.name} can allocate a support worker."
        )
    stage = _open_stage(episode)
    if stage not in PLAN_STAGES:
        raise ValidationError(
            "A support worker is allocated once they are found eligible: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    memberships = {m.user_id: m for m in selectors.support_workers_of(episode.team)}
    membership = memberships.get(worker.pk) if worker is not None else None
    if membership is None:
        raise ValidationError(
            {
                "worker": "Choose a peer support worker or support, time and recovery worker of "
                f"{episode.team.name}"
            }
        )
    current = selectors.support_worker_of(episode)
    if current is not None and current.worker_id == membership.user_id:
        raise ValidationError(
            {"worker": f"{membership.user.display_name} is already their support worker"}
        )
    allocation = SupportWorkerAllocation.objects.create(
        episode=episode,
        worker=membership.user,
        worker_type=membership.worker_type,
        allocated_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_support_worker",
        object_id=str(allocation.public_id),
        detail=_detail(episode, worker=str(membership.user.public_id)),
    )
    return allocation
