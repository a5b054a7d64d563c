"""The MHTR pathway's writes: referral from L&D, suitability, the court's outcome, sessions,
compliance notices to probation. Each checks every rule before writing anything."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.assessments.choices import ConsentPurpose, ConsentStatus
from healthjustice.assessments.selectors import consent_in_force
from healthjustice.assessments.services import consent_record
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import StaleEditError, lock_at_version
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode
from healthjustice.journeys.services import (
    cj_context_save,
    episode_move,
    episode_refer,
    is_team_worker,
)
from healthjustice.journeys.stages import IllegalMove, skipped_stages
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person

from . import selectors
from .choices import (
    ABSENCES,
    GP_HOLDS,
    GUILT_HOLDS,
    NEEDS_REASON,
    AssessmentMode,
    GpStatus,
    GuiltStatus,
    NoticeMethod,
    OrderType,
    ProbationAction,
    ReferralRoute,
    Register,
    SessionMode,
    SessionOutcome,
    Suitability,
    Tier,
    TreatmentType,
)
from .models import (
    ComplianceNotice,
    CourtOutcome,
    MhtrReferral,
    NoticeDisclosure,
    ProbationResponse,
    SuitabilityAssessment,
    TreatmentSession,
)
from .workdays import add_working_days, period_end

ADULT_AGE = 18
MAX_ORDER_MONTHS = 36  # a community order lasts at most 3 years
# Stages before the court has decided: suitability may be (re)assessed, the outcome recorded.
BEFORE_SENTENCE = (
    Stage.REFERRED,
    Stage.SUITABILITY_ASSESSED,
    Stage.PSR_VIEW_GIVEN,
    Stage.AWAITING_SENTENCE,
)
UNDER_ORDER = (Stage.ORDER_MADE, Stage.IN_TREATMENT)
GMC_NUMBER = re.compile(r"^\d{7}$")
# HCPC numbers are a profession prefix then digits: practitioner psychologists are PYL...
HCPC_NUMBER = re.compile(r"^[A-Z]{2,3}\d{4,6}$")


def _require_manage(actor: User, episode: Episode) -> None:
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not change this episode.")


def _locked_stage(episode: Episode) -> str | None:
    """Lock the episode row and read its stage, so two writers queue up behind each other."""
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    latest = locked.statuses.order_by("-seq").first()
    return latest.stage if latest else None


def _require_mhtr(episode: Episode) -> None:
    if episode.pathway != Pathway.MHTR:
        raise ValidationError("This is not a Mental Health Treatment Requirement episode.")


def _words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def age_on(person: Person, day: date) -> int | None:
    dob = person.date_of_birth
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _detail(episode: Episode, **more: Any) -> dict[str, Any]:
    return {"episode": str(episode.public_id), "person": str(episode.person.public_id), **more}


# --- referral --------------------------------------------------------------------------------


@transaction.atomic
def referral_from_ld(
    *, actor: User, from_episode: Episode, reason: str, request: HttpRequest | None = None
) -> MhtrReferral:
    """Refer the person of an L&D episode to their region's MHTR team for an assessment."""
    _require_manage(actor, from_episode)
    if not is_team_worker(actor, from_episode.team_id):
        raise PermissionDenied("You can only refer on from your own team's episodes.")
    if from_episode.pathway != Pathway.LIAISON_DIVERSION:
        raise ValidationError("Only a Liaison and Diversion episode can refer for an MHTR.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the referral"})
    if _locked_stage(from_episode) == Stage.CLOSED:
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
        detail=_detail(episode, from_episode=str(from_episode.public_id)),
    )
    return referral


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
            f"The date of the assessment must be on or after the referral ({_words(referred_on)})"
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
    _require_manage(actor, episode)
    _require_mhtr(episode)
    _check_suitability(episode, data)
    stage = _locked_stage(episode)
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
        note=f"Recorded with the MHTR suitability assessment of {_words(data.assessed_on)}",
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
        detail=_detail(episode, outcome=data.outcome),
    )
    return assessment


# --- the pre-sentence report's due date -------------------------------------------------------

# Carried over from the L&D episode the person was referred from, when the MHTR episode has no
# criminal-justice details of its own yet (the hearing and bail are the L&D episode's own).
CARRIED_CJ_FIELDS = ("offence_category", "charge_status", "court", "court_name", "plea")


