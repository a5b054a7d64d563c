"""MHTR teams, episodes at a chosen stage, and the records that take them there."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.utils import timezone

from healthjustice.journeys.choices import EpisodeSetting, ReferralSource, Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.journeys.stages import MENTAL_HEALTH_TREATMENT_REQUIREMENT
from healthjustice.mhtr import services
from healthjustice.mhtr.choices import (
    AssessmentMode,
    GpStatus,
    GuiltStatus,
    OrderType,
    Register,
    SessionMode,
    Suitability,
    Tier,
    TreatmentType,
)
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Team
from healthjustice.organisations.permissions import clear_permission_cache
from healthjustice.organisations.roles import Role
from healthjustice.people.models import CareRelationship, Person
from tests.factories import MembershipFactory, TeamFactory

ORDER = list(MENTAL_HEALTH_TREATMENT_REQUIREMENT.order)


def mhtr_team(*, like: Team, users=()) -> Team:
    """An MHTR team in `like`'s region and trust, with `users` as (user, role) members."""
    team = TeamFactory(
        name=f"{like.region.name} MHTR",
        organisation=like.organisation,
        region=like.region,
        pathway=Pathway.MHTR,
    )
    for user, role in users:
        MembershipFactory(user=user, team=team, role=role)
        clear_permission_cache(user)
    return team


def make_mhtr_episode(
    *, team: Team, person: Person, stage: str = Stage.REFERRED, days_ago: int = 30
) -> Episode:
    """An MHTR episode whose history runs through every stage up to `stage`."""
    referred_at = timezone.now() - datetime.timedelta(days=days_ago)
    CareRelationship.objects.get_or_create(person=person, team=team)
    episode = Episode.objects.create(
        person=person,
        team=team,
        pathway=Pathway.MHTR,
        setting=EpisodeSetting.MAGISTRATES_COURT,
        referral_source=ReferralSource.PROBATION,
        referred_at=referred_at,
    )
    for seq, s in enumerate(ORDER[: ORDER.index(Stage(stage)) + 1], start=1):
        EpisodeStatus.objects.create(
            episode=episode, seq=seq, stage=s, at=referred_at + datetime.timedelta(hours=seq)
        )
    return episode


def suitable_input(**changes) -> services.SuitabilityInput:
    data = services.SuitabilityInput(
        assessed_on=timezone.localdate() - datetime.timedelta(days=20),
        mode=AssessmentMode.IN_PERSON,
        offence_community_threshold=True,
        guilt=GuiltStatus.PLEADED_GUILTY,
        requires_treatment=True,
        not_hospital_order=True,
        arrangements_in_place=True,
        tier=Tier.PRIMARY,
        gp=GpStatus.REGISTERED,
        willing=True,
        outcome=Suitability.SUITABLE,
    )
    return replace(data, **changes)


def order_input(**changes) -> services.OrderInput:
    sentenced = timezone.localdate() - datetime.timedelta(days=10)
    data = services.OrderInput(
        court="North Staffordshire Justice Centre",
        sentenced_on=sentenced,
        order_type=OrderType.COMMUNITY_ORDER,
        treatment_type=TreatmentType.PRACTITIONER,
        starts_on=sentenced,
        months=6,
        tier=Tier.PRIMARY,
        clinician_name="Dr Alex Synthetic",
        clinician_register=Register.HCPC,
        clinician_number="PYL12345",
        probation_practitioner="Sam Example",
        probation_delivery_unit="Stoke-on-Trent PDU",
        skip_reason="The court sentenced on the day",
    )
    return replace(data, **changes)


def suitable_episode(*, team: Team, person: Person, actor) -> Episode:
    episode = make_mhtr_episode(team=team, person=person)
    services.suitability_record(actor=actor, episode=episode, data=suitable_input())
    return episode


def ordered_episode(*, team: Team, person: Person, actor) -> Episode:
    episode = suitable_episode(team=team, person=person, actor=actor)
    services.order_record(actor=actor, episode=episode, data=order_input())
    return episode


def session(episode: Episode, actor, *, days_ago: int = 2):
    return services.session_schedule(
        actor=actor,
        episode=episode,
        on=timezone.localdate() - datetime.timedelta(days=days_ago),
        at=datetime.time(10, 0),
        mode=SessionMode.IN_PERSON,
        practitioner="Jo Practitioner",
    )


CARE_ROLES = {"practitioner": Role.PRACTITIONER, "team_leader": Role.TEAM_LEADER}
CARE_ROLES["service_manager"] = Role.SERVICE_MANAGER
