"""Referrals to an MHTR team from outside the service: probation, the court, a defence solicitor,
or the person themselves. (A referral from an L&D episode is `services.referral_from_ld`.)

A member of the MHTR team records the referral it received for a person they can see: the
episode opens at *referred* through `journeys.services.episode_open` (which checks the person is
visible, starts the team's care relationship and records the episode's audit event), and an
`MhtrReferral` keeps the route, the referrer and the day it was received.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys.access import working_team_ids
from healthjustice.journeys.choices import EpisodeSetting, ReferralSource
from healthjustice.journeys.selectors import working_teams
from healthjustice.journeys.services import episode_open
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person

from . import selectors
from .choices import ReferralRoute
from .models import MhtrReferral

# The routes this module records, with the episode's referral source and where the team will
# see them (probation's own offices for a probation referral, the community otherwise).
OUTSIDE_ROUTES: dict[str, tuple[ReferralSource, EpisodeSetting]] = {
    ReferralRoute.PROBATION: (ReferralSource.PROBATION, EpisodeSetting.PROBATION),
    ReferralRoute.COURT: (ReferralSource.COURT_STAFF, EpisodeSetting.COMMUNITY),
    ReferralRoute.DEFENCE_SOLICITOR: (
        ReferralSource.DEFENCE_SOLICITOR,
        EpisodeSetting.COMMUNITY,
    ),
    ReferralRoute.SELF: (ReferralSource.SELF, EpisodeSetting.COMMUNITY),
}
# Hearing details (the court, the date and time of the hearing) are Article 10 data, kept in the
# episode's criminal-justice details; only these may come with a referral.
HEARING_FIELDS = ("court", "court_name", "hearing_at")
FIELD_LIMIT = 200
WORKING_DAY_STARTS = datetime.time(9, 0)


def route_choices() -> list[tuple[str, str]]:
    return [(value, label) for value, label in ReferralRoute.choices if value in OUTSIDE_ROUTES]


def referral_teams(user: User) -> list[Team]:
    """The MHTR teams whose referrals the user may record: those they work in (active, by
    name; from the memberships read once for the request)."""
    if not has_permission(user, Permission.EPISODE_MANAGE):
        return []
    return [team for team in working_teams(user) if team.pathway == Pathway.MHTR]


@dataclass(frozen=True)
class OutsideReferral:
    """What the referrer told the team. `hearing` holds the known hearing details, keyed as
    the criminal-justice details are (`court`, `court_name`, `hearing_at`)."""

    route: str
    received_on: datetime.date
    reason: str
    referrer_name: str = ""
    referrer_organisation: str = ""
    referrer_contact: str = ""
    hearing: Mapping[str, Any] = field(default_factory=dict)


def _check(data: OutsideReferral) -> None:
    errors: dict[str, str] = {}
    if data.route not in OUTSIDE_ROUTES:
        errors["route"] = "Select who made the referral"
    if data.received_on > timezone.localdate():
        errors["received_on"] = "The date the referral was received must be today or in the past"
    if not data.reason.strip():
        errors["reason"] = "Enter the reason for the referral"
    referrer = {
        "referrer_name": (data.referrer_name, "Enter the name of the person who referred them"),
        "referrer_organisation": (
            data.referrer_organisation,
            "Enter the organisation the referrer works for",
        ),
        "referrer_contact": (
            data.referrer_contact,
            "Enter how to contact the referrer, such as a phone number or secure email",
        ),
    }
    for name, (value, missing) in referrer.items():
        if len(value.strip()) > FIELD_LIMIT:
            errors[name] = f"Enter {FIELD_LIMIT} characters or fewer"
        elif data.route == ReferralRoute.SELF and value.strip():
            errors[name] = (
                "A self-referral has no referrer: leave the referrer's details blank, and "
                "record the person's own contact details on their record"
            )
        elif (
            data.route in OUTSIDE_ROUTES and data.route != ReferralRoute.SELF and not value.strip()
        ):
            errors[name] = missing
    unknown = set(data.hearing) - set(HEARING_FIELDS)
    if unknown:
        raise ValueError(f"Not hearing details: {sorted(unknown)}")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def referral_receive(
    *,
    actor: User,
    person: Person,
    team: Team,
    data: OutsideReferral,
    request: HttpRequest | None = None,
) -> MhtrReferral:
    """Open an MHTR episode at *referred* for a referral the team received from outside the
    service. Refused, with nothing written, for someone with an episode open in the team."""
    if team.pathway != Pathway.MHTR:
        raise ValidationError("Only an MHTR team receives MHTR referrals.")
    if not has_permission(actor, Permission.EPISODE_MANAGE, person):
        raise PermissionDenied("You may not open episodes for this person.")
    if team.id not in working_team_ids(actor):
        raise PermissionDenied("You can only record referrals your own MHTR team received.")
    _check(data)
    # Lock the team row so two people recording the same referral at once queue up, and the
    # second sees the first one's open episode.
    Team.objects.select_for_update().filter(pk=team.pk).first()
    if selectors.open_mhtr_episodes(person, team).exists():
        raise ValidationError(f"{person.full_name} already has an open episode with {team.name}.")
    source, setting = OUTSIDE_ROUTES[data.route]
    # Received today: now. An earlier day: its start of the working day (the hour is not asked).
    referred_at = (
        timezone.now()
        if data.received_on == timezone.localdate()
        else timezone.make_aware(datetime.datetime.combine(data.received_on, WORKING_DAY_STARTS))
    )
    hearing = {k: v for k, v in data.hearing.items() if v not in (None, "")}
    episode = episode_open(
        actor=actor,
        person=person,
        team=team,
        setting=setting,
        referral_source=source,
        referred_at=referred_at,
        reason=data.reason.strip(),
        cj_details=hearing or None,
        request=request,
    )
    referral = MhtrReferral.objects.create(
        episode=episode,
        route=data.route,
        reason=data.reason.strip(),
        referrer_name=data.referrer_name.strip(),
        referrer_organisation=data.referrer_organisation.strip(),
        referrer_contact=data.referrer_contact.strip(),
        received_on=data.received_on,
        made_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_referral",
        object_id=str(referral.public_id),
        detail={
            "episode": str(episode.public_id),
            "person": str(person.public_id),
            "route": data.route,
        },
    )
    return referral
