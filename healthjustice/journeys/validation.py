"""Checks on criminal-justice details that forms and services share."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from healthjustice.core.dates import format_date
from healthjustice.organisations.choices import SiteKind


def _local_date(value: datetime) -> date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def validate_cj_details(details: Mapping[str, Any], *, referred_at: datetime | None) -> None:
    """Refuse criminal-justice details that cannot be true; every message names its field.

    Without `referred_at` (not yet known on a form) the hearing date is not compared with it.
    """
    errors: dict[str, str] = {}
    now = timezone.now()
    arrived = details.get("arrived_in_custody_at")
    if arrived and arrived > now:
        errors["arrived_in_custody_at"] = "The time they arrived in custody cannot be in the future"
    hearing = details.get("hearing_at")
    if hearing and referred_at and _local_date(hearing) < _local_date(referred_at):
        errors["hearing_at"] = (
            f"The hearing date must be on or after the referral date ({format_date(referred_at)})"
        )
    court = details.get("court")
    if court is not None and (details.get("court_name") or "").strip():
        errors["court_name"] = "Choose a court from the list or type its name, not both"
    if court is not None and court.kind != SiteKind.COURT:
        errors["court"] = "Choose a court"
    if details.get("psr_due_on") and not details.get("psr_requested"):
        errors["psr_due_on"] = (
            "Say that a pre-sentence report was requested, or leave its due date blank"
        )
    if errors:
        raise ValidationError(errors)
