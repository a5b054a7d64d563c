"""Service figures for leaders: aggregate counts, rates and times, never a person's details.

The liaison and diversion figures are counted by the database in a handful of grouped queries
(by month and latest stage, by month and service type, by disposal), and the times' medians and
90th percentiles are picked out by window functions (`core.ranks`): totals come back, not
episodes. The queries are the same on SQLite and PostgreSQL, and their number does not grow
with the number of episodes.
"""

from __future__ import annotations

import operator
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.services import deny_as_not_found
from healthjustice.core import ranks
from healthjustice.core.report_queries import report_queries
from healthjustice.interventions.choices import ServiceType
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import DIVERSION_DISPOSALS, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.selectors import current_stage_of
from healthjustice.journeys.stages import ORDER
from healthjustice.organisations.choices import Pathway
from healthjustice.screening.choices import Vulnerability
from healthjustice.screening.models import Screening

from .mhtr_facts import EpisodeFacts, facts_active_in, mhtr_episodes
from .models import DataReturnExport
from .periods import Month, months_between
from .reconnect_facts import ReconnectFacts, reconnect_episodes
from .reconnect_facts import facts_active_in as reconnect_facts_active_in

STAGES = list(ORDER)


@dataclass(frozen=True)
class Filters:
    team_ids: tuple[int, ...]
    first: Month
    last: Month
    site_id: int | None = None
    setting: str = ""


@dataclass(frozen=True)
class Timing:
    """Hours from referral to a stage, over the episodes that reached it: how many, the median
    and the 90th percentile (nearest rank)."""

    n: int = 0
    median: float | None = None
    p90: float | None = None


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


def _month_key(filters: Filters, field_name: str) -> Case:
    """The month ("YYYY-MM") of the period that a referral time falls in."""
    months = months_between(filters.first, filters.last)
    whens = [
        When(**{f"{field_name}__lt": m.next().starts_at}, then=Value(m.key)) for m in months[:-1]
    ]
    return Case(*whens, default=Value(months[-1].key), output_field=CharField())


def _facts(episodes: QuerySet[Episode], filters: Filters) -> QuerySet[Any]:
    """One row an episode: its month, its latest stage, the times from referral to the first
    recorded screening (not a move to "screened" by hand with a reason) and to the first move
    to "assessed", and whether it was referred on."""
    here = OuterRef("pk")
    statuses = EpisodeStatus.objects.filter(episode_id=here)
    first_screened = Screening.objects.filter(episode_id=here).order_by("screened_at")
    first_assessed = statuses.filter(stage=Stage.ASSESSED).order_by("seq")
    return episodes.annotate(
        month=_month_key(filters, "referred_at"),
        stage_now=Coalesce(current_stage_of(), Value(Stage.IDENTIFIED)),
        to_screening=ranks.elapsed(first_screened, "screened_at", since="referred_at"),
        to_assessment=ranks.elapsed(first_assessed, "at", since="referred_at"),
        referred_on=Exists(OnwardReferral.objects.filter(episode_id=here)),
    ).values("month", "stage_now", "to_screening", "to_assessment", "referred_on")


TIMES = {"screening": "to_screening", "assessment": "to_assessment"}
# The times' ranked rows first, with a typed null, so that PostgreSQL takes each column's type
# from them; then the episodes (and those referred on) by month and latest stage. Columns: tag,
# month, stage, n, three more numbers, time.
FACT_SELECTS = [
    *(
        f"SELECT '{kind}', k, CAST(NULL AS TEXT), n_k, r_k, n_all, r_all, v "  # noqa: S608 (constants only)
        f"FROM ({ranks.ranked_rows('facts', 'month', column)}) AS ranked_{kind}"
        for kind, column in TIMES.items()
    ),
    "SELECT 'stage', month, stage_now, COUNT(*), "
    "SUM(CASE WHEN referred_on THEN 1 ELSE 0 END), 0, 0, NULL "
    "FROM facts GROUP BY month, stage_now",
]


