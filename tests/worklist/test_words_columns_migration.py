"""Migrating to `worklist/0002` fills the two columns the rows' words read for the rows already
there, as the read model's writes would have."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from healthjustice.journeys.choices import CustodyEventKind
from healthjustice.journeys.models import CustodyEvent
from healthjustice.worklist.models import WorklistEntry
from tests.factories import TeamFactory
from tests.journeys.factories import make_alert, make_episode

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("worklist", "0001_initial")]
AFTER = [("worklist", "0002_words_columns")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_migrating_fills_the_custody_limit_and_the_alert_source_of_existing_rows():
    arrived = timezone.now() - datetime.timedelta(hours=20)
    team = TeamFactory()
    extended = make_episode(team, cj={"arrived_in_custody_at": arrived})
    CustodyEvent.objects.create(
        episode=extended,
        kind=CustodyEventKind.EXTENSION,
        at=arrived + datetime.timedelta(hours=18),
        limit_hours=36,
        ends_at=arrived + datetime.timedelta(hours=36),
    )
    make_alert(extended, source="Said they would harm themselves")
    plain = make_episode(team)
    kept = {e.pk: (e.custody_limit_hours, e.alert_source) for e in WorklistEntry.objects.all()}
    assert kept == {extended.pk: (36, "Said they would harm themselves"), plain.pk: (None, "")}

    _migrate(BEFORE)
    _migrate(AFTER)

    filled = {e.pk: (e.custody_limit_hours, e.alert_source) for e in WorklistEntry.objects.all()}
    assert filled == kept
