"""The release details (with optimistic locking) and the release itself."""

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
from healthjustice.core.concurrency import StaleEditError
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode
from healthjustice.journeys.services import (
    cj_context_save,
    episode_move,
)
from healthjustice.organisations.models import Region, Site

from .. import selectors
from ..choices import (
    Accommodation,
    ReleaseType,
)
from ..models import (
    ESTABLISHMENT_KINDS,
    ReleaseDetails,
)
from ._common import (
    _detail,
    _open_stage,
    _require_eligible,
    _require_manage,
    _require_reconnect,
    _stage_words,
    _words,
)

# --- release details -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseInput:
    establishment: Site | None
    expected_release_on: date | None
    release_type: str = ""
    area: Region | None = None
    area_detail: str = ""
    accommodation: str = ""
    probation_practitioner: str = ""
    medication: str = ""


def _check_release_details(data: ReleaseInput, details: ReleaseDetails) -> None:
    errors: dict[str, str] = {}
    if data.establishment is None:
        errors["establishment"] = "Select the prison or immigration removal centre"
    elif data.establishment.kind not in ESTABLISHMENT_KINDS:
        errors["establishment"] = "Select a prison or immigration removal centre from the list"
    if data.release_type and data.release_type not in ReleaseType.values:
        errors["release_type"] = "Select a release type from the list"
    if data.accommodation and data.accommodation not in Accommodation.values:
        errors["accommodation"] = "Select an answer from the list"
    if details.released_on is None and data.expected_release_on is None:
        errors["expected_release_on"] = "Enter the expected release date"
    if errors:
        raise ValidationError(errors)


def _locked_details(episode: Episode, expected_version: int) -> ReleaseDetails:
    """Lock the release details; refuse if someone saved them after the editor opened the page."""
    details = ReleaseDetails.objects.select_for_update().filter(episode=episode).first()
    if details is None:
        raise ValidationError("This episode has no referral, so no release details.")
    if details.version != expected_version:
        raise StaleEditError(
            "Someone else changed these details after you opened the page. Your changes have "
            "not been saved: check their changes and try again."
        )
    return details


@transaction.atomic
def release_details_save(
    *,
    actor: User,
    episode: Episode,
    data: ReleaseInput,
    expected_version: int,
    request: HttpRequest | None = None,
) -> ReleaseDetails:
    """Change the release details; `expected_version` is the version the editor saw."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    _open_stage(episode)
    details = _locked_details(episode, expected_version)
    _check_release_details(data, details)
    changed = []
    for name in (
        "establishment",
        "release_type",
        "area",
        "area_detail",
        "accommodation",
        "probation_practitioner",
        "medication",
    ):
        value = getattr(data, name)
        value = value.strip() if isinstance(value, str) else value
        if getattr(details, name) != value:
            setattr(details, name, value)
            changed.append(name)
    context = CriminalJusticeContext.objects.filter(episode=episode).first()
    current = context.prison_release_on if context else None
    if data.expected_release_on != current and data.expected_release_on is not None:
        cj_context_save(
            actor=actor,
            episode=episode,
            details={"prison_release_on": data.expected_release_on},
            expected_version=context.version if context else None,
            request=request,
        )
        changed.append("expected_release_on")
    if changed:
        details.version += 1
        details.updated_at = timezone.now()
        details.updated_by = actor
        details.save()
        audit_record(
            actor=actor,
            request=request,
            action=Action.UPDATE,
            object_type="reconnect_release",
            object_id=str(episode.public_id),
            fields_changed=changed,
            detail=_detail(episode),
        )
    return details


@transaction.atomic
def release_record(
    *,
    actor: User,
    episode: Episode,
    released_on: date,
    release_type: str,
    expected_version: int,
    skip_reason: str = "",
    request: HttpRequest | None = None,
) -> ReleaseDetails:
    """Record the actual release; the episode moves to 'released'. From 'eligibility checked'
    that skips pre-release support, which needs a reason unless the referral came after the
    release."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    errors: dict[str, str] = {}
    if released_on > timezone.localdate():
        errors["released_on"] = "The actual release date must be today or in the past"
    referral = selectors.referral_of(episode)
    if referral is not None and released_on < referral.window_opens:
        errors["released_on"] = (
            f"The release date must be on or after the referral window opened "
            f"({_words(referral.window_opens)})"
        )
    if release_type not in ReleaseType.values:
        errors["release_type"] = "Select a release type from the list"
    if errors:
        raise ValidationError(errors)
    if stage not in (Stage.ELIGIBILITY_CHECKED, Stage.PRE_RELEASE):
        raise ValidationError(
            "The release is recorded once eligibility is checked and before it is recorded "
            f"already: this episode is at '{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    details = _locked_details(episode, expected_version)
    if stage == Stage.ELIGIBILITY_CHECKED and not skip_reason.strip():
        if timezone.localdate(episode.referred_at) >= released_on:
            skip_reason = "Referred after their release"
        else:
            raise ValidationError({"skip_reason": "Give a reason for skipping pre-release support"})
    details.released_on = released_on
    details.release_type = release_type
    details.version += 1
    details.updated_at = timezone.now()
    details.updated_by = actor
    details.save()
    episode_move(
        actor=actor,
        episode=episode,
        to_stage=Stage.RELEASED,
        note=f"Released on {_words(released_on)} ({ReleaseType(release_type).label.lower()})",
        skip_reason=skip_reason if stage == Stage.ELIGIBILITY_CHECKED else "",
        by_record=True,
        request=request,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="reconnect_release",
        object_id=str(episode.public_id),
        fields_changed=["released_on", "release_type"],
        detail=_detail(episode),
    )
    return details
