"""Contacts with the person, before and after release."""

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
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode

from .. import selectors
from ..choices import ContactMode
from ..models import SupportContact
from ._common import (
    CONTACT_STAGES,
    _detail,
    _open_stage,
    _require_manage,
    _require_reconnect,
    _stage_words,
    _words,
)

# --- contacts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactInput:
    contact_on: date
    mode: str
    notes: str
    with_whom: str = ""


@transaction.atomic
def contact_record(
    *, actor: User, episode: Episode, data: ContactInput, request: HttpRequest | None = None
) -> SupportContact:
    """Log a contact. Before the release it is a pre-release contact; once released, a
    post-release one, dated on or after the release."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in CONTACT_STAGES:
        raise ValidationError(
            "Contacts are logged once pre-release support has started or they are released: "
            f"this episode is at '{_stage_words(stage)}'."
        )
    errors: dict[str, str] = {}
    today = timezone.localdate()
    referred_on = timezone.localdate(episode.referred_at)
    details = selectors.release_details_of(episode)
    released_on = details.released_on if details else None
    after_release = stage != Stage.PRE_RELEASE and released_on is not None
    if data.contact_on > today:
        errors["contact_on"] = "The date of the contact must be today or in the past"
    elif data.contact_on < referred_on:
        errors["contact_on"] = (
            f"The date of the contact must be on or after the referral ({_words(referred_on)})"
        )
    elif after_release and released_on is not None and data.contact_on < released_on:
        errors["contact_on"] = (
            f"They were released on {_words(released_on)}: a contact after release must be on "
            "or after that date"
        )
    elif after_release and (ends := selectors.support_ends_on(episode)) and data.contact_on > ends:
        errors["contact_on"] = (
            f"Support after release ended on {_words(ends)}: a team leader can extend it, "
            "with a reason"
        )
    if data.mode not in ContactMode.values:
        errors["mode"] = "Select how the contact took place"
    if not data.notes.strip():
        errors["notes"] = "Enter notes on the contact"
    if errors:
        raise ValidationError(errors)
    contact = SupportContact.objects.create(
        episode=episode,
        contact_on=data.contact_on,
        mode=data.mode,
        after_release=after_release,
        with_whom=data.with_whom.strip(),
        notes=data.notes.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_contact",
        object_id=str(contact.public_id),
        detail=_detail(episode, after_release=after_release),
    )
    return contact