def _counted_facts(episodes: QuerySet[Episode], filters: Filters, figures: Figures) -> None:
    """Episodes by month and latest stage, those referred on, and the times, in one pass."""
    months = {m.month.key: m for m in figures.months}
    ranked: dict[str, list[tuple[Any, Any, int, int, int, int]]] = {k: [] for k in TIMES}
    for tag, key, stage, n, a, b, c, time in ranks.over_rows(
        _facts(episodes, filters), "facts", FACT_SELECTS
    ):
        if tag == "stage":
            figures.episodes += n
            months[key].episodes += n
            figures.by_stage[stage] += n
            months[key].by_stage[stage] += n
            figures.referred_on += a
            months[key].referred_on += a
        else:
            ranked[tag].append((key, time, n, a, b, c))
    for kind in TIMES:
        timings = {
            key: Timing(r.n, r.median(ranks.hours), r.p90(ranks.hours))
            for key, r in ranks.collect_ranked(ranked[kind]).items()
        }
        setattr(figures, f"to_{kind}", timings.get(ranks.ALL, Timing()))
        for key, month in months.items():
            setattr(month, f"to_{kind}", timings.get(key, Timing()))


def _vulnerabilities(ids: QuerySet[Any, Any], figures: Figures) -> None:
    """Episodes screened, and with each vulnerability found at any of their screenings (read in
    the JSON list's text: an element is a quoted value), counted a screened episode at a time."""
    found = {v: Q(listed__contains=f'"{v}"') for v in Vulnerability.values}
    found["any"] = reduce(operator.or_, found.values())

    def ever(condition: Q) -> Max:
        return Max(Case(When(condition, then=1), default=0, output_field=IntegerField()))

    per_episode = (
        Screening.objects.filter(episode_id__in=ids)
        .annotate(listed=Cast("vulnerabilities", TextField()))
        .values("episode_id")
        .annotate(**{f"found_{v}": ever(condition) for v, condition in found.items()})
        .order_by()
    )
    totals = per_episode.aggregate(
        screened=Count("episode_id"), **{v: Sum(f"found_{v}") for v in found}
    )
    figures.screened_episodes = totals["screened"]
    figures.with_any_vulnerability = totals["any"] or 0
    figures.vulnerabilities.update({v: totals[v] for v in Vulnerability.values if totals[v]})


def _referrals(ids: QuerySet[Any, Any], filters: Filters, figures: Figures) -> None:
    referrals = OnwardReferral.objects.filter(episode_id__in=ids).annotate(
        month=_month_key(filters, "episode__referred_at")
    )
    months = {m.month.key: m for m in figures.months}
    by_service: dict[str, ServiceTypeFigures] = {}
    for key, service_type, n, attended, not_attended, supported in (
        referrals.values("month", "service_type")
        .annotate(
            n=Count("pk"),
            went=Count("pk", filter=Q(attended=True)),
            did_not=Count("pk", filter=Q(attended=False)),
            helped=Count("pk", filter=Q(supported_to_first_appointment=True)),
        )
        .values_list("month", "service_type", "n", "went", "did_not", "helped")
        .order_by()
    ):
        per_type = by_service.setdefault(service_type, ServiceTypeFigures())
        per_type.referrals += n
        per_type.attended += attended
        per_type.not_attended += not_attended
        per_type.supported += supported
        month = months[key]
        month.referrals += n
        month.attended += attended
        month.attendance_known += attended + not_attended
    figures.by_service = {t: by_service[t] for t in ServiceType.values if t in by_service}


def service_figures(filters: Filters) -> Figures:
    """The dashboard's figures for one team or region, before any suppression."""
    with report_queries():
        return _service_figures(filters)


def _service_figures(filters: Filters) -> Figures:
    episodes = episodes_in_scope(filters)
    ids = episodes.values("id")
    months = [MonthFigures(m) for m in months_between(filters.first, filters.last)]
    figures = Figures(filters=filters, months=months)
    _counted_facts(episodes, filters, figures)
    _vulnerabilities(ids, figures)
    _referrals(ids, filters, figures)
    figures.diversions.update(
        dict(
            CriminalJusticeContext.objects.filter(
                episode_id__in=ids, disposal__in=DIVERSION_DISPOSALS
            )
            .values_list("disposal")
            .annotate(Count("pk"))
            .order_by()
        )
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
