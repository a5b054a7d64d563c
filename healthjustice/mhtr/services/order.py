"""The court's outcome: an order with an MHTR, or no order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.assessments.choices import ConsentPurpose
from healthjustice.assessments.selectors import consent_in_force
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import (
    episode_move,
)
from healthjustice.journeys.stages import IllegalMove, skipped_stages

from .. import selectors
from ..choices import (
    OrderType,
    Register,
    Tier,
    TreatmentType,
)
from ..models import (
    CourtOutcome,
)
from ..workdays import period_end
from .rules import (
    ADULT_AGE,
    BEFORE_SENTENCE,
    GMC_NUMBER,
    HCPC_NUMBER,
    MAX_ORDER_MONTHS,
    age_on,
    episode_detail,
    in_words,
    locked_stage,
    require_manage,
    require_mhtr,
)

# --- the court's outcome ---------------------------------------------------------------------


@dataclass(frozen=True)
class OrderInput:
    court: str
    sentenced_on: date
    order_type: str
    treatment_type: str
    starts_on: date
    months: int
    tier: str
    clinician_name: str
    clinician_register: str
    clinician_number: str
    probation_practitioner: str
    probation_delivery_unit: str
    with_drr: bool = False
    with_atr: bool = False
    planned_sessions: int | None = None
    skip_reason: str = ""


def clinician_number_error(register: str, number: str) -> str | None:
    if register == Register.GMC and not GMC_NUMBER.match(number):
        return "Enter a GMC number of 7 digits, like 1234567"
    if register == Register.HCPC and not HCPC_NUMBER.match(number):
        return "Enter an HCPC number: the letters of the profession then digits, like PYL12345"
    return None


def _check_sentence(episode: Episode, court: str, sentenced_on: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not court.strip():
        errors["court"] = "Enter the court that sentenced them"
    if sentenced_on > timezone.localdate():
        errors["sentenced_on"] = "The date of sentence must be today or in the past"
    else:
        latest = selectors.latest_suitability(episode)
        if latest is not None and sentenced_on < latest.assessed_on:
            errors["sentenced_on"] = (
                "The date of sentence must be on or after the suitability assessment "
                f"({in_words(latest.assessed_on)})"
            )
    return errors


def _check_order(episode: Episode, data: OrderInput) -> None:
    errors = _check_sentence(episode, data.court, data.sentenced_on)
    for name, value, choices in (
        ("order_type", data.order_type, OrderType),
        ("treatment_type", data.treatment_type, TreatmentType),
        ("tier", data.tier, Tier),
        ("clinician_register", data.clinician_register, Register),
    ):
        if value not in choices.values:
            errors[name] = "Select an answer from the list"
    if data.starts_on < data.sentenced_on:
        errors["starts_on"] = "The period must start on or after the date of sentence"
    if not 1 <= data.months <= MAX_ORDER_MONTHS:
        errors["months"] = (
            f"The period must be between 1 and {MAX_ORDER_MONTHS} months, so that it ends "
            "after it starts"
        )
    if not data.clinician_name.strip():
        errors["clinician_name"] = (
            "Enter the name of the registered medical practitioner or psychologist"
        )
    number_error = clinician_number_error(data.clinician_register, data.clinician_number)
    if "clinician_register" not in errors and number_error:
        errors["clinician_number"] = number_error
    if not data.probation_practitioner.strip():
        errors["probation_practitioner"] = "Enter the name of the probation practitioner"
    if not data.probation_delivery_unit.strip():
        errors["probation_delivery_unit"] = "Enter the probation delivery unit"
    if data.planned_sessions is not None and not 1 <= data.planned_sessions <= 60:
        errors["planned_sessions"] = "The planned number of sessions must be between 1 and 60"
    age = age_on(episode.person, data.sentenced_on)
    if age is None:
        errors["sentenced_on"] = "Record their date of birth first: an MHTR is for adults only"
    elif age < ADULT_AGE:
        errors["sentenced_on"] = (
            f"An MHTR cannot be recorded for someone under 18: they were {age} when sentenced"
        )
    if errors:
        raise ValidationError(errors)


def _check_before_sentence(episode: Episode) -> str:
    stage = locked_stage(episode)
    if stage == Stage.CLOSED:
        raise ValidationError("This episode is closed.")
    if selectors.court_outcome_of(episode) is not None or stage not in BEFORE_SENTENCE:
        raise ValidationError("The court's outcome is already recorded for this episode.")
    return str(stage)


@transaction.atomic
def order_record(
    *, actor: User, episode: Episode, data: OrderInput, request: HttpRequest | None = None
) -> CourtOutcome:
    """Record the order the court made; moves the episode to 'order made'."""
    require_manage(actor, episode)
    require_mhtr(episode)
    stage = _check_before_sentence(episode)
    if not selectors.is_suitable(episode):
        raise ValidationError(
            "Record a suitability assessment that finds them suitable before recording an order."
        )
    if consent_in_force(episode.person, ConsentPurpose.MHTR) is None:
        raise ValidationError(
            "Their willingness to comply is not in force (withdrawn or refused), which ends the "
            "proposal: close the episode as declined, or record a new suitability assessment."
        )
    _check_order(episode, data)
    skipped = skipped_stages(stage, Stage.ORDER_MADE, episode.pathway)
    if skipped and not data.skip_reason.strip():
        names = ", ".join(s.label.lower() for s in skipped)
        raise ValidationError({"skip_reason": f"Give a reason for skipping {names}"})
    try:
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.ORDER_MADE,
            note=f"{OrderType(data.order_type).label} with an MHTR made by {data.court.strip()}",
            skip_reason=data.skip_reason,
            by_record=True,
            request=request,
        )
    except IllegalMove as exc:
        raise ValidationError({exc.field: str(exc)}) from exc
    planned = data.planned_sessions or selectors.settings_for(episode.team).planned_sessions
    order = CourtOutcome.objects.create(
        episode=episode,
        order_made=True,
        court=data.court.strip(),
        sentenced_on=data.sentenced_on,
        order_type=data.order_type,
        treatment_type=data.treatment_type,
        starts_on=data.starts_on,
        months=data.months,
        ends_on=period_end(data.starts_on, data.months),
        tier=data.tier,
        clinician_name=data.clinician_name.strip(),
        clinician_register=data.clinician_register,
        clinician_number=data.clinician_number,
        with_drr=data.with_drr,
        with_atr=data.with_atr,
        probation_practitioner=data.probation_practitioner.strip(),
        probation_delivery_unit=data.probation_delivery_unit.strip(),
        planned_sessions=planned,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_order",
        object_id=str(order.public_id),
        detail=episode_detail(episode),
    )
    return order


@transaction.atomic
def no_order_record(
    *,
    actor: User,
    episode: Episode,
    court: str,
    sentenced_on: date,
    sentence_given: str,
    request: HttpRequest | None = None,
) -> CourtOutcome:
    """The court made no MHTR: keep the sentence it gave, and close the episode."""
    require_manage(actor, episode)
    require_mhtr(episode)
    _check_before_sentence(episode)
    errors = _check_sentence(episode, court, sentenced_on)
    if not sentence_given.strip():
        errors["sentence_given"] = "Enter the sentence the court gave"
    if errors:
        raise ValidationError(errors)
    outcome = CourtOutcome.objects.create(
        episode=episode,
        order_made=False,
        court=court.strip(),
        sentenced_on=sentenced_on,
        sentence_given=sentence_given.strip(),
        recorded_by=actor,
    )
    episode_move(
        actor=actor,
        episode=episode,
        to_stage=Stage.CLOSED,
        closure_reason=ClosureReason.NO_ORDER_MADE,
        note=f"No MHTR made. Sentence: {sentence_given.strip()}"[:2000],
        request=request,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_order",
        object_id=str(outcome.public_id),
        detail=episode_detail(episode, order_made=False),
    )
    return outcome
