"""The support plan: its needs, from the care practitioner's assessment, and later changes to
the action agreed or a need marked met."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import StaleEditError, stale_message
from healthjustice.journeys.models import Episode

from ..choices import NeedArea
from ..models import SupportPlanNeed, SupportPlanNeedUpdate
from ._common import (
    PLAN_STAGES,
    _detail,
    _open_stage,
    _require_eligible,
    _require_manage,
    _require_reconnect,
    _stage_words,
    _words,
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


@transaction.atomic
def plan_need_update(
    *,
    actor: User,
    need: SupportPlanNeed,
    seen_updates: int,
    action: str = "",
    met: bool = False,
    met_on: date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> SupportPlanNeedUpdate:
    """Change the action agreed for a need, or mark the need met (or both). The need is kept as
    agreed and an update is added; the newest update says what holds now. `seen_updates` is the
    number of updates the editor saw: if someone added one since, nothing is saved."""
    episode = need.episode
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)  # locks the episode: writers on its plan queue up here
    if stage not in PLAN_STAGES:
        raise ValidationError(
            "The support plan is changed while they are supported: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    updates = list(need.updates.order_by("recorded_at", "pk"))
    if len(updates) != seen_updates:
        raise StaleEditError(stale_message("this need"))
    latest = updates[-1] if updates else None
    area = NeedArea(need.area).label.lower()
    if latest is not None and latest.met_on is not None:
        raise ValidationError(
            f"The need for {area} was marked met on {_words(latest.met_on)}: it is kept as met. "
            "Add a new need if something else is needed."
        )
    current_action = latest.action if latest else need.action
    new_action = action.strip()
    errors: dict[str, str] = {}
    if not met:
        if not new_action:
            errors["action"] = "Enter the new action agreed, or say the need is met"
        elif new_action == current_action:
            errors["action"] = (
                "The action agreed is unchanged: enter the new action, or say the need is met"
            )
    else:
        agreed_on = timezone.localdate(need.recorded_at)
        if met_on is None:
            errors["met_on"] = "Enter the date the need was met"
        elif met_on > timezone.localdate():
            errors["met_on"] = "The date the need was met must be today or in the past"
        elif met_on < agreed_on:
            errors["met_on"] = (
                f"The need was added to the plan on {_words(agreed_on)}: the date it was met "
                "must be on or after that"
            )
    if errors:
        raise ValidationError(errors)
    update = SupportPlanNeedUpdate.objects.create(
        need=need,
        action=new_action or current_action,
        met_on=met_on if met else None,
        note=note.strip(),
        recorded_by=actor,
    )
    changed = [
        name
        for name, done in (("action", new_action and new_action != current_action), ("met", met))
        if done
    ]
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="reconnect_plan_need",
        object_id=str(need.public_id),
        fields_changed=changed,
        detail=_detail(episode, area=need.area, update=str(update.public_id)),
    )
    return update
