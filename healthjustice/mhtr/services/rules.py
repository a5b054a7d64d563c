"""What every MHTR write checks: the pathway, the team's permission, the stage and ages."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from healthjustice.accounts.models import User
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person

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


def require_manage(actor: User, episode: Episode) -> None:
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not change this episode.")


def locked_stage(episode: Episode) -> str | None:
    """Lock the episode row and read its stage, so two writers queue up behind each other."""
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    latest = locked.statuses.order_by("-seq").first()
    return latest.stage if latest else None


def require_mhtr(episode: Episode) -> None:
    if episode.pathway != Pathway.MHTR:
        raise ValidationError("This is not a Mental Health Treatment Requirement episode.")


def in_words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def age_on(person: Person, day: date) -> int | None:
    dob = person.date_of_birth
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def episode_detail(episode: Episode, **more: Any) -> dict[str, Any]:
    return {"episode": str(episode.public_id), "person": str(episode.person.public_id), **more}
