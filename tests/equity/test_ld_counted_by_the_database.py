"""The Liaison and Diversion equity figures, counted by the database, equal the figures counted
episode by episode in Python (the way they were counted before), on random worlds full of edge
cases; and the page's sections and CSV, suppression included, are the same either way."""

from __future__ import annotations

import datetime
from collections import defaultdict

import pytest
from django.test import override_settings
from django.utils import timezone

from healthjustice.equity import selectors
from healthjustice.equity.figures import csv_rows, sections
from healthjustice.equity.pathways import LIAISON_DIVERSION
from healthjustice.equity.selectors import Figures, WaitFigures, pathway_figures
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import EpisodeStatus
from healthjustice.organisations.choices import Pathway
from healthjustice.screening.models import Screening
from tests.equity.known import _category
from tests.equity.ld_world import build_world
from tests.factories import PersonFactory, RegionFactory, TeamFactory
from tests.interventions.factories import make_episode

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)


def _ld_cases_in_python(found: selectors._Episodes) -> None:
    """Each episode's steps and waits, read row by row (the figures' former way)."""
    ids = found.ids
    first_screening: dict[int, datetime.datetime] = {}
    for episode_id, at in (
        Screening.objects.filter(episode_id__in=ids)
        .order_by("screened_at", "pk")
        .values_list("episode_id", "screened_at")
    ):
        first_screening.setdefault(episode_id, at)
    reached: dict[int, dict[str, datetime.datetime]] = defaultdict(dict)
    for episode_id, stage, at in (
        EpisodeStatus.objects.filter(episode_id__in=ids, stage__in=[Stage.SCREENED, Stage.ASSESSED])
        .order_by("episode_id", "seq")
        .values_list("episode_id", "stage", "at")
    ):
        reached[episode_id].setdefault(stage, at)
    for episode_id, went in OnwardReferral.objects.filter(episode_id__in=ids).values_list(
        "episode_id", "attended"
    ):
        found.cases[episode_id].steps.add("referred_on")
        if went is True:
            found.cases[episode_id].steps.add("attended")
    for episode_id, case in found.cases.items():
        referred_at = found.referred_at[episode_id]
        stages = reached.get(episode_id, {})
        screened_at = first_screening.get(episode_id)
        if screened_at is not None or Stage.SCREENED in stages:
            case.steps.add("screened")
        if screened_at is not None:
            case.waits["screening"] = (screened_at - referred_at).total_seconds() / 3600
        if Stage.ASSESSED in stages:
            case.steps.add("assessed")
            assessed_at = stages[Stage.ASSESSED]
            case.waits["assessment"] = (assessed_at - referred_at).total_seconds() / 3600


def counted_in_python(team_ids, starts, ends) -> Figures:
    found = selectors._episodes(
        selectors._referred_in(Pathway.LIAISON_DIVERSION, team_ids, starts, ends)
    )
    _ld_cases_in_python(found)
    selectors._safeguard_cases(found, starts, ends)
    return selectors._counted(LIAISON_DIVERSION, list(found.cases.values()), team_ids)


def _plain(figures: Figures) -> dict:
    return {
        "by_code": {
            code: (c.people, c.cases, dict(c.steps), dict(c.months))
            for code, c in sorted(figures.by_code.items())
        },
        "completeness": {team.name: c for team, c in figures.completeness.items()},
        "waits": figures.waits,
    }


def _months(world) -> list[str]:
    return [world.first.key, world.first.next().key, world.last.key]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_counted_by_the_database_equal_those_counted_in_python(seed):
    world = build_world(seed)
    periods = [
        (world.starts, world.ends),
        # A period starting and ending within months, not on their edges.
        (world.starts + 36 * H, world.ends - 50 * H),
    ]
    for starts, ends in periods:
        for team_ids in (world.team_ids, world.team_ids[:1]):
            by_database = pathway_figures(Pathway.LIAISON_DIVERSION, team_ids, starts, ends)
            in_python = counted_in_python(team_ids, starts, ends)
            assert _plain(by_database) == _plain(in_python)
            assert by_database.by_code, "the world has episodes in the period"


@pytest.mark.parametrize("limit", [2, 5, 10])
def test_the_sections_and_csv_are_the_same_at_every_small_number_limit(limit):
    world = build_world(7, people=40)
    by_database = pathway_figures(
        Pathway.LIAISON_DIVERSION, world.team_ids, world.starts, world.ends
    )
    in_python = counted_in_python(world.team_ids, world.starts, world.ends)
    with override_settings(HJ_EQUITY_SMALL_NUMBER=limit):
        shown = csv_rows(sections(by_database, None, months=_months(world)))
        expected = csv_rows(sections(in_python, None, months=_months(world)))
    assert shown == expected
    assert any(row[-1].startswith("<") or row[-1] == "*" for row in shown[1:]) or limit == 2


def test_hand_worked_edges_screened_by_hand_months_and_not_stated():
    region = RegionFactory()
    team = TeamFactory(name="Walsall L&D", region=region)
    now = timezone.now()
    starts, ends = now - 40 * 24 * H, now + H
    person = PersonFactory(team=team, ethnic_category=_category("Z"))
    # Screened by hand with a reason: screened, but no wait to screening.
    make_episode(
        team=team,
        person=person,
        referred_at=starts,
        history=[(Stage.IDENTIFIED, starts), (Stage.SCREENED, starts + H)],
    )
    # The same person again, with no screening and no status rows.
    make_episode(team=team, person=person, referred_at=ends - H, history=[])
    # Assessed twice: the first row's time counts, though the second is earlier.
    other = make_episode(
        team=team,
        person=PersonFactory(team=team, ethnic_category=None),
        referred_at=starts + H,
        history=[(Stage.ASSESSED, starts + 10 * H), (Stage.ASSESSED, starts + 2 * H)],
    )
    Screening.objects.create(
        episode=other, screened_at=starts, screened_by=_worker(team), vulnerabilities=[]
    )
    make_episode(team=team, referred_at=ends)  # after the period

    figures = pathway_figures(Pathway.LIAISON_DIVERSION, (team.id,), starts, ends)

    not_stated, not_known = figures.by_code["Z"], figures.by_code["99"]
    assert (not_stated.people, not_stated.cases, dict(not_stated.steps)) == (
        1,
        2,
        {"screened": 1},
    )
    first_month = f"{timezone.localtime(starts):%Y-%m}"
    last_month = f"{timezone.localtime(ends - H):%Y-%m}"
    assert sum(not_stated.months.values()) == (1 if first_month == last_month else 2)
    assert (not_known.people, dict(not_known.steps)) == (1, {"screened": 1, "assessed": 1})
    assert figures.waits.get("Z", {}) == {}
    assert figures.waits["99"] == {
        "screening": WaitFigures(1, -1.0, -1.0),
        "assessment": WaitFigures(1, 9.0, 9.0),
    }
    assert figures.waits["total"]["assessment"] == WaitFigures(1, 9.0, 9.0)
    assert figures.completeness[team].not_stated == 1
    assert figures.completeness[team].not_known == 1


def _worker(team):
    from healthjustice.organisations.roles import Role
    from tests.factories import staff

    return staff(Role.PRACTITIONER, team=team)


def test_no_teams_give_empty_figures():
    now = timezone.now()
    figures = pathway_figures(Pathway.LIAISON_DIVERSION, (), now - 24 * H, now)
    assert (figures.by_code, figures.completeness, figures.waits) == ({}, {}, {})
