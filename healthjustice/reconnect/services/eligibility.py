"""Eligibility: a check adds a row and the newest counts; not eligible or an enhanced service
closes the episode."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import episode_move
from healthjustice.people.models import Person

from ..choices import (
    IN_CUSTODY,
    CustodyStatus,
    EligibilityOutcome,
    EnhancedService,
)
from ..models import EligibilityCheck
from ._common import (
    ADULT_AGE,
    BEFORE_ELIGIBLE,
    _detail,
    _open_stage,
    _require_manage,
    _require_reconnect,
    _stage_words,
    _words,
    age_on,
)

# --- eligibility -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EligibilityInput:
    checked_on: date
    custody_status: str
    health_need: bool
    outcome: str
    enhanced_service: str = ""
    notes: str = ""


def unmet_conditions(person: Person, data: EligibilityInput) -> list[str]:
    """The conditions for RECONNECT that do not hold, in words; none means eligible."""
    unmet: list[str] = []
    age = age_on(person, data.checked_on)
    if age is None:
        unmet.append("their date of birth is not recorded, so being 18 or over is not shown")
    elif age < ADULT_AGE:
        unmet.append(f"they are {age}, and RECONNECT is for people aged 18 or over")
    if data.custody_status not in IN_CUSTODY:
        unmet.append(
            "they must be in a prison or immigration removal centre (remand and release on "
            "temporary licence included), or have left one in the last 28 days"
        )
    if not data.health_need:
        unmet.append("they must have an identified health need")
    return unmet


def unmet_conditions_of(check: EligibilityCheck) -> list[str]:
    data = EligibilityInput(
        checked_on=check.checked_on,
        custody_status=check.custody_status,
        health_need=check.health_need,
        outcome=check.outcome,
    )
    return unmet_conditions(check.episode.person, data)


def _check_eligibility(episode: Episode, data: EligibilityInput) -> list[str]:
    errors: dict[str, str] = {}
    referred_on = timezone.localdate(episode.referred_at)
    if data.checked_on > timezone.localdate():
        errors["checked_on"] = "The date of the check must be today or in the past"
    elif data.checked_on < referred_on:
        errors["checked_on"] = (
            f"The date of the check must be on or after the referral ({_words(referred_on)})"
        )
    if data.custody_status not in CustodyStatus.values:
        errors["custody_status"] = "Select an answer from the list"
    if data.outcome not in EligibilityOutcome.values:
        errors["outcome"] = "Select an answer from the list"
    if data.enhanced_service and data.enhanced_service not in EnhancedService.values:
        errors["enhanced_service"] = "Select an enhanced service from the list"
    elif data.outcome == EligibilityOutcome.ENHANCED and not data.enhanced_service:
        errors["enhanced_service"] = "Select the enhanced service they are being referred to"
    elif data.outcome != EligibilityOutcome.ENHANCED and data.enhanced_service:
        errors["enhanced_service"] = (
            "Leave the enhanced service blank, or say they are eligible for an enhanced service"
        )
    if data.outcome == EligibilityOutcome.NOT_ELIGIBLE and not data.notes.strip():
        errors["notes"] = "Say why they are not eligible"
    if errors:
        raise ValidationError(errors)
    unmet = unmet_conditions(episode.person, data)
    if data.outcome != EligibilityOutcome.NOT_ELIGIBLE and unmet:
        raise ValidationError(
            {
                "outcome": f"{EligibilityOutcome(data.outcome).label} cannot be recorded because "
                + "; ".join(unmet)
            }
        )
    return unmet


@transaction.atomic
def eligibility_record(
    *, actor: User, episode: Episode, data: EligibilityInput, request: HttpRequest | None = None
) -> EligibilityCheck:
    """Record an eligibility check. The first moves the episode to 'eligibility checked'; not
    eligible closes it as such, and an enhanced service closes it as referred there."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    unmet = _check_eligibility(episode, data)
    stage = _open_stage(episode)
    if stage not in BEFORE_ELIGIBLE:
        raise ValidationError(
            "Eligibility is checked before pre-release support starts: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    outcome = EligibilityOutcome(data.outcome)
    if stage == Stage.REFERRED:
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.ELIGIBILITY_CHECKED,
            note=outcome.label,
            by_record=True,
            request=request,
        )
    check = EligibilityCheck.objects.create(
        episode=episode,
        checked_on=data.checked_on,
        age_at_check=age_on(episode.person, data.checked_on),
        custody_status=data.custody_status,
        health_need=data.health_need,
        enhanced_service=data.enhanced_service,
        outcome=data.outcome,
        notes=data.notes.strip(),
        recorded_by=actor,
    )
    if outcome == EligibilityOutcome.NOT_ELIGIBLE:
        why = "; ".join(unmet) or data.notes.strip()
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.CLOSED,
            closure_reason=ClosureReason.NOT_ELIGIBLE,
            note=f"Not eligible: {why}"[:2000],
            request=request,
        )
    elif outcome == EligibilityOutcome.ENHANCED:
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.CLOSED,
            closure_reason=ClosureReason.ENHANCED_SERVICE,
            note=f"Referred to {EnhancedService(data.enhanced_service).label}",
            request=request,
        )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_eligibility",
        object_id=str(check.public_id),
        detail=_detail(episode, outcome=data.outcome),
    )
    return check
