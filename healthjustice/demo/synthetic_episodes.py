"""Bulk synthetic episodes for load tests: fast, not audited, on people already in the database.

Each episode belongs to a team the person is in a care relationship with (so the team's staff
can see it), with a referral time spread over the last two years. Episodes referred in the last
fortnight are mostly open; older ones are mostly closed, as in a working service. Status rows
walk the state machine in order; some episodes get criminal-justice details, screenings, risk
alerts and onward referrals, so every part of the worklist's priority has data behind it.
Rows are written with bulk_create, one transaction per batch.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import (
    EpisodeSetting,
    OffenceCategory,
    ReferralSource,
    Stage,
)
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.stages import LIAISON_AND_DIVERSION, OPEN_STAGES, ORDER
from healthjustice.organisations.models import Site
from healthjustice.people.models import CareRelationship
from healthjustice.screening.choices import RISK_RANK, URGENCY_RANK, RiskLevel, Urgency
from healthjustice.screening.models import RiskAlert, Screening
from healthjustice.worklist.entries import rebuild_entries

CLOSURE_REASONS = [str(r) for r in LIAISON_AND_DIVERSION.closure_reasons]
HISTORY_DAYS = 720
RECENT_DAYS = 14
DEFAULT_BATCH = 5000
SETTINGS = [
    (EpisodeSetting.POLICE_CUSTODY, 55),
    (EpisodeSetting.MAGISTRATES_COURT, 25),
    (EpisodeSetting.VOLUNTARY_ATTENDANCE, 6),
    (EpisodeSetting.CROWN_COURT, 3),
    (EpisodeSetting.YOUTH_COURT, 3),
    (EpisodeSetting.PRISON, 4),
    (EpisodeSetting.PROBATION, 2),
    (EpisodeSetting.COMMUNITY, 2),
]
SOURCE_FOR_SETTING = {
    EpisodeSetting.POLICE_CUSTODY: ReferralSource.CUSTODY_SERGEANT,
    EpisodeSetting.VOLUNTARY_ATTENDANCE: ReferralSource.POLICE,
    EpisodeSetting.MAGISTRATES_COURT: ReferralSource.COURT_STAFF,
    EpisodeSetting.CROWN_COURT: ReferralSource.DEFENCE_SOLICITOR,
    EpisodeSetting.YOUTH_COURT: ReferralSource.YOUTH_OFFENDING_TEAM,
    EpisodeSetting.PRISON: ReferralSource.PRISON_HEALTHCARE,
    EpisodeSetting.PROBATION: ReferralSource.PROBATION,
    EpisodeSetting.COMMUNITY: ReferralSource.SELF,
}


class EpisodeLoader:
    def __init__(
        self,
        *,
        worker: Any,
        worker_team_id: int | None = None,
        seed: int | None = None,
        mine_share: float = 0.05,
        log: Callable[[str], Any] | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.worker = worker
        self.worker_team_id = worker_team_id
        self.mine_share = mine_share
        self.log = log or (lambda _msg: None)
        self.now = timezone.now()
        self.today = timezone.localdate()
        pairs = CareRelationship.objects.order_by("pk").values_list("person_id", "team_id")
        self.pairs: list[tuple[int, int]] = list(pairs)
        if not self.pairs:
            raise ValueError("There are no people in care relationships to give episodes to.")
        self.sites: dict[int, list[int]] = {}
        for site_id, team_id in Site.teams.through.objects.values_list("site_id", "team_id"):
            self.sites.setdefault(team_id, []).append(site_id)
        self.settings, self.weights = zip(*SETTINGS, strict=True)

    def _stage(self, referred_at: datetime.datetime) -> Stage:
        recent = self.now - referred_at < datetime.timedelta(days=RECENT_DAYS)
        if (recent and self.rng.random() < 0.8) or (not recent and self.rng.random() < 0.03):
            return self.rng.choice(OPEN_STAGES)
        return Stage.CLOSED

    def _episode(self, person_id: int, team_id: int) -> tuple[Episode, Stage]:
        referred_at = self.now - datetime.timedelta(
            seconds=self.rng.randint(60, HISTORY_DAYS * 86400)
        )
        stage = self._stage(referred_at)
        setting = self.rng.choices(self.settings, self.weights)[0]
        sites = self.sites.get(team_id)
        mine = (
            stage != Stage.CLOSED
            and team_id == self.worker_team_id
            and self.rng.random() < self.mine_share
        )
        episode = Episode(
            person_id=person_id,
            team_id=team_id,
            pathway="ld",
            setting=setting,
            site_id=self.rng.choice(sites) if sites else None,
            referral_source=SOURCE_FOR_SETTING[setting],
            referred_at=referred_at,
            reason="Synthetic load data",
            allocated_worker=self.worker if mine else None,
            allocated_at=referred_at if mine else None,
            created_at=referred_at,
        )
        return episode, stage

    def _statuses(self, episode: Episode, stage: Stage) -> list[EpisodeStatus]:
        if stage == Stage.CLOSED:
            last_open = self.rng.choice(OPEN_STAGES)
            path = [*ORDER[: ORDER.index(last_open) + 1], Stage.CLOSED]
        else:
            path = list(ORDER[: ORDER.index(stage) + 1])
        span = max((self.now - episode.referred_at) / (len(path) + 1), datetime.timedelta(0))
        step = min(span, datetime.timedelta(days=3))
        return [
            EpisodeStatus(
                episode=episode,
                seq=i + 1,
                stage=s,
                at=episode.referred_at + step * i,
                closure_reason=self.rng.choice(CLOSURE_REASONS) if s == Stage.CLOSED else "",
            )
            for i, s in enumerate(path)
        ]

    def _cj(self, episode: Episode, stage: Stage) -> CriminalJusticeContext | None:
        if self.rng.random() > 0.4:
            return None
        cj = CriminalJusticeContext(
            episode=episode,
            offence_category=self.rng.choice(OffenceCategory.values),
            updated_at=episode.referred_at,
        )
        open_now = stage != Stage.CLOSED
        if episode.setting == EpisodeSetting.POLICE_CUSTODY:
            cj.arrived_in_custody_at = episode.referred_at - datetime.timedelta(
                minutes=self.rng.randint(10, 600)
            )
        elif "court" in episode.setting:
            ahead = datetime.timedelta(hours=self.rng.randint(1, 72))
            base = self.now if open_now else episode.referred_at
            cj.hearing_at = base + ahead
        elif episode.setting == EpisodeSetting.PRISON:
            cj.prison_release_on = timezone.localdate(episode.referred_at) + datetime.timedelta(
                days=self.rng.randint(1, 60)
            )
        return cj

    def _screening(self, episode: Episode, stage: Stage) -> Screening | None:
        reached = ORDER.index(stage) >= ORDER.index(Stage.SCREENED)
        if not reached or (stage == Stage.CLOSED and self.rng.random() < 0.3):
            return None
        risk = self.rng.choices(RiskLevel.values, (6, 3, 1))[0]
        urgency = self.rng.choices(Urgency.values, (5, 3, 1.5, 0.5))[0]
        return Screening(
            episode=episode,
            screened_at=episode.referred_at + datetime.timedelta(hours=1),
            screened_by=self.worker,
            vulnerabilities=["mental_health"],
            risk_level=risk,
            urgency=urgency,
            risk_rank=RISK_RANK[RiskLevel(risk)],
            urgency_rank=URGENCY_RANK[Urgency(urgency)],
            full_assessment_needed=risk != RiskLevel.LOW,
        )

    def _alert(self, episode: Episode) -> RiskAlert | None:
        if self.rng.random() > 0.05:
            return None
        acknowledged = self.rng.random() < 0.6
        return RiskAlert(
            episode=episode,
            raised_at=episode.referred_at + datetime.timedelta(hours=1),
            source="PHQ-9 item 9 answered 'several days'",
            acknowledged_at=self.now if acknowledged else None,
            acknowledged_by=self.worker if acknowledged else None,
        )

    def _referral(self, episode: Episode, stage: Stage) -> OnwardReferral | None:
        if stage not in (Stage.INTERVENTION, Stage.CLOSED) or self.rng.random() < 0.4:
            return None
        referred_on = timezone.localdate(episode.referred_at)
        first = referred_on + datetime.timedelta(days=self.rng.randint(1, 21))
        done = stage == Stage.CLOSED or self.rng.random() < 0.7
        return OnwardReferral(
            episode=episode,
            service_type="mental_health",
            service_name="Community mental health team",
            referred_on=referred_on,
            first_appointment_on=first,
            follow_up_done_at=self.now if done else None,
            created_by=self.worker,
        )

    @transaction.atomic
    def _batch(self, pairs: list[tuple[int, int]]) -> None:
        made = [self._episode(person_id, team_id) for person_id, team_id in pairs]
        Episode.objects.bulk_create([e for e, _ in made])
        statuses, contexts, screenings, alerts, referrals = [], [], [], [], []
        for episode, stage in made:
            statuses += self._statuses(episode, stage)
            if cj := self._cj(episode, stage):
                contexts.append(cj)
            if screening := self._screening(episode, stage):
                screenings.append(screening)
                if alert := self._alert(episode):
                    alerts.append(alert)
            if referral := self._referral(episode, stage):
                referrals.append(referral)
        EpisodeStatus.objects.bulk_create(statuses)
        CriminalJusticeContext.objects.bulk_create(contexts)
        Screening.objects.bulk_create(screenings)
        RiskAlert.objects.bulk_create(alerts)
        OnwardReferral.objects.bulk_create(referrals)

    def run(self, episodes: int, batch: int = DEFAULT_BATCH) -> int:
        started = time.perf_counter()
        done = 0
        # Every person first, then second episodes for a random share of them.
        order = list(self.pairs)
        self.rng.shuffle(order)
        while done < episodes:
            size = min(batch, episodes - done)
            chosen = [order[(done + i) % len(order)] for i in range(size)]
            self._batch(chosen)
            done += size
            self.log(f"{done:,} of {episodes:,} episodes ({time.perf_counter() - started:.1f} s)")
        return done


def seed_synthetic_episodes(
    *,
    episodes: int,
    worker: Any,
    worker_team_id: int | None = None,
    batch: int = DEFAULT_BATCH,
    seed: int | None = None,
    mine_share: float = 0.05,
    log: Callable[[str], Any] | None = None,
) -> int:
    """Add `episodes` synthetic episodes to people already in care relationships. `worker` is
    recorded as the screener and referrer, and is allocated `mine_share` of the open episodes
    of `worker_team_id`."""
    loader = EpisodeLoader(
        worker=worker,
        worker_team_id=worker_team_id,
        seed=seed,
        mine_share=mine_share,
        log=log,
    )
    added = loader.run(episodes, batch)
    # Written in bulk, past the receivers that keep the worklist's rows.
    rebuild_entries()
    return added
