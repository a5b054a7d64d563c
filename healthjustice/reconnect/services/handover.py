"""Handover to community services, the engagement checks, and the move to handed over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.interventions.choices import ReferralOutcome, ServiceType
from healthjustice.interventions.services import referral_record as onward_referral_record
from healthjustice.interventions.services import referral_update_outcome
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import episode_move

from ..choices import EngagementCheckKind
from ..models import (
    EngagementCheck,
    Handover,
)
from ._common import (
    _detail,
    _open_stage,
    _released_on,
    _require_manage,
    _require_reconnect,
    _stage_words,
    _words,
)

# --- handover ----------------------------------------------------------------------------------

# Stages at which handovers are recorded and their engagement checked: once released.
HANDOVER_STAGES = (Stage.RELEASED, Stage.POST_RELEASE, Stage.HANDED_OVER)
FOUR_WEEKS = timedelta(weeks=4)


@dataclass(frozen=True)
class HandoverInput:
    service_type: str
    service_name: str
    handed_over_on: date | None
    first_appointment_on: date | None = None


@transaction.atomic
def handover_record(
    *, actor: User, episode: Episode, data: HandoverInput, request: HttpRequest | None = None
) -> Handover:
    """Hand over to a named community service: an onward referral (`interventions`) of this
    episode, kept as its handover. Once released; a handover with no service is refused."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in HANDOVER_STAGES:
        raise ValidationError(
            "Handovers to community services are recorded once the release is recorded: this "
            f"episode is at '{_stage_words(stage)}'."
        )
    released_on = _released_on(episode)
    errors: dict[str, str] = {}
    if data.service_type not in ServiceType.values:
        errors["service_type"] = "Select the type of community service"
    if not data.service_name.strip():
        errors["service_name"] = "Enter the name of the community service they are handed over to"
    if data.handed_over_on is None:
        errors["handed_over_on"] = "Enter the date of the handover"
    elif data.handed_over_on > timezone.localdate():
        errors["handed_over_on"] = "The date of the handover must be today or in the past"
    elif data.handed_over_on < timezone.localdate(episode.referred_at):
        errors["handed_over_on"] = (
            "The handover must be on or after the referral "
            f"({_words(timezone.localdate(episode.referred_at))})"
        )
    elif data.handed_over_on < released_on:
        errors["handed_over_on"] = (
            f"They were released on {_words(released_on)}: the handover must be on or after "
            "that date"
        )
    elif data.first_appointment_on is not None and data.first_appointment_on < data.handed_over_on:
        errors["first_appointment_on"] = (
            "The first appointment must be on or after the date of the handover"
        )
    if errors:
        raise ValidationError(errors)
    assert data.handed_over_on is not None
    referral = onward_referral_record(
        actor=actor,
        episode=episode,
        service_type=data.service_type,
        service_name=data.service_name,
        referred_on=data.handed_over_on,
        first_appointment_on=data.first_appointment_on,
        request=request,
    )
    handover = Handover.objects.create(episode=episode, referral=referral, recorded_by=actor)
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_handover",
        object_id=str(handover.public_id),
        detail=_detail(episode, onward_referral=str(referral.public_id)),
    )
    return handover


def next_check(handover: Handover) -> str | None:
    """The engagement check still to record: the first appointment's, then the 4-week one."""
    kinds = {c.kind for c in handover.checks.all()}
    for kind in (EngagementCheckKind.FIRST_APPOINTMENT, EngagementCheckKind.FOUR_WEEKS):
        if kind not in kinds:
            return kind
    return None


@transaction.atomic
def engagement_check_record(
    *,
    actor: User,
    handover: Handover,
    checked_on: date | None,
    engaged: bool,
    notes: str = "",
    request: HttpRequest | None = None,
) -> EngagementCheck:
    """Confirm whether they engage with the service: at the first appointment (which also
    completes the onward referral's follow-up), then again at least 4 weeks later."""
    episode = handover.episode
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in HANDOVER_STAGES:
        raise ValidationError(
            f"Engagement is checked after the release: this episode is at '{_stage_words(stage)}'."
        )
    kind = next_check(handover)
    if kind is None:
        raise ValidationError("Both engagement checks are recorded for this handover.")
    referral = handover.referral
    first = handover.checks.filter(kind=EngagementCheckKind.FIRST_APPOINTMENT).first()
    errors: dict[str, str] = {}
    if checked_on is None:
        errors["checked_on"] = "Enter the date of the check"
    elif checked_on > timezone.localdate():
        errors["checked_on"] = "The date of the check must be today or in the past"
    elif checked_on < referral.referred_on:
        errors["checked_on"] = (
            f"The handover was on {_words(referral.referred_on)}: the check must be on or after "
            "that date"
        )
    elif first is not None and checked_on < first.checked_on + FOUR_WEEKS:
        due = first.checked_on + FOUR_WEEKS
        errors["checked_on"] = (
            f"The 4-week check is due from {_words(due)}, 4 weeks after the first appointment "
            f"({_words(first.checked_on)})"
        )
    if not engaged and not notes.strip():
        errors["notes"] = "Say what happened when they did not engage"
    if errors:
        raise ValidationError(errors)
    assert checked_on is not None
    check = EngagementCheck.objects.create(
        handover=handover,
        kind=kind,
        checked_on=checked_on,
        engaged=engaged,
        notes=notes.strip(),
        recorded_by=actor,
    )
    if kind == EngagementCheckKind.FIRST_APPOINTMENT and referral.follow_up_done_at is None:
        referral_update_outcome(
            actor=actor,
            referral=referral,
            expected_version=referral.version,
            first_appointment_on=referral.first_appointment_on or checked_on,
            supported_to_first_appointment=referral.supported_to_first_appointment,
            attended=engaged,
            attended_on=checked_on if engaged else None,
            outcome=ReferralOutcome.ENGAGED if engaged else ReferralOutcome.DID_NOT_ATTEND,
            outcome_notes=notes,
            request=request,
        )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_engagement_check",
        object_id=str(check.public_id),
        detail=_detail(episode, kind=kind, engaged=engaged),
    )
    return check


NO_HANDOVER = (
    "Record at least one handover to a community service before moving the episode to "
    "'handed over'."
)


@transaction.atomic
def handed_over_move(
    *, actor: User, episode: Episode, note: str = "", request: HttpRequest | None = None
) -> None:
    """Move from post-release support to 'handed over': only once a handover is recorded."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage != Stage.POST_RELEASE:
        raise ValidationError(
            "An episode is handed over from post-release support: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    handovers = list(
        Handover.objects.filter(episode=episode).select_related("referral").order_by("pk")
    )
    if not handovers:
        raise ValidationError(NO_HANDOVER)
    names = ", ".join(h.referral.service_name for h in handovers)
    episode_move(
        actor=actor,
        episode=episode,
        to_stage=Stage.HANDED_OVER,
        note=note.strip() or f"Handed over to {names}",
        by_record=True,
        request=request,
    )
