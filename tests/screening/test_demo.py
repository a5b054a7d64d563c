"""The screening demo: one risk alert raised by hand on an open Staffordshire custody episode,
unacknowledged, shown on the team's worklist and removed by `seed_demo --reset`."""

import pytest
from django.db import transaction
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.demo.loader import reset_demo
from healthjustice.demo.registry import DemoContext
from healthjustice.demo.seeders.journeys import seed_journeys_demo
from healthjustice.demo.seeders.screening import CONCERN, seed_screening_demo
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import open_only
from healthjustice.screening.models import RiskAlert
from healthjustice.worklist.selectors import explain, worklist_queryset
from tests.demo.support import base_demo_context

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """The base demo data, the journeys seeder (the alert needs its episodes), then this one:
    built once for the module and rolled back after it; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        ctx = base_demo_context(people=60)
        seed_journeys_demo(ctx)
        seed_screening_demo(ctx)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded_demo) -> DemoContext:
    return seeded_demo


def test_one_unacknowledged_alert_raised_by_hand_on_an_open_custody_episode(demo):
    alert = RiskAlert.objects.get(raised_by__isnull=False)
    assert alert.source == CONCERN
    assert alert.details
    assert alert.raised_by.username == "practitioner.staffs"
    assert alert.acknowledged_at is None
    assert alert.administration is None
    assert alert.episode.team == demo.teams["staffs.custody"]
    assert open_only(Episode.objects.filter(pk=alert.episode_id)).exists()
    assert alert.episode.referred_at <= alert.raised_at <= timezone.now()


def test_the_alert_is_on_the_custody_worklist(demo):
    practitioner = User.objects.get(username="practitioner.staffs")
    rows = worklist_queryset(practitioner, team_id=demo.teams["staffs.custody"].id)
    reasons = [r.text for row in rows for r in explain(row)]
    assert f"Risk alert: {CONCERN}" in reasons


def test_reset_removes_the_alert(demo):
    reset_demo()
    assert not RiskAlert.objects.exists()
    assert not User.objects.filter(is_demo=True).exists()
