"""Each instrument declares the ages it was validated for; other ages are refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.screening.instruments import INSTRUMENTS
from healthjustice.screening.models import InstrumentAdministration
from healthjustice.screening.services import instrument_administer
from tests.factories import PersonFactory, TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db


def _born_years_ago(years: int, *, days_later: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born + datetime.timedelta(days=days_later)


@pytest.fixture
def user():
    return staff(team=TeamFactory())


def _episode(user, born):
    team = user.memberships.get().team
    person = PersonFactory(team=team, date_of_birth=born)
    return make_episode(team=team, person=person, actor=user)


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
def test_every_instrument_declares_its_ages_and_where_that_comes_from(code):
    instrument = INSTRUMENTS[code]
    assert instrument.min_age == 18
    assert instrument.age_source


def test_an_adult_questionnaire_is_recorded_on_the_18th_birthday(user):
    episode = _episode(user, _born_years_ago(18))
    done = instrument_administer(
        actor=user, episode=episode, instrument_code="phq9", answers=[0] * 9
    )
    assert done.pk


def test_an_adult_questionnaire_is_refused_the_day_before_the_18th_birthday(user):
    episode = _episode(user, _born_years_ago(18, days_later=1))
    with pytest.raises(ValidationError) as exc:
        instrument_administer(actor=user, episode=episode, instrument_code="gad7", answers=[0] * 7)
    message = exc.value.message_dict["instrument"][0]
    assert message.startswith("GAD-7 is validated for people aged 18 and over: ")
    assert " is 17 on " in message
    assert not InstrumentAdministration.objects.exists()


def test_without_a_date_of_birth_the_age_is_not_checked(user):
    episode = _episode(user, None)
    instrument_administer(actor=user, episode=episode, instrument_code="auditc", answers=[0] * 3)


def test_the_page_shows_the_age_message(user, client):
    episode = _episode(user, _born_years_ago(15))
    client.force_login(user)
    url = reverse(
        "screening:instrument_administer", kwargs={"episode_id": episode.public_id, "code": "phq9"}
    )
    data = {f"item_{n}": "0" for n in range(1, 10)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "PHQ-9 is validated for people aged 18 and over" in response.content.decode()
