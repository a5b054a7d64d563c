"""The suitability assessment for an MHTR, and the conditions it finds unmet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.assessments.choices import ConsentPurpose, ConsentStatus
from healthjustice.assessments.services import consent_record
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import (
    episode_move,
)
from healthjustice.people.models import Person

from ..choices import (
    GP_HOLDS,
    GUILT_HOLDS,
    AssessmentMode,
    GpStatus,
    GuiltStatus,
    Suitability,
    Tier,
)
from ..models import (
    SuitabilityAssessment,
)
from .rules import (
    ADULT_AGE,
    BEFORE_SENTENCE,
    age_on,
    episode_detail,
    in_words,
    locked_stage,
    require_manage,
    require_mhtr,
)

# --- suitability -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SuitabilityInput:
    assessed_on: date
    mode: str
    offence_community_threshold: bool
    guilt: str
    requires_treatment: bool
    not_hospital_order: bool
    arrangements_in_place: bool
    tier: str
    gp: str
    willing: bool
    outcome: str
    tier_criteria: str = ""
    notes: str = ""


def unmet_conditions(person: Person, data: SuitabilityInput) -> list[str]:
    """The conditions for an MHTR that do not hold, in words; none means suitable may be said."""
    unmet: list[str] = []
    age = age_on(person, data.assessed_on)
    if age is None:
        unmet.append("their date of birth is not recorded, so being 18 or over is not shown")
    elif age < ADULT_AGE:
        unmet.append(f"they are {age}, and an MHTR is for people aged 18 or over")
    if not data.offence_community_threshold:
        unmet.append("the offence must be one that can attract a community or suspended sentence")
    if data.guilt not in GUILT_HOLDS:
        unmet.append("they must have pleaded or been found guilty, or be expected to plead guilty")
    if not data.requires_treatment:
        unmet.append("the mental condition must require, and may be susceptible to, treatment")
    if not data.not_hospital_order:
        unmet.append("the condition must not warrant a hospital or guardianship order")
    if not data.arrangements_in_place:
        unmet.append("arrangements for treatment must be in place")
    if data.gp not in GP_HOLDS:
        unmet.append("they must be registered with a GP, or willing to register")
    if not data.willing:
        unmet.append("they must be willing to comply with the requirement")
    return unmet


def unmet_conditions_of(assessment: SuitabilityAssessment) -> list[str]:
    """The conditions a recorded assessment found not to hold."""
    data = SuitabilityInput(
        **{name: getattr(assessment, name) for name in SuitabilityInput.__dataclass_fields__}
    )
    return unmet_conditions(assessment.episode.person, data)


def _check_suitability(episode: Episode, data: SuitabilityInput) -> None:
    errors: dict[str, str] = {}
    referred_on = timezone.localdate(episode.referred_at)
    if data.assessed_on > timezone.localdate():
        errors["assessed_on"] = "The date of the assessment must be today or in the past"
    elif data.assessed_on < referred_on:
        errors["assessed_on"] = (
            f"The date of the assessment must be on or after the referral ({in_words(referred_on)})"
        )
    for name, value, choices in (
        ("mode", data.mode, AssessmentMode),
        ("guilt", data.guilt, GuiltStatus),
        ("tier", data.tier, Tier),
        ("gp", data.gp, GpStatus),
        ("outcome", data.outcome, Suitability),
    ):
        if value not in choices.values:
            errors[name] = "Select an answer from the list"
    if errors:
        raise ValidationError(errors)
    if data.outcome == Suitability.SUITABLE:
        unmet = unmet_conditions(episode.person, data)
        if unmet:
            raise ValidationError(
                {"outcome": "Suitable cannot be recorded because " + "; ".join(unmet)}
            )


@transaction.atomic
def suitability_record(
    *, actor: User, episode: Episode, data: SuitabilityInput, request: HttpRequest | None = None
) -> SuitabilityAssessment:
    """Record a suitability assessment, and their willingness to comply as a consent decision.

    The first one moves the episode from 'referred' to 'suitability assessed'.
    """
    require_manage(actor, episode)
    require_mhtr(episode)
    _check_suitability(episode, data)
    stage = locked_stage(episode)
    if stage not in BEFORE_SENTENCE:
        raise ValidationError(
            "Suitability can be assessed only before sentence: this episode is at "
            f"'{Stage(stage).label.lower() if stage else 'no stage'}'."
        )
    willingness = consent_record(
        actor=actor,
        person=episode.person,
        purpose=ConsentPurpose.MHTR,
        status=ConsentStatus.GIVEN if data.willing else ConsentStatus.REFUSED,
        note=f"Recorded with the MHTR suitability assessment of {in_words(data.assessed_on)}",
        request=request,
    )
    if stage == Stage.REFERRED:
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.SUITABILITY_ASSESSED,
            note=f"Assessed as {Suitability(data.outcome).label.lower()}",
            by_record=True,
            request=request,
        )
    assessment = SuitabilityAssessment.objects.create(
        episode=episode,
        assessed_on=data.assessed_on,
        mode=data.mode,
        age_at_assessment=age_on(episode.person, data.assessed_on),
        offence_community_threshold=data.offence_community_threshold,
        guilt=data.guilt,
        requires_treatment=data.requires_treatment,
        not_hospital_order=data.not_hospital_order,
        arrangements_in_place=data.arrangements_in_place,
        tier=data.tier,
        tier_criteria=data.tier_criteria.strip(),
        gp=data.gp,
        willing=data.willing,
        willingness=willingness,
        outcome=data.outcome,
        notes=data.notes.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_suitability",
        object_id=str(assessment.public_id),
        detail=episode_detail(episode, outcome=data.outcome),
    )
    return assessment
