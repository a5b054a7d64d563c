"""Post-release support: its start, extensions (team leader) and a recall to custody."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.interventions.services import closure_record
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import episode_move

from .. import selectors
from ..models import (
    Recall,
    SupportExtension,
)
from ._common import (
    _detail,
    _open_stage,
    _released_on,
    _require_manage,
    _require_reconnect,
    _stage_words,
    _words,
    is_team_leader,
)

# --- post-release support ----------------------------------------------------------------------


@transaction.atomic
def post_release_start(
    *, actor: User, episode: Episode, note: str = "", request: HttpRequest | None = None
) -> None:
    """Move from 'released' to 'post-release support': support for up to 6 months after the
    actual release date (longer only by an extension)."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage != Stage.RELEASED:
        raise ValidationError(
            "Post-release support starts once the release is recorded: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    released_on = _released_on(episode)
    ends = selectors.support_ends_on(episode)
    assert ends is not None  # released
    if ends < timezone.localdate():
        raise ValidationError(
            f"Support after release ended on {_words(ends)}, 6 months after the release on "
            f"{_words(released_on)}: a team leader can extend it, with a reason, or close the "
            "episode."
        )
    episode_move(
        actor=actor,
        episode=episode,
        to_stage=Stage.POST_RELEASE,
        note=note.strip() or f"Support after release until {_words(ends)}",
        by_record=True,
        request=request,
    )


# Stages at which support after release may be extended.
EXTENSION_STAGES = (Stage.RELEASED, Stage.POST_RELEASE)


@transaction.atomic
def extension_approve(
    *,
    actor: User,
    episode: Episode,
    extended_to: date | None,
    reason: str,
    request: HttpRequest | None = None,
) -> SupportExtension:
    """Extend support after release beyond its end: only a team leader of the episode's team,
    with a reason. Who approved it and when are kept."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    if not is_team_leader(actor, episode.team):
        raise PermissionDenied(
            f"Only a team leader of {episode.team.name} can approve an extension of support."
        )
    stage = _open_stage(episode)
    if stage not in EXTENSION_STAGES:
        raise ValidationError(
            "Support is extended after the release is recorded: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    _released_on(episode)
    ends = selectors.support_ends_on(episode)
    assert ends is not None  # released
    errors: dict[str, str] = {}
    if extended_to is None:
        errors["extended_to"] = "Enter the date support is extended to"
    elif extended_to <= ends:
        errors["extended_to"] = (
            f"Support already runs until {_words(ends)}: the extension must end after that"
        )
    elif extended_to < timezone.localdate():
        errors["extended_to"] = "The date support is extended to must be today or later"
    if not reason.strip():
        errors["reason"] = "Enter the reason for extending support"
    if errors:
        raise ValidationError(errors)
    assert extended_to is not None
    extension = SupportExtension.objects.create(
        episode=episode,
        previous_end_on=ends,
        extended_to=extended_to,
        reason=reason.strip(),
        approved_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_extension",
        object_id=str(extension.public_id),
        detail=_detail(episode, extended_to=extended_to.isoformat()),
    )
    return extension


# Stages from which a recall to custody is recorded: once released.
RECALL_STAGES = (Stage.RELEASED, Stage.POST_RELEASE, Stage.HANDED_OVER)


@transaction.atomic
def recall_record(
    *,
    actor: User,
    episode: Episode,
    recalled_on: date | None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> Recall:
    """Record a recall to custody: its date, and the episode closes with the reason 'recalled
    to custody'. A later release is a new referral (the window allows 12 weeks before it)."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in RECALL_STAGES:
        raise ValidationError(
            "A recall to custody is recorded once the release is recorded: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    released_on = _released_on(episode)
    errors: dict[str, str] = {}
    if recalled_on is None:
        errors["recalled_on"] = "Enter the date of the recall"
    elif recalled_on > timezone.localdate():
        errors["recalled_on"] = "The date of the recall must be today or in the past"
    elif recalled_on < released_on:
        errors["recalled_on"] = (
            f"They were released on {_words(released_on)}: the recall must be on or after that date"
        )
    if errors:
        raise ValidationError(errors)
    assert recalled_on is not None
    recall = Recall.objects.create(
        episode=episode, recalled_on=recalled_on, notes=notes.strip(), recorded_by=actor
    )
    summary = f"Recalled to custody on {_words(recalled_on)}."
    if notes.strip():
        summary += " " + notes.strip()
    closure_record(
        actor=actor,
        episode=episode,
        closure_reason=ClosureReason.RECALLED,
        summary=summary,
        request=request,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_recall",
        object_id=str(recall.public_id),
        detail=_detail(episode, recalled_on=recalled_on.isoformat()),
    )
    return recall
