"""Service figures for leaders: aggregate counts, rates and times, never a person's details.

Everything is computed in Python over a handful of narrow queries (episodes, their status
rows, screenings and onward referrals), so it runs the same on SQLite and PostgreSQL and the
number of queries does not grow with the number of episodes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.services import deny_as_not_found
from healthjustice.interventions.choices import ServiceType
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import DIVERSION_DISPOSALS, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.stages import ORDER
from healthjustice.organisations.choices import Pathway
from healthjustice.screening.choices import Vulnerability
from healthjustice.screening.models import Screening

from .mhtr_facts import EpisodeFacts, facts_active_in, mhtr_episodes
from .models import DataReturnExport
from .periods import Month, months_between
from .reconnect_facts import ReconnectFacts, reconnect_episodes
from .reconnect_facts import facts_active_in as reconnect_facts_active_in
from .stats import median, percentile_nearest_rank

STAGES = list(ORDER)
SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class Filters:
    team_ids: tuple[int, ...]
    first: Month
    last: Month
    site_id: int | None = None
    setting: str = ""


@dataclass
class Timing:
    """Hours from referral to a stage, over the episodes that reached it."""

    hours: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.hours)

    @property
    def median(self) -> float | None:
        return median(self.hours)

    @property
    def p90(self) -> float | None:
        return percentile_nearest_rank(self.hours, 90)


@dataclass
class ServiceTypeFigures:
    referrals: int = 0
    attended: int = 0
    not_attended: int = 0
    supported: int = 0

    @property
    def not_known(self) -> int:
        return self.referrals - self.attended - self.not_attended


@dataclass
class MonthFigures:
    month: Month
    episodes: int = 0
    by_stage: Counter[str] = field(default_factory=Counter)
    to_screening: Timing = field(default_factory=Timing)
    to_assessment: Timing = field(default_factory=Timing)
    referred_on: int = 0
    referrals: int = 0
    attended: int = 0
    attendance_known: int = 0


@dataclass
class Figures:
    filters: Filters
    months: list[MonthFigures]
    episodes: int = 0
    by_stage: Counter[str] = field(default_factory=Counter)
    to_screening: Timing = field(default_factory=Timing)
    to_assessment: Timing = field(default_factory=Timing)
    screened_episodes: int = 0
    with_any_vulnerability: int = 0
    vulnerabilities: Counter[str] = field(default_factory=Counter)
    referred_on: int = 0
    by_service: dict[str, ServiceTypeFigures] = field(default_factory=dict)
    diversions: Counter[str] = field(default_factory=Counter)

    @property
    def referrals(self) -> int:
        return sum(s.referrals for s in self.by_service.values())

    @property
    def attended(self) -> int:
        return sum(s.attended for s in self.by_service.values())

    @property
    def attendance_known(self) -> int:
        return sum(s.attended + s.not_attended for s in self.by_service.values())

    @property
    def supported(self) -> int:
        return sum(s.supported for s in self.by_service.values())


def episodes_in_scope(filters: Filters) -> QuerySet[Episode]:
    qs = Episode.objects.filter(
        pathway=Pathway.LIAISON_DIVERSION,
        team_id__in=filters.team_ids,
        referred_at__gte=filters.first.starts_at,
        referred_at__lt=filters.last.next().starts_at,
    )
    if filters.site_id:
        qs = qs.filter(site_id=filters.site_id)
    if filters.setting:
        qs = qs.filter(setting=filters.setting)
    return qs


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / SECONDS_PER_HOUR


def _stage_history(episode_ids: QuerySet[Any, Any]) -> dict[int, list[tuple[str, datetime]]]:
    history: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    rows = (
        EpisodeStatus.objects.filter(episode_id__in=episode_ids)
        .order_by("episode_id", "seq")
        .values_list("episode_id", "stage", "at")
    )
    for episode_id, stage, at in rows:
        history[episode_id].append((stage, at))
    return history


def first_reached(history: Iterable[tuple[str, datetime]]) -> dict[str, datetime]:
    """When the episode first reached each stage (a skipped stage is absent)."""
    reached: dict[str, datetime] = {}
    for stage, at in history:
        reached.setdefault(stage, at)
    return reached


def service_figures(filters: Filters) -> Figures:
    """The dashboard's figures for one team or region, before any suppression."""
    episodes = episodes_in_scope(filters)
    ids = episodes.values("id")
    months = {m: MonthFigures(m) for m in months_between(filters.first, filters.last)}
    figures = Figures(filters=filters, months=list(months.values()))
    referred: dict[int, datetime] = dict(episodes.values_list("id", "referred_at"))
    history = _stage_history(ids)
    found: dict[int, set[str]] = defaultdict(set)
    first_screening: dict[int, datetime] = {}
    for episode_id, vulnerabilities, screened_at in (
        Screening.objects.filter(episode_id__in=ids)
        .order_by("screened_at", "pk")
        .values_list("episode_id", "vulnerabilities", "screened_at")
    ):
        found[episode_id].update(v for v in vulnerabilities or [] if v in Vulnerability.values)
        first_screening.setdefault(episode_id, screened_at)
    month_of: dict[int, MonthFigures] = {}
    for episode_id, referred_at in referred.items():
        month = months[Month.of(referred_at)]
        month_of[episode_id] = month
        steps = history.get(episode_id, [])
        stage = steps[-1][0] if steps else Stage.IDENTIFIED
        reached = first_reached(steps)
        figures.episodes += 1
        month.episodes += 1
        figures.by_stage[stage] += 1
        month.by_stage[stage] += 1
        # Time to screening counts only episodes with a recorded screening (not a move to
        # "screened" by hand with a reason), from the referral to the first screening.
        first_screened = first_screening.get(episode_id)
        if first_screened is not None:
            hours = _hours(referred_at, first_screened)
            figures.to_screening.hours.append(hours)
            month.to_screening.hours.append(hours)
        if Stage.ASSESSED in reached:
            hours = _hours(referred_at, reached[Stage.ASSESSED])
            figures.to_assessment.hours.append(hours)
            month.to_assessment.hours.append(hours)

    figures.screened_episodes = len(found)
    figures.with_any_vulnerability = sum(1 for v in found.values() if v)
    for vulnerabilities in found.values():
        figures.vulnerabilities.update(vulnerabilities)

    referred_on: set[int] = set()
    rows = OnwardReferral.objects.filter(episode_id__in=ids).values_list(
        "episode_id", "service_type", "attended", "supported_to_first_appointment"
    )
    for episode_id, service_type, attended, supported in rows:
        per_type = figures.by_service.setdefault(service_type, ServiceTypeFigures())
        per_type.referrals += 1
        per_type.attended += attended is True
        per_type.not_attended += attended is False
        per_type.supported += supported is True
        month = month_of[episode_id]
        month.referrals += 1
        month.attended += attended is True
        month.attendance_known += attended is not None
        if episode_id not in referred_on:
            referred_on.add(episode_id)
            month.referred_on += 1
    figures.referred_on = len(referred_on)
    figures.by_service = {
        t: figures.by_service[t] for t in ServiceType.values if t in figures.by_service
    }
    figures.diversions.update(
        CriminalJusticeContext.objects.filter(
            episode_id__in=ids, disposal__in=DIVERSION_DISPOSALS
        ).values_list("disposal", flat=True)
    )
    return figures


