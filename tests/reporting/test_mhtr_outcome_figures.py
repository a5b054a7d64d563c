"""Reliable improvement and recovery on the MHTR dashboard and in the return: read from the
measures in bulk, judged by `mhtr.outcomes`, counted only for orders ended, and as at a date."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from healthjustice.interventions.services import closure_record
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.mhtr import measures
from healthjustice.mhtr.outcomes import Point
from healthjustice.reporting.mhtr_dashboard import improvement_events, recovery_events
from healthjustice.reporting.mhtr_facts import EpisodeFacts, OrderFact, load_facts, load_measures
from healthjustice.reporting.mhtr_return import COLUMNS, RowContext
from healthjustice.reporting.periods import Month
from tests.mhtr import conftest as mhtr_world
from tests.mhtr.factories import ordered_episode
from tests.mhtr.test_measures import _record, attended, gad7, phq9

D = datetime.date
mw = mhtr_world.mw  # the MHTR tests' world: an L&D and an MHTR team, a worker in each, a person


def facts(*, ended_on: D | None, series: dict[str, list[Point]]) -> EpisodeFacts:
    f = EpisodeFacts(
        id=1,
        public_id=uuid.uuid4(),
        team_id=1,
        team="T",
        region="R",
        referred_at=timezone.now(),
        source="probation",
    )
    f.order = OrderFact(order_made=True, sentenced_on=D(2026, 1, 5))
    if ended_on is not None:
        at = timezone.make_aware(datetime.datetime.combine(ended_on, datetime.time(12)))
        f.history.append((Stage.CLOSED, at, ClosureReason.ORDER_COMPLETED))
    f.extra["measures"] = series
    return f


def pair(phq: list[tuple[D, int]], gad: list[tuple[D, int]]) -> dict[str, list[Point]]:
    return {"phq9": [Point(d, t) for d, t in phq], "gad7": [Point(d, t) for d, t in gad]}


def column(name: str, f: EpisodeFacts, month: Month) -> str:
    (col,) = [c for c in COLUMNS if c.name == name]
    return col.value(RowContext(f, month))


IMPROVED = pair(
    [(D(2026, 1, 10), 16), (D(2026, 3, 1), 8)], [(D(2026, 1, 10), 12), (D(2026, 3, 1), 7)]
)


def test_an_order_ended_with_a_reliable_improvement_and_recovery_is_a_hit_on_both():
    f = facts(ended_on=D(2026, 3, 20), series=IMPROVED)
    assert f.order_ended is not None
    (improved,) = improvement_events(f)
    assert improved.hit and improved.on == D(2026, 3, 20)
    (recovered,) = recovery_events(f)
    assert recovered.hit


def test_an_order_not_ended_or_not_measured_twice_is_not_counted():
    assert list(improvement_events(facts(ended_on=None, series=IMPROVED))) == []
    once = pair([(D(2026, 1, 10), 16)], [(D(2026, 1, 10), 12)])
    assert list(improvement_events(facts(ended_on=D(2026, 3, 20), series=once))) == []
    assert list(recovery_events(facts(ended_on=D(2026, 3, 20), series=once))) == []


def test_recovery_counts_only_orders_that_started_in_the_clinical_range():
    mild = pair(
        [(D(2026, 1, 10), 8), (D(2026, 3, 1), 1)], [(D(2026, 1, 10), 6), (D(2026, 3, 1), 1)]
    )
    f = facts(ended_on=D(2026, 3, 20), series=mild)
    (improved,) = improvement_events(f)
    assert improved.hit
    assert list(recovery_events(f)) == []
    assert column("recovery", f, Month(2026, 3)) == ""
    assert column("reliable_improvement", f, Month(2026, 3)) == "yes"


def test_a_reliable_deterioration_is_counted_apart_and_is_no_improvement():
    worse = pair(
        [(D(2026, 1, 10), 10), (D(2026, 3, 1), 18)], [(D(2026, 1, 10), 8), (D(2026, 3, 1), 9)]
    )
    f = facts(ended_on=D(2026, 3, 20), series=worse)
    (event,) = improvement_events(f)
    assert not event.hit and event.key == "deteriorated"
    assert column("reliable_deterioration", f, Month(2026, 3)) == "yes"
    assert column("recovery", f, Month(2026, 3)) == "no"


def test_the_return_judges_only_the_measures_taken_by_the_months_end():
    f = facts(ended_on=None, series=IMPROVED)
    assert column("reliable_improvement", f, Month(2026, 1)) == ""
    assert column("reliable_improvement", f, Month(2026, 2)) == ""
    assert column("reliable_improvement", f, Month(2026, 3)) == "yes"
    assert column("recovery", f, Month(2026, 3)) == "yes"


@pytest.mark.django_db
def test_measures_are_loaded_for_every_episode_in_one_query(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    _record(mw, episode, measures.assessment_occasion(episode), phq9=phq9(16), gad7=gad7(12))
    s1 = attended(episode, mw.worker, days_ago=3)
    _record(mw, episode, measures.session_occasion(s1), phq9=phq9(7), gad7=gad7(6))
    closure_record(
        actor=mw.worker,
        episode=episode,
        closure_reason=ClosureReason.ORDER_COMPLETED,
        summary="Completed twelve sessions.",
    )
    (f,) = load_facts(type(episode).objects.filter(pk=episode.pk))
    assert [p.total for p in f.extra["measures"]["phq9"]] == [16, 7]
    (event,) = improvement_events(f)
    assert event.hit
    with CaptureQueriesContext(connection) as queries:
        load_measures([f, f])
    assert len(queries) == 1
