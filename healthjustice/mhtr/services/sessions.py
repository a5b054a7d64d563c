"""Treatment sessions under an order: scheduling and their outcomes."""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import lock_at_version
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import (
    episode_move,
)

from .. import selectors
from ..choices import (
    ABSENCES,
    NEEDS_REASON,
    SessionMode,
    SessionOutcome,
)
from ..models import (
    CourtOutcome,
    TreatmentSession,
)
from .notices import notice_create
from .rules import UNDER_ORDER, episode_detail, in_words, locked_stage, require_manage, require_mhtr

# --- sessions --------------------------------------------------------------------------------


def _order_in_force(episode: Episode) -> CourtOutcome:
    stage = locked_stage(episode)
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
    require_manage(actor, episode)
    require_mhtr(episode)
    order = _order_in_force(episode)
    assert order.ends_on is not None  # an order made has its period
    errors: dict[str, str] = {}
    if on < order.sentenced_on:
        errors["on"] = (
            f"A session cannot be before the date of sentence ({in_words(order.sentenced_on)})"
        )
    elif on > order.ends_on:
        errors["on"] = f"A session cannot be after the order ends ({in_words(order.ends_on)})"
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
        detail=episode_detail(episode),
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
    require_manage(actor, episode)
    current = lock_at_version(
        TreatmentSession.objects.all(), session.pk, expected_version, "this session"
    )
    stage = locked_stage(episode)
    if stage not in UNDER_ORDER:
        raise ValidationError("The order is no longer in force, so sessions cannot change.")
    errors: dict[str, str] = {}
    if outcome not in SessionOutcome.values:
        errors["outcome"] = "Select what happened at the session"
    elif current.on > timezone.localdate():
        errors["outcome"] = (
            f"The session is on {in_words(current.on)}: record what happened on or after that day"
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
        detail=episode_detail(episode, outcome=outcome),
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