def mhtr_dashboard_facts(
    team_ids: tuple[int, ...], first: Month, last: Month
) -> list[EpisodeFacts]:
    """The facts of the teams' MHTR episodes active at some time in the months."""
    return facts_active_in(mhtr_episodes(team_ids=team_ids), first, last)


def reconnect_dashboard_facts(
    team_ids: tuple[int, ...], first: Month, last: Month
) -> list[ReconnectFacts]:
    """The facts of the teams' RECONNECT episodes active at some time in the months."""
    return reconnect_facts_active_in(reconnect_episodes(team_ids=team_ids), first, last)


def recent_exports(user: User, *, kind: str, limit: int = 5) -> list[DataReturnExport]:
    """The data returns of this kind the user asked for, newest first."""
    return list(
        DataReturnExport.objects.filter(requested_by=user, kind=kind)
        .select_related("region")
        .order_by("-requested_at")[:limit]
    )


def export_for_user(
    user: User, public_id: Any, *, request: HttpRequest | None = None
) -> DataReturnExport:
    """The export, if the user may download it; a 404 (audited as a denial) otherwise."""
    from .services import may_download

    export = (
        DataReturnExport.objects.select_related("region", "requested_by")
        .filter(public_id=public_id)
        .first()
    )
    if export is None or not may_download(user, export):
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="data_return_export",
            object_id=public_id,
            message="No such export",
        )
    return export
