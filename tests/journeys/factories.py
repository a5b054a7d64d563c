"""Episodes and what hangs off them, for tests. Synthetic people only."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from healthjustice.journeys.choices import EpisodeSetting, ReferralSource, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.stages import ORDER
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.models import Site, Team
from healthjustice.screening.choices import RISK_RANK, URGENCY_RANK
from healthjustice.screening.models import RiskAlert, Screening
from tests.factories import PersonFactory


def make_site(
    team: Team, *, name: str = "Northern Area Custody", kind: str = SiteKind.CUSTODY_SUITE
):
    site = Site.objects.create(name=name, kind=kind, region=team.region)
    site.teams.add(team)
    return site


def make_episode(
    team: Team,
    *,
    person=None,
    stage: str = Stage.IDENTIFIED,
    referred_at: datetime.datetime | None = None,
    setting: str = EpisodeSetting.POLICE_CUSTODY,
    site: Site | None = None,
    worker=None,
    cj: dict[str, Any] | None = None,
    by=None,
) -> Episode:
    """An episode whose status rows walk from identified to `stage` (closing from the stage
    before when `stage` is closed)."""
    person = person or PersonFactory(team=team)
    referred_at = referred_at or timezone.now() - datetime.timedelta(hours=2)
    episode = Episode.objects.create(
        person=person,
        team=team,
        pathway=team.pathway,
        setting=setting,
        site=site,
        referral_source=ReferralSource.CUSTODY_SERGEANT,
        referred_at=referred_at,
        reason="Appeared distressed at booking-in",
        allocated_worker=worker,
    )
    path = list(ORDER[: ORDER.index(Stage(stage)) + 1])
    for seq, step in enumerate(path, start=1):
        EpisodeStatus.objects.create(
            episode=episode,
            seq=seq,
            stage=step,
            at=referred_at + datetime.timedelta(minutes=seq),
            by=by,
            closure_reason="declined" if step == Stage.CLOSED else "",
        )
    if cj:
        CriminalJusticeContext.objects.create(episode=episode, **cj)
    return episode


def make_screening(episode: Episode, user, *, risk: str = "medium", urgency: str = "soon", at=None):
    return Screening.objects.create(
        episode=episode,
        screened_by=user,
        screened_at=at or timezone.now(),
        risk_level=risk,
        urgency=urgency,
        risk_rank=RISK_RANK[risk],
        urgency_rank=URGENCY_RANK[urgency],
        full_assessment_needed=True,
    )


def make_alert(episode: Episode, *, source: str = "PHQ-9 item 9", acknowledged_by=None):
    return RiskAlert.objects.create(
        episode=episode,
        source=source,
        acknowledged_at=timezone.now() if acknowledged_by else None,
        acknowledged_by=acknowledged_by,
    )