@transaction.atomic
def psr_due_record(
    *, actor: User, episode: Episode, due_on: date | None, request: HttpRequest | None = None
) -> CriminalJusticeContext:
    """Record the date the pre-sentence report is due (the adjourned hearing) on the episode's
    criminal-justice details (`psr_requested`, `psr_due_on`), where the worklist reads it."""
    _require_manage(actor, episode)
    _require_mhtr(episode)
    if due_on is None:
        raise ValidationError({"due_on": "Enter the date the pre-sentence report is due"})
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError(
            {"due_on": "The date the pre-sentence report is due must be today or in the future"}
        )
    stage = _locked_stage(episode)
    if stage == Stage.CLOSED:
        raise ValidationError("This episode is closed.")
    if stage not in BEFORE_SENTENCE or selectors.court_outcome_of(episode) is not None:
        raise ValidationError(
            "The court has already sentenced: the pre-sentence report's due date is recorded "
            "before sentence."
        )
    existing = CriminalJusticeContext.objects.filter(episode=episode).first()
    details: dict[str, Any] = {"psr_requested": True, "psr_due_on": due_on}
    if existing is None:
        referral = selectors.referral_of(episode)
        earlier = (
            CriminalJusticeContext.objects.filter(episode=referral.from_episode).first()
            if referral is not None and referral.from_episode is not None
            else None
        )
        if earlier is not None:
            details = {name: getattr(earlier, name) for name in CARRIED_CJ_FIELDS} | details
    try:
        return cj_context_save(
            actor=actor,
            episode=episode,
            details=details,
            expected_version=existing.version if existing else None,
            request=request,
        )
    except StaleEditError as exc:
        raise ValidationError(str(exc)) from exc


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
                f"({_words(latest.assessed_on)})"
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
    stage = _locked_stage(episode)
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
    _require_manage(actor, episode)
    _require_mhtr(episode)
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
        detail=_detail(episode),
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
    _require_manage(actor, episode)
    _require_mhtr(episode)
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
        detail=_detail(episode, order_made=False),
    )
    return outcome


# --- sessions --------------------------------------------------------------------------------


def _order_in_force(episode: Episode) -> CourtOutcome:
    stage = _locked_stage(episode)
    order = selectors.court_outcome_of(episode)
    if order is None or not order.order_made or stage not in UNDER_ORDER:
        raise ValidationError("Sessions can be recorded only under an order that is in force.")
    return order


@transaction.atomic
def session_schedule(
    *,
    actor: User,
    episode: Episode,
    on: date,
    at: time,
    mode: str,
    practitioner: str,
    request: HttpRequest | None = None,
) -> TreatmentSession:
    """Book a session of treatment under the order."""
    _require_manage(actor, episode)
    _require_mhtr(episode)
    order = _order_in_force(episode)
    assert order.ends_on is not None  # an order made has its period
    errors: dict[str, str] = {}
    if on < order.sentenced_on:
        errors["on"] = (
            f"A session cannot be before the date of sentence ({_words(order.sentenced_on)})"
        )
    elif on > order.ends_on:
        errors["on"] = f"A session cannot be after the order ends ({_words(order.ends_on)})"
    if mode not in SessionMode.values:
        errors["mode"] = "Select how the session is held"
    if not practitioner.strip():
        errors["practitioner"] = "Enter the name of the practitioner"
    if errors:
        raise ValidationError(errors)
    session = TreatmentSession.objects.create(
        episode=episode,
        on=on,
        at=at,
        mode=mode,
        practitioner=practitioner.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_session",
        object_id=str(session.public_id),
        detail=_detail(episode),
    )
    return session


@transaction.atomic
def session_outcome_record(
    *,
    actor: User,
    session: TreatmentSession,
    expected_version: int,
    outcome: str,
    absence_reason: str = "",
    request: HttpRequest | None = None,
) -> TreatmentSession:
    """Record what happened at a session. The first attended session starts treatment; an
    absence probation must hear of creates a compliance notice."""
    episode = session.episode
    _require_manage(actor, episode)
    current = lock_at_version(
        TreatmentSession.objects.all(), session.pk, expected_version, "this session"
    )
    stage = _locked_stage(episode)
    if stage not in UNDER_ORDER:
        raise ValidationError("The order is no longer in force, so sessions cannot change.")
    errors: dict[str, str] = {}
    if outcome not in SessionOutcome.values:
        errors["outcome"] = "Select what happened at the session"
    elif current.on > timezone.localdate():
        errors["outcome"] = (
            f"The session is on {_words(current.on)}: record what happened on or after that day"
        )
    if outcome in NEEDS_REASON and not absence_reason.strip():
        errors["absence_reason"] = "Enter the reason they gave for cancelling"
    if hasattr(current, "notice") and outcome != current.outcome:
        errors["outcome"] = (
            "A compliance notice exists for this absence, so its outcome cannot be changed"
        )
    if errors:
        raise ValidationError(errors)
    current.outcome = outcome
    current.absence_reason = absence_reason.strip() if outcome in NEEDS_REASON else ""
    current.outcome_recorded_at = timezone.now()
    current.outcome_recorded_by = actor
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="mhtr_session",
        object_id=str(current.public_id),
        fields_changed=["outcome", "absence_reason"],
        detail=_detail(episode, outcome=outcome),
    )
    if outcome == SessionOutcome.ATTENDED and stage == Stage.ORDER_MADE:
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.IN_TREATMENT,
            note="First session attended",
            by_record=True,
            request=request,
        )
    if outcome in ABSENCES and not hasattr(current, "notice"):
        notice_create(actor=actor, session=current, request=request)
    session.refresh_from_db()
    return current


