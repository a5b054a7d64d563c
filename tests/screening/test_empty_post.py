"""A form posted with nothing in it is checked and refused, not shown again as if never sent."""

import pytest
from django.urls import reverse

from healthjustice.screening.models import ExternalScreen, RiskAlert, Screening
from healthjustice.screening.services import instrument_administer
from tests.factories import TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return staff(team=TeamFactory())


@pytest.fixture
def episode(user):
    return make_episode(team=user.memberships.get().team, actor=user)


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        ("screening:record", {}, "Select the level of risk"),
        ("screening:instrument_choose", {}, "Select a questionnaire"),
        ("screening:instrument_administer", {"code": "phq9"}, "PHQ-9 item 1: select an answer"),
        ("screening:external_record", {}, "Enter the score from the licensed form"),
    ],
)
def test_empty_post_to_episode_form_shows_errors(user, episode, signed_in, name, kwargs, message):
    url = reverse(name, kwargs={"episode_id": episode.public_id, **kwargs})
    response = signed_in(user).post(url, {})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert message in text
    assert not Screening.objects.filter(episode=episode).exists()
    assert not ExternalScreen.objects.filter(episode=episode).exists()


def test_empty_post_to_alert_acknowledge_shows_error(user, episode, signed_in):
    instrument_administer(
        actor=user, episode=episode, instrument_code="phq9", answers=[0] * 8 + [2]
    )
    alert = RiskAlert.objects.get(episode=episode)
    url = reverse("screening:alert_acknowledge", kwargs={"public_id": alert.public_id})
    response = signed_in(user).post(url, {})
    assert response.status_code == 200
    assert "Say what you did about the risk" in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
