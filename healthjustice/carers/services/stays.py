"""Secure-service stays: where the patient is, and who on the ward or team looks after them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.organisations.models import Team
from healthjustice.people.access import viewing_team_ids
from healthjustice.people.models import Person
from healthjustice.people.services import care_relationship_start

from ..models import SecureServiceStay
from .common import audit, changed_fields, require_patient

STAY_FIELDS = (
    "level",
    "hospital_or_team",
    "ward",
    "key_worker",
    "ward_manager",
    "starts_on",
    "ends_on",
)


def _check_stay_dates(data: dict[str, Any]) -> None:
    ends_on, starts_on = data.get("ends_on"), data.get("starts_on")
    if ends_on and starts_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date must be the same as or after the start"})


@transaction.atomic
def stay_record(
    *,
    actor: User,
    person: Person,
    team: Team,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> SecureServiceStay:
    """Record a stay. The ward or community team gets a care relationship if it has none."""
    require_patient(actor, person)
    if team.id not in viewing_team_ids(actor):
        raise PermissionDenied("You can only record stays for a team you belong to.")
    _check_stay_dates(data)
    stay = SecureServiceStay.objects.create(
        person=person,
        team=team,
        created_by=actor,
        **{k: v for k, v in data.items() if k in STAY_FIELDS},
    )
    care_relationship_start(
        person=person, team=team, started_on=stay.starts_on, reason="Secure-service stay"
    )
    audit(actor, request, Action.CREATE, "secure_stay", stay.public_id, person=person)
    return stay


@transaction.atomic
def stay_update(
    *,
    actor: User,
    stay: SecureServiceStay,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> list[str]:
    require_patient(actor, stay.person)
    current = SecureServiceStay.objects.select_for_update().get(pk=stay.pk)
    merged = {"starts_on": current.starts_on, "ends_on": current.ends_on, **data}
    _check_stay_dates(merged)
    changed = changed_fields(current, data, STAY_FIELDS)
    if not changed:
        return []
    for name in changed:
        setattr(current, name, data[name])
    current.save(update_fields=changed)
    audit(
        actor,
        request,
        Action.UPDATE,
        "secure_stay",
        current.public_id,
        person=current.person,
        fields_changed=changed,
    )
    stay.refresh_from_db()
    return changed
