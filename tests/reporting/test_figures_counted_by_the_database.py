"""The team leaders' service figures, counted by the database, equal the figures counted
episode by episode in Python (the way they were counted before), on random worlds full of edge
cases: episodes without screenings or status rows, moves by hand with a reason, referrals on the
months' edges, vulnerabilities no longer listed; and the dashboard shows the same either way."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict

import pytest

from healthjustice.interventions.choices import ServiceType
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import DIVERSION_DISPOSALS, Stage
from healthjustice.journeys.models import CriminalJusticeContext, EpisodeStatus
from healthjustice.reporting.dashboard import dashboard_sections
from healthjustice.reporting.periods import Month, months_between
from healthjustice.reporting.selectors import (
    Figures,
    Filters,
    MonthFigures,
    ServiceTypeFigures,
    Timing,
    episodes_in_scope,
    service_figures,
)
from healthjustice.reporting.stats import median, percentile_nearest_rank
from healthjustice.screening.choices import Vulnerability
from healthjustice.screening.models import Screening
from tests.equity.ld_world import build_world

pytestmark = pytest.mark.django_db


def _timing(hours: list[float]) -> Timing:
    return Timing(len(hours), median(hours), percentile_nearest_rank(hours, 90))


def counted_in_python(filters: Filters) -> Figures:
    """The figures read row by row: every episode, its status rows and its screenings."""
    episodes = episodes_in_scope(filters)
    ids = episodes.values("id")
    months = {m: MonthFigures(m) for m in months_between(filters.first, filters.last)}
    figures = Figures(filters=filters, months=list(months.values()))
    referred = dict(episodes.values_list("id", "referred_at"))
    history: dict[int, list[tuple[str, datetime.datetime]]] = defaultdict(list)
    for episode_id, stage, at in (
        EpisodeStatus.objects.filter(episode_id__in=ids)
        .order_by("episode_id", "seq")
        .values_list("episode_id", "stage", "at")
    ):
        history[episode_id].append((stage, at))
    found: dict[int, set[str]] = defaultdict(set)
    first_screening: dict[int, datetime.datetime] = {}
    for episode_id, vulnerabilities, screened_at in (
        Screening.objects.filter(episode_id__in=ids)
        .order_by("screened_at", "pk")
        .values_list("episode_id", "vulnerabilities", "screened_at")
    ):
        found[episode_id].update(v for v in vulnerabilities or [] if v in Vulnerability.values)
        first_screening.setdefault(episode_id, screened_at)
    to_screening: dict[Month | None, list[float]] = defaultdict(list)
    to_assessment: dict[Month | None, list[float]] = defaultdict(list)
    month_of = {}
    for episode_id, referred_at in referred.items():
        month = months[Month.of(referred_at)]
        month_of[episode_id] = month
        steps = history.get(episode_id, [])
        stage = steps[-1][0] if steps else Stage.IDENTIFIED
        reached: dict[str, datetime.datetime] = {}
        for step, at in steps:
            reached.setdefault(step, at)
        figures.episodes += 1
        month.episodes += 1
        figures.by_stage[stage] += 1
        month.by_stage[stage] += 1
        for times, at in (
            (to_screening, first_screening.get(episode_id)),
            (to_assessment, reached.get(Stage.ASSESSED)),
        ):
            if at is not None:
                hours = (at - referred_at).total_seconds() / 3600
                times[None].append(hours)
                times[month.month].append(hours)
    figures.to_screening = _timing(to_screening[None])
    figures.to_assessment = _timing(to_assessment[None])
    for month in figures.months:
        month.to_screening = _timing(to_screening[month.month])
        month.to_assessment = _timing(to_assessment[month.month])
    figures.screened_episodes = len(found)
    figures.with_any_vulnerability = sum(1 for v in found.values() if v)
    for vulnerabilities in found.values():
        figures.vulnerabilities.update(vulnerabilities)
    referred_on: set[int] = set()
    for episode_id, service_type, attended, supported in OnwardReferral.objects.filter(
        episode_id__in=ids
    ).values_list("episode_id", "service_type", "attended", "supported_to_first_appointment"):
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


def _plain(figures: Figures) -> dict:
    plain = asdict(figures)
    plain["by_service"] = list(plain["by_service"].items())  # in order
    return plain


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_service_figures_counted_by_the_database_equal_those_counted_in_python(seed):
    world = build_world(seed, people=30)
    for team_ids in (world.team_ids, world.team_ids[1:]):
        for first, last in ((world.first, world.last), (world.last, world.last)):
            filters = Filters(team_ids=team_ids, first=first, last=last)
            by_database = service_figures(filters)
            assert _plain(by_database) == _plain(counted_in_python(filters))
    filters = Filters(team_ids=world.team_ids, first=world.first, last=world.last)
    assert service_figures(filters).episodes, "the world has episodes in the period"
    assert service_figures(Filters(**{**filters.__dict__, "setting": "police_custody"})).episodes


def test_the_dashboard_is_the_same_either_way():
    world = build_world(21, people=40)
    filters = Filters(team_ids=world.team_ids, first=world.first, last=world.last)
    assert repr(dashboard_sections(service_figures(filters))) == repr(
        dashboard_sections(counted_in_python(filters))
    )


def test_no_teams_give_empty_figures():
    month = Month.current()
    figures = service_figures(Filters(team_ids=(), first=month, last=month))
    assert figures.episodes == 0 and figures.to_screening == Timing()
    assert figures.months[0].episodes == 0
