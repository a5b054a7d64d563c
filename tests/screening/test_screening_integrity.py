"""A questionnaire belongs to a screening; "screened" is reached by a screening or a reason."""

import datetime

import pytest
from django.urls import reverse

from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import current_stage
from healthjustice.journeys.services import episode_move
from healthjustice.reporting.periods import Month
from healthjustice.reporting.selectors import Filters, service_figures
from healthjustice.screening.models import Screening
from healthjustice.screening.services import instrument_administer, screening_record
from tests.factories import TeamFactory, staff
from tests.journeys.factories import make_episode as make_dated_episode
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db

PHQ9_NONE = [0] * 9
AUDIT_C_NONE = [0, 0, 0]


@pytest.fixture
def user():
    return staff(team=TeamFactory())


@pytest.fixture
def episode(user):
    return make_episode(team=user.memberships.get().team, actor=user)


def test_a_questionnaire_on_its_own_starts_a_screening_and_moves_to_screened(user, episode):
    first = instrument_administer(
        actor=user, episode=episode, instrument_code="phq9", answers=PHQ9_NONE
    )
    second = instrument_administer(
        actor=user, episode=episode, instrument_code="auditc", answers=AUDIT_C_NONE
    )
    screening = Screening.objects.get(episode=episode)
    assert first.screening == second.screening == screening
    assert screening.risk_level == "" and screening.full_assessment_needed is None
    assert current_stage(episode) == Stage.SCREENED


def test_the_episode_page_no_longer_says_not_screened(user, episode, client):
    instrument_administer(actor=user, episode=episode, instrument_code="phq9", answers=PHQ9_NONE)
    client.force_login(user)
    page = client.get(reverse("journeys:detail", args=[episode.public_id])).content.decode()
    assert "Not screened yet" not in page
    assert "Not judged yet" in page


def test_a_questionnaire_joins_the_latest_screening(user, episode):
    screening = screening_record(
        actor=user,
        episode=episode,
        vulnerabilities=["mental_health"],
        risk_level="medium",
        urgency="soon",
        full_assessment_needed=True,
    )
    done = instrument_administer(
        actor=user, episode=episode, instrument_code="phq9", answers=PHQ9_NONE
    )
    assert done.screening == screening
    assert Screening.objects.filter(episode=episode).count() == 1


def test_moving_to_screened_by_hand_needs_a_reason_on_the_page(user, episode, client):
    client.force_login(user)
    url = reverse("journeys:move", args=[episode.public_id])
    response = client.post(url, {"to_stage": "screened"})
    assert response.status_code == 200
    assert "Record a screening to move to screened" in response.content.decode()
    assert current_stage(episode) == Stage.IDENTIFIED


def test_time_to_screening_counts_only_recorded_screenings(user):
    team = user.memberships.get().team
    month = Month.current().previous()
    referred = month.starts_at + datetime.timedelta(days=2)
    by_hand = make_dated_episode(team, referred_at=referred)
    episode_move(
        actor=user,
        episode=by_hand,
        to_stage=Stage.SCREENED,
        note="Screened on paper by the court duty nurse",
        at=referred + datetime.timedelta(hours=1),
    )
    real = make_dated_episode(team, referred_at=referred)
    screening = screening_record(
        actor=user,
        episode=real,
        vulnerabilities=[],
        risk_level="low",
        urgency="routine",
        full_assessment_needed=False,
    )
    Screening.objects.filter(pk=screening.pk).update(
        screened_at=referred + datetime.timedelta(hours=3)
    )
    figures = service_figures(Filters(team_ids=(team.id,), first=month, last=month))
    assert figures.to_screening.n == 1
    assert figures.to_screening.median == pytest.approx(3)
