"""What the MHTR dashboard and return are built from: the facts of each MHTR episode.

One `EpisodeFacts` per episode, read in a fixed handful of queries (the episodes with their
team, region and person; their status rows; referral routes; suitability assessments; court
outcomes; sessions; compliance notices), so the number of queries does not grow with the number
of episodes. Figures and return columns are computed from these facts, never from the database,
so the page and the file cannot disagree.

Facts that another part of the service will provide (per-episode outcome measures, for example)
are added by a loader in `FACT_LOADERS`: it fills `EpisodeFacts.extra` for all the episodes at
once, and a figure or column reads it from there.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from healthjustice.journeys.choices import ClosureReason, ReferralSource, Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.journeys.selectors import with_current_stage
from healthjustice.mhtr.choices import ReferralRoute, SessionOutcome, Suitability
from healthjustice.mhtr.measures import trajectories_of
from healthjustice.mhtr.models import (
    ComplianceNotice,
    CourtOutcome,
    MhtrReferral,
    SuitabilityAssessment,
    TreatmentSession,
)
from healthjustice.organisations.choices import Pathway

from .periods import Month

OTHER_SOURCE = "other"
OTHER_SOURCE_LABEL = "Other source"
# Where an episode has no MHTR referral row, its own referral source names the route.
SOURCE_AS_ROUTE: dict[str, str] = {
    ReferralSource.LIAISON_DIVERSION: ReferralRoute.LIAISON_DIVERSION,
    ReferralSource.PROBATION: ReferralRoute.PROBATION,
    ReferralSource.COURT_STAFF: ReferralRoute.COURT,
    ReferralSource.DEFENCE_SOLICITOR: ReferralRoute.DEFENCE_SOLICITOR,
    ReferralSource.SELF: ReferralRoute.SELF,
}
# An order that moves to another team has not ended: it is not counted as an ended order.
NOT_AN_ENDING = (ClosureReason.ORDER_TRANSFERRED,)


def local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


class EpisodeHistory:
    """What every pathway's facts know of an episode: when it was referred and its status
    rows, oldest first, as (stage, at, closure reason). Mixed into each pathway's facts."""

    referred_at: datetime.datetime
    history: list[tuple[str, datetime.datetime, str]]

    @property
    def referred_on(self) -> datetime.date:
        return local_date(self.referred_at)

    def reached(self, stage: str) -> datetime.datetime | None:
        """When the episode first reached `stage`, or None."""
        return next((at for s, at, _ in self.history if s == stage), None)

    @property
    def closed(self) -> tuple[datetime.datetime, str] | None:
        """When and why the episode closed, if its newest status row is a closure."""
        if self.history and self.history[-1][0] == Stage.CLOSED:
            _, at, reason = self.history[-1]
            return at, reason
        return None

    def stage_on(self, day: datetime.date) -> str:
        """The stage at the end of `day` ("" before the first status row)."""
        stage = ""
        for s, at, _ in self.history:
            if local_date(at) > day:
                break
            stage = s
        return stage


@dataclass(frozen=True)
class SessionFact:
    on: datetime.date
    outcome: str


@dataclass(frozen=True)
class AssessmentFact:
    assessed_on: datetime.date
    recorded_at: datetime.datetime
    outcome: str


@dataclass
class OrderFact:
    order_made: bool
    sentenced_on: datetime.date
    order_type: str = ""
    treatment_type: str = ""
    months: int | None = None
    ends_on: datetime.date | None = None
    planned_sessions: int | None = None


