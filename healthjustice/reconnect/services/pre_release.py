"""The move to pre-release support."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode
from healthjustice.journeys.services import episode_move

from .. import selectors
from ._common import (
    _open_stage,
    _require_eligible,
    _require_manage,
    _require_reconnect,
    _stage_words,
    _words,
)


@transaction.atomic
def pre_release_start(
    *, actor: User, episode: Episode, note: str = "", request: HttpRequest | None = None
) -> None:
    """Start support before release: eligible, with an expected release date still to come."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage != Stage.ELIGIBILITY_CHECKED:
        raise ValidationError(
            "Pre-release support starts once eligibility is checked: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    details = selectors.release_details_of(episode)
    if details is not None and details.released_on is not None:
        raise ValidationError(
            f"They were released on {_words(details.released_on)}: record the release instead."
        )
    context = CriminalJusticeContext.objects.filter(episode=episode).first()
    expected = context.prison_release_on if context else None
    if expected is None:
        raise ValidationError("Record the expected release date in the release details first.")
    if expected < timezone.localdate():
        raise ValidationError(
            f"The expected release date ({_words(expected)}) has passed: record the release, or "
            "correct the expected date in the release details."
        )
    episode_move(
        actor=actor,
        episode=episode,
        to_stage=Stage.PRE_RELEASE,
        note=note.strip() or f"Support before release on {_words(expected)}",
        by_record=True,
        request=request,
    )
