"""The pre-sentence report's due date on an MHTR episode."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.core.concurrency import StaleEditError
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode
from healthjustice.journeys.services import (
    cj_context_save,
)

from .. import selectors
from .rules import BEFORE_SENTENCE, locked_stage, require_manage, require_mhtr

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
    require_manage(actor, episode)
    require_mhtr(episode)
    if due_on is None:
        raise ValidationError({"due_on": "Enter the date the pre-sentence report is due"})
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError(
            {"due_on": "The date the pre-sentence report is due must be today or in the future"}
        )
    stage = locked_stage(episode)
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