# --- compliance notices ----------------------------------------------------------------------


@transaction.atomic
def notice_create(
    *, actor: User, session: TreatmentSession, request: HttpRequest | None = None
) -> ComplianceNotice:
    """A compliance notice for an absence, due within the team's working days."""
    episode = session.episode
    _require_manage(actor, episode)
    current = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if current.outcome not in ABSENCES:
        raise ValidationError(
            "A compliance notice needs an absence: a session the person did not attend, or "
            "cancelled without an acceptable reason."
        )
    if ComplianceNotice.objects.filter(session=current).exists():
        raise ValidationError("A compliance notice already exists for this absence.")
    days = selectors.settings_for(episode.team).notice_working_days
    notice = ComplianceNotice.objects.create(
        episode=episode,
        session=current,
        due_on=add_working_days(current.on, days),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_notice",
        object_id=str(notice.public_id),
        detail=_detail(episode, due_on=notice.due_on.isoformat()),
    )
    return notice


def notice_content(notice: ComplianceNotice, order: CourtOutcome | None) -> str:
    """The words sent to probation, kept with the disclosure record."""
    session = notice.session
    person = notice.episode.person
    lines = [
        f"Mental Health Treatment Requirement: compliance notice for {person.full_name}.",
        f"Session on {_words(session.on)} at {session.at:%H:%M}: {session.get_outcome_display()}.",
    ]
    if session.absence_reason:
        lines.append(f"Reason given: {session.absence_reason}")
    if order is not None and order.order_made:
        lines.append(
            f"Order made by {order.court} on {_words(order.sentenced_on)}; "
            f"probation practitioner {order.probation_practitioner}."
        )
    return "\n".join(lines)


@transaction.atomic
def notice_send(
    *,
    actor: User,
    notice: ComplianceNotice,
    sent_on: date,
    recipient: str,
    method: str,
    request: HttpRequest | None = None,
) -> NoticeDisclosure:
    """Record the notice as sent to probation: a disclosure record, frozen."""
    episode = notice.episode
    _require_manage(actor, episode)
    locked = ComplianceNotice.objects.select_for_update().get(pk=notice.pk)
    if NoticeDisclosure.objects.filter(notice=locked).exists():
        raise ValidationError("This notice has already been sent.")
    errors: dict[str, str] = {}
    if sent_on > timezone.localdate():
        errors["sent_on"] = "The date it was sent must be today or in the past"
    elif sent_on < locked.session.on:
        errors["sent_on"] = (
            f"The date it was sent must be on or after the absence ({_words(locked.session.on)})"
        )
    if not recipient.strip():
        errors["recipient"] = "Enter the name of the probation practitioner it was sent to"
    if method not in NoticeMethod.values:
        errors["method"] = "Select how it was sent"
    if errors:
        raise ValidationError(errors)
    disclosure = NoticeDisclosure.objects.create(
        notice=locked,
        sent_on=sent_on,
        recipient=recipient.strip(),
        method=method,
        content=notice_content(locked, selectors.court_outcome_of(episode)),
        sent_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_notice_disclosure",
        object_id=str(locked.public_id),
        detail=_detail(episode, recipient="probation"),
    )
    return disclosure


@transaction.atomic
def probation_response_record(
    *,
    actor: User,
    notice: ComplianceNotice,
    action: str,
    told_on: date,
    note: str = "",
    request: HttpRequest | None = None,
) -> ProbationResponse:
    """What probation did about the absence, as the team was told. The service records it;
    deciding breach is probation's and the court's."""
    episode = notice.episode
    _require_manage(actor, episode)
    errors: dict[str, str] = {}
    if action not in ProbationAction.values:
        errors["action"] = "Select what probation did"
    if told_on > timezone.localdate():
        errors["told_on"] = "The date you were told must be today or in the past"
    elif told_on < notice.session.on:
        errors["told_on"] = (
            f"The date you were told must be on or after the absence ({_words(notice.session.on)})"
        )
    if errors:
        raise ValidationError(errors)
    response = ProbationResponse.objects.create(
        notice=notice, action=action, told_on=told_on, note=note.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_probation_response",
        object_id=str(notice.public_id),
        detail=_detail(episode, action=action),
    )
    return response
