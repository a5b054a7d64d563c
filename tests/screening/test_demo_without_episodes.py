"""The screening demo raises its alert on an open custody episode: with no episodes (the journeys
seeder not run) it raises none."""

import pytest

from healthjustice.demo.seeders.screening import seed_screening_demo
from healthjustice.screening.models import RiskAlert
from tests.demo.support import base_demo_context

pytestmark = pytest.mark.django_db


def test_no_open_episode_means_no_alert():
    seed_screening_demo(base_demo_context(people=60))
    assert not RiskAlert.objects.exists()