@dataclass
class EpisodeFacts(EpisodeHistory):
    id: int
    public_id: uuid.UUID
    team_id: int
    team: str
    region: str
    referred_at: datetime.datetime
    source: str
    date_of_birth: datetime.date | None = None
    sex: str = ""
    ethnic_category_code: str = ""
    ethnic_code_list: str = ""
    history: list[tuple[str, datetime.datetime, str]] = field(default_factory=list)
    assessments: list[AssessmentFact] = field(default_factory=list)  # oldest first
    order: OrderFact | None = None
    sessions: list[SessionFact] = field(default_factory=list)  # in date order
    notices: list[datetime.date] = field(default_factory=list)  # the absences' dates
    extra: dict[str, Any] = field(default_factory=dict)

    def suitability_on(self, day: datetime.date) -> AssessmentFact | None:
        """The assessment that counted at the end of `day`: the newest assessed by then."""
        held = [a for a in self.assessments if a.assessed_on <= day]
        return max(held, key=lambda a: (a.assessed_on, a.recorded_at), default=None)

    @property
    def suitability(self) -> AssessmentFact | None:
        """The newest assessment, the one that counts."""
        return max(self.assessments, key=lambda a: (a.assessed_on, a.recorded_at), default=None)

    @property
    def proposed_on(self) -> datetime.date | None:
        """The day of the proposal to court: the view for the pre-sentence report was given
        while the assessment that counted that day said suitable. None when there was none."""
        at = self.reached(Stage.PSR_VIEW_GIVEN)
        if at is None:
            return None
        day = local_date(at)
        assessment = self.suitability_on(day)
        return day if assessment and assessment.outcome == Suitability.SUITABLE else None

    @property
    def order_made(self) -> bool:
        return self.order is not None and self.order.order_made

    @property
    def first_attended_on(self) -> datetime.date | None:
        return next((s.on for s in self.sessions if s.outcome == SessionOutcome.ATTENDED), None)

    @property
    def days_to_first_attended(self) -> int | None:
        """Calendar days from the date of sentence to the first attended session."""
        first = self.first_attended_on
        if self.order is None or not self.order.order_made or first is None:
            return None
        return (first - self.order.sentenced_on).days

    @property
    def order_ended(self) -> tuple[datetime.date, str] | None:
        """The day and closure reason of an order that has ended (not one transferred)."""
        closed = self.closed
        if not self.order_made or closed is None or closed[1] in NOT_AN_ENDING:
            return None
        return local_date(closed[0]), closed[1]


FactLoader = Callable[[list[EpisodeFacts]], None]


def load_measures(facts: list[EpisodeFacts]) -> None:
    """`extra["measures"]`: the episode's PHQ-9, GAD-7 and CORE-10 totals in the order taken
    (`mhtr.measures.trajectories_of`), for `mhtr.outcomes.outcome_as_at`."""
    series = trajectories_of(f.id for f in facts)
    for f in facts:
        f.extra["measures"] = series.get(f.id, {})


# Extra facts loaded for every set of episodes, in bulk; see the module docstring.
FACT_LOADERS: list[FactLoader] = [load_measures]


def mhtr_episodes(
    *, team_ids: Iterable[int] | None = None, region_id: int | None = None
) -> QuerySet[Episode]:
    episodes = Episode.objects.filter(pathway=Pathway.MHTR)
    if team_ids is not None:
        episodes = episodes.filter(team_id__in=list(team_ids))
    if region_id is not None:
        episodes = episodes.filter(team__region_id=region_id)
    return episodes


def active_in(facts: EpisodeHistory, first: Month, last: Month) -> bool:
    """Open at some time from the start of `first` to the end of `last`: referred before the
    end, and not closed before the start."""
    if facts.referred_at >= last.next().starts_at:
        return False
    closed = facts.closed
    return closed is None or closed[0] >= first.starts_at


