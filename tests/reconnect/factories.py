"""RECONNECT teams, prisons, and episodes taken to a chosen stage through the services."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.utils import timezone

from healthjustice.organisations.choices import Pathway, SiteKind
from healthjustice.organisations.models import Site, Team
from healthjustice.organisations.permissions import clear_permission_cache
from healthjustice.organisations.roles import Role
from healthjustice.reconnect import services
from healthjustice.reconnect.choices import (
    CustodyStatus,
    EligibilityOutcome,
    Referrer,
    ReleaseType,
)
from tests.factories import MembershipFactory, TeamFactory

D = datetime.timedelta(days=1)
CARE_ROLES = {
    "practitioner": Role.PRACTITIONER,
    "team_leader": Role.TEAM_LEADER,
    "service_manager": Role.SERVICE_MANAGER,
}


def reconnect_team(*, like: Team, users=()) -> Team:
    """A RECONNECT team in `like`'s region and trust, with `users` as (user, role) members."""
    team = TeamFactory(
        name=f"{like.region.name} RECONNECT",
        organisation=like.organisation,
        region=like.region,
        pathway=Pathway.RECONNECT,
    )
    for user, role in users:
        MembershipFactory(user=user, team=team, role=role)
        clear_permission_cache(user)
    return team


def prison(team: Team, name: str = "HMP Stafford", kind: str = SiteKind.PRISON) -> Site:
    site = Site.objects.create(name=name, kind=kind, region=team.region, code="SFI")
    site.teams.add(team)
    return site


def referral_input(site: Site, **changes) -> services.ReferralInput:
    data = services.ReferralInput(
        referrer=Referrer.PRISON_HEALTHCARE,
        health_need="Depot antipsychotic; no GP in the community",
        establishment=site,
        expected_release_on=timezone.localdate() + 30 * D,
        release_type=ReleaseType.LICENCE,
        referrer_name="HMP Stafford healthcare",
    )
    return replace(data, **changes)


def eligibility_input(**changes) -> services.EligibilityInput:
    data = services.EligibilityInput(
        checked_on=timezone.localdate(),
        custody_status=CustodyStatus.SENTENCED,
        health_need=True,
        outcome=EligibilityOutcome.ELIGIBLE,
    )
    return replace(data, **changes)


def referred(*, team: Team, person, actor, site: Site | None = None, **changes):
    site = site or Site.objects.filter(teams=team).first() or prison(team)
    return services.referral_record(
        actor=actor, person=person, team=team, data=referral_input(site, **changes)
    ).episode


def eligible(*, team: Team, person, actor, **changes):
    episode = referred(team=team, person=person, actor=actor, **changes)
    services.eligibility_record(actor=actor, episode=episode, data=eligibility_input())
    return episode


def pre_release(*, team: Team, person, actor, **changes):
    episode = eligible(team=team, person=person, actor=actor, **changes)
    services.pre_release_start(actor=actor, episode=episode)
    return episode


def released(*, team: Team, person, actor, released_on=None, **changes):
    episode = pre_release(team=team, person=person, actor=actor, **changes)
    details = episode.reconnect_release
    services.release_record(
        actor=actor,
        episode=episode,
        released_on=released_on or timezone.localdate(),
        release_type=ReleaseType.LICENCE,
        expected_version=details.version,
    )
    return episode


def post_release(*, team: Team, person, actor, released_on=None, **changes):
    episode = released(team=team, person=person, actor=actor, released_on=released_on, **changes)
    services.post_release_start(actor=actor, episode=episode)
    return episode


def handed_over_to(episode, actor, service_name="Stoke Recovery Service", **changes):
    data = services.HandoverInput(
        service_type="drugs_alcohol",
        service_name=service_name,
        handed_over_on=timezone.localdate(),
    )
    return services.handover_record(actor=actor, episode=episode, data=replace(data, **changes))
