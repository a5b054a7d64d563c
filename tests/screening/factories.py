"""Episodes at a chosen stage, built through the journeys services like a practitioner would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from healthjustice.journeys.choices import EpisodeSetting, ReferralSource, Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import episode_move, episode_open
from healthjustice.journeys.stages import ORDER
from healthjustice.organisations.models import Team
from healthjustice.people.models import Person
from tests.factories import PersonFactory, TeamFactory, staff


def make_episode(
    *,
    team: Team | None = None,
    person: Person | None = None,
    actor: Any = None,
    stage: str = Stage.IDENTIFIED,
) -> Episode:
    team = team or TeamFactory()
    actor = actor or staff(team=team)
    person = person or PersonFactory(team=team)
    episode = episode_open(
        actor=actor,
        person=person,
        team=team,
        setting=EpisodeSetting.POLICE_CUSTODY,
        referral_source=ReferralSource.CUSTODY_SERGEANT,
        referred_at=timezone.now() - timedelta(hours=2),
        reason="Custody sergeant concerned about low mood",
    )
    for next_stage in ORDER[1 : ORDER.index(Stage(stage)) + 1]:
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=next_stage,
            closure_reason="declined" if next_stage == Stage.CLOSED else "",
            note="Screened on paper" if next_stage == Stage.SCREENED else "",
        )
    return episode