def load_facts(episodes: QuerySet[Episode]) -> list[EpisodeFacts]:
    """The facts of `episodes` (MHTR episodes), oldest referral first."""
    rows = (
        episodes.select_related("team__region", "person__ethnic_category__code_list")
        .only(
            "public_id",
            "referral_source",
            "referred_at",
            "team__name",
            "team__region__name",
            "person__date_of_birth",
            "person__sex",
            "person__ethnic_category__code",
            "person__ethnic_category__code_list__version",
        )
        .order_by("referred_at", "pk")
    )
    facts: dict[int, EpisodeFacts] = {}
    for e in rows:
        ethnic = e.person.ethnic_category
        facts[e.pk] = EpisodeFacts(
            id=e.pk,
            public_id=e.public_id,
            team_id=e.team_id,
            team=e.team.name,
            region=e.team.region.name,
            referred_at=e.referred_at,
            source=SOURCE_AS_ROUTE.get(e.referral_source, OTHER_SOURCE),
            date_of_birth=e.person.date_of_birth,
            sex=e.person.sex,
            ethnic_category_code=ethnic.code if ethnic else "",
            ethnic_code_list=ethnic.code_list.version if ethnic else "",
        )
    if not facts:
        return []
    ids = list(facts)
    for episode_id, stage, at, reason in (
        EpisodeStatus.objects.filter(episode_id__in=ids)
        .order_by("episode_id", "seq")
        .values_list("episode_id", "stage", "at", "closure_reason")
    ):
        facts[episode_id].history.append((stage, at, reason))
    for episode_id, route in MhtrReferral.objects.filter(episode_id__in=ids).values_list(
        "episode_id", "route"
    ):
        facts[episode_id].source = route
    for episode_id, assessed_on, recorded_at, outcome in (
        SuitabilityAssessment.objects.filter(episode_id__in=ids)
        .order_by("assessed_on", "recorded_at", "pk")
        .values_list("episode_id", "assessed_on", "recorded_at", "outcome")
    ):
        facts[episode_id].assessments.append(AssessmentFact(assessed_on, recorded_at, outcome))
    for court in CourtOutcome.objects.filter(episode_id__in=ids).only(
        "episode_id",
        "order_made",
        "sentenced_on",
        "order_type",
        "treatment_type",
        "months",
        "ends_on",
        "planned_sessions",
    ):
        facts[court.episode_id].order = OrderFact(
            order_made=court.order_made,
            sentenced_on=court.sentenced_on,
            order_type=court.order_type,
            treatment_type=court.treatment_type,
            months=court.months,
            ends_on=court.ends_on,
            planned_sessions=court.planned_sessions,
        )
    sessions: dict[int, list[SessionFact]] = defaultdict(list)
    for episode_id, on, outcome in (
        TreatmentSession.objects.filter(episode_id__in=ids)
        .order_by("on", "at", "pk")
        .values_list("episode_id", "on", "outcome")
    ):
        sessions[episode_id].append(SessionFact(on, outcome))
    for episode_id, found in sessions.items():
        facts[episode_id].sessions = found
    for episode_id, on in (
        ComplianceNotice.objects.filter(episode_id__in=ids)
        .order_by("session__on", "pk")
        .values_list("episode_id", "session__on")
    ):
        facts[episode_id].notices.append(on)
    loaded = list(facts.values())
    for loader in FACT_LOADERS:
        loader(loaded)
    return loaded


def facts_active_in(episodes: QuerySet[Episode], first: Month, last: Month) -> list[EpisodeFacts]:
    """The facts of those of `episodes` active at some time from `first` to `last` (see
    `active_in`): referred before the end, and not closed before the start."""
    return [f for f in load_facts(open_in(episodes, first, last)) if active_in(f, first, last)]


def open_in(episodes: QuerySet[Episode], first: Month, last: Month) -> QuerySet[Episode]:
    """Those of `episodes` that may have been active from `first` to `last`: referred before
    the end, and open now or closed since the start. `active_in` then checks each one from
    its status rows. Shared by the MHTR and RECONNECT facts."""
    staged = with_current_stage(episodes.filter(referred_at__lt=last.next().starts_at))
    return staged.filter(
        Q(current_stage__isnull=True)
        | ~Q(current_stage=Stage.CLOSED)
        | Q(stage_since__gte=first.starts_at)
    )
