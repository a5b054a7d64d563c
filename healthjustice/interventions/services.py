"""Onward referrals, their follow-up, and closing an episode with its outcome."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import lock_at_version
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import episode_move
from healthjustice.journeys.stages import IllegalMove, is_ahead, machine_for
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .choices import ReferralOutcome, ServiceType
from .models import ClosureOutcome, OnwardReferral

# Outcomes that say the person did not get to the service, so cannot go with "attended".
NOT_ATTENDED_OUTCOMES = {ReferralOutcome.DID_NOT_ATTEND, ReferralOutcome.DECLINED}


def _require_manage(actor: User, episode: Episode) -> None:
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not change this episode.")


def _locked_stage(episode: Episode) -> str | None:
    """Lock the episode row and read its current stage, so two writers queue up."""
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    latest = locked.statuses.order_by("-seq").first()
    return latest.stage if latest else None


def _check_referral_dates(
    *, episode: Episode, referred_on: date, first_appointment_on: date | None
) -> None:
    errors: dict[str, str] = {}
    episode_date = timezone.localdate(episode.referred_at)
    if referred_on > timezone.localdate():
        errors["referred_on"] = "The referral date must be today or in the past"
    elif referred_on < episode_date:
        errors["referred_on"] = (
            f"The referral date must be on or after the episode's referral date "
            f"({episode_date.day} {episode_date:%B %Y})"
        )
    if first_appointment_on is not None and first_appointment_on < referred_on:
        errors["first_appointment_on"] = (
            "The first appointment must be on or after the date of the referral"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def referral_record(
    *,
    actor: User,
    episode: Episode,
    service_type: str,
    service_name: str,
    referred_on: date,
    first_appointment_on: date | None = None,
    supported_to_first_appointment: bool | None = None,
    skip_reason: str = "",
    request: HttpRequest | None = None,
) -> OnwardReferral:
    """Record an onward referral. The first one moves the episode on to 'intervention'."""
    _require_manage(actor, episode)
    if service_type not in ServiceType.values:
        raise ValidationError({"service_type": "Select the type of service"})
    if not service_name.strip():
        raise ValidationError({"service_name": "Enter the name of the service"})
    _check_referral_dates(
        episode=episode, referred_on=referred_on, first_appointment_on=first_appointment_on
    )
    stage = _locked_stage(episode)
    if stage == Stage.CLOSED:
        raise ValidationError("This episode is closed: open a new episode to refer on.")
    if is_ahead(stage, Stage.INTERVENTION, episode.pathway):
        try:
            episode_move(
                actor=actor,
                episode=episode,
                to_stage=Stage.INTERVENTION,
                note="Referred on to " + ServiceType(service_type).label.lower(),
                skip_reason=skip_reason.strip(),
                request=request,
            )
        except IllegalMove as exc:
            raise ValidationError({"skip_reason": str(exc)}) from exc
    referral = OnwardReferral.objects.create(
        episode=episode,
        service_type=service_type,
        service_name=service_name.strip(),
        referred_on=referred_on,
        first_appointment_on=first_appointment_on,
        supported_to_first_appointment=supported_to_first_appointment,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="onward_referral",
        object_id=str(referral.public_id),
        detail={"episode": str(episode.public_id), "person": str(episode.person.public_id)},
    )
    return referral


def _check_outcome(referral: OnwardReferral, data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    attended, attended_on = data["attended"], data["attended_on"]
    first = data["first_appointment_on"]
    if first is not None and first < referral.referred_on:
        errors["first_appointment_on"] = (
            "The first appointment must be on or after the date of the referral"
        )
    if attended is True and attended_on is None:
        errors["attended_on"] = "Enter the date they attended"
    if attended is not True and attended_on is not None:
        errors["attended_on"] = "Only give a date of attendance when they attended"
    if attended_on is not None:
        if attended_on > timezone.localdate():
            errors["attended_on"] = "The date they attended must be today or in the past"
        elif attended_on < referral.referred_on:
            errors["attended_on"] = "The date they attended must be on or after the referral date"
    if data["outcome"] not in ReferralOutcome.values:
        errors["outcome"] = "Select the outcome"
    elif attended is True and data["outcome"] in NOT_ATTENDED_OUTCOMES:
        errors["outcome"] = (
            f"The outcome cannot be '{ReferralOutcome(data['outcome']).label.lower()}' "
            "when they attended"
        )
    if errors:
        raise ValidationError(errors)


OUTCOME_FIELDS = (
    "first_appointment_on",
    "supported_to_first_appointment",
    "attended",
    "attended_on",
    "outcome",
    "outcome_notes",
)


@transaction.atomic
def referral_update_outcome(
    *,
    actor: User,
    referral: OnwardReferral,
    expected_version: int,
    first_appointment_on: date | None,
    supported_to_first_appointment: bool | None,
    attended: bool | None,
    attended_on: date | None,
    outcome: str,
    outcome_notes: str = "",
    request: HttpRequest | None = None,
) -> list[str]:
    """Record what happened at the first appointment; refuses to overwrite a newer edit.

    Knowing whether they attended completes the follow-up task.
    """
    _require_manage(actor, referral.episode)
    current = lock_at_version(
        OnwardReferral.objects.all(), referral.pk, expected_version, "this referral"
    )
    data = {
        "first_appointment_on": first_appointment_on,
        "supported_to_first_appointment": supported_to_first_appointment,
        "attended": attended,
        "attended_on": attended_on,
        "outcome": outcome,
        "outcome_notes": outcome_notes.strip(),
    }
    _check_outcome(current, data)
    changed = [name for name in OUTCOME_FIELDS if getattr(current, name) != data[name]]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, data[name])
    if attended is not None and current.follow_up_done_at is None:
        current.follow_up_done_at = timezone.now()
        current.follow_up_done_by = actor
        changed.append("follow_up_done_at")
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    referral.refresh_from_db()
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="onward_referral",
        object_id=str(current.public_id),
        fields_changed=changed,
        detail={
            "episode": str(current.episode.public_id),
            "person": str(current.episode.person.public_id),
        },
    )
    return changed


@transaction.atomic
def referral_follow_up_done(
    *, actor: User, referral: OnwardReferral, request: HttpRequest | None = None
) -> OnwardReferral:
    """Mark the follow-up of the first appointment as done."""
    _require_manage(actor, referral.episode)
    current = OnwardReferral.objects.select_for_update().get(pk=referral.pk)
    if current.follow_up_done_at is not None:
        raise ValidationError("This follow-up has already been marked as done.")
    current.follow_up_done_at = timezone.now()
    current.follow_up_done_by = actor
    current.version += 1
    current.updated_at = current.follow_up_done_at
    current.save()
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="onward_referral",
        object_id=str(current.public_id),
        fields_changed=["follow_up_done_at"],
        detail={
            "episode": str(current.episode.public_id),
            "person": str(current.episode.person.public_id),
        },
    )
    return current


@transaction.atomic
def closure_record(
    *,
    actor: User,
    episode: Episode,
    closure_reason: str,
    summary: str,
    request: HttpRequest | None = None,
) -> ClosureOutcome:
    """Close the episode through the state machine, keeping what came of it."""
    _require_manage(actor, episode)
    if closure_reason not in machine_for(episode.pathway).closure_choices():
        raise ValidationError({"closure_reason": "Select why the episode is closing"})
    if not summary.strip():
        raise ValidationError({"summary": "Describe the outcome of the episode"})
    try:
        status = episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.CLOSED,
            note="Episode closed",
            closure_reason=closure_reason,
            request=request,
        )
    except IllegalMove as exc:
        raise ValidationError(str(exc)) from exc
    outcome = ClosureOutcome.objects.create(
        episode=episode, status=status, summary=summary.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="closure_outcome",
        object_id=str(outcome.public_id),
        fields_changed=["closure_reason", "summary"],
        detail={"episode": str(episode.public_id), "person": str(episode.person.public_id)},
    )
    return outcome
