"""The support plan: its needs, from the care practitioner's assessment."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys.models import Episode

from ..choices import NeedArea
from ..models import SupportPlanNeed
from ._common import (
    PLAN_STAGES,
    _detail,
    _open_stage,
    _require_eligible,
    _require_manage,
    _require_reconnect,
    _stage_words,
)

# --- the support plan --------------------------------------------------------------------------


@transaction.atomic
def plan_need_add(
    *,
    actor: User,
    episode: Episode,
    area: str,
    goal: str,
    action: str,
    request: HttpRequest | None = None,
) -> SupportPlanNeed:
    """Add a need to the support plan, from the care practitioner's assessment: its goal and
    the action agreed. Once eligible; one entry per area of need."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in PLAN_STAGES:
        raise ValidationError(
            "The support plan is written once they are found eligible: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    errors: dict[str, str] = {}
    if area not in NeedArea.values:
        errors["area"] = "Select the area of need from the list"
    elif SupportPlanNeed.objects.filter(episode=episode, area=area).exists():
        errors["area"] = (
            f"The support plan already has {NeedArea(area).label.lower()}: choose another need"
        )
    if not goal.strip():
        errors["goal"] = "Enter the goal for this need"
    if not action.strip():
        errors["action"] = "Enter the action agreed"
    if errors:
        raise ValidationError(errors)
    need = SupportPlanNeed.objects.create(
        episode=episode, area=area, goal=goal.strip(), action=action.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_plan_need",
        object_id=str(need.public_id),
        detail=_detail(episode, area=area),
    )
    return need
