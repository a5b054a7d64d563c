import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from healthjustice.interventions.models import ClosureOutcome, OnwardReferral
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import current_stage
from healthjustice.organisations.roles import Role
from tests.factories import TeamFactory, staff
from tests.interventions.factories import OnwardReferralFactory, make_episode

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _date(prefix: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(value.day),
        f"{prefix}_1": str(value.month),
        f"{prefix}_2": str(value.year),
    }


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def practitioner(team):
    return staff(Role.PRACTITIONER, team=team)


def _referral_data(**extra) -> dict[str, str]:
    return {
        "service_type": "drugs_alcohol",
        "service_name": "Stoke Recovery Service",
        **_date("referred_on", TODAY),
        **_date("first_appointment_on", TODAY + datetime.timedelta(days=5)),
        "supported_to_first_appointment": "yes",
        **extra,
    }


def test_referral_page_records_a_referral_and_moves_the_episode(team, practitioner, signed_in):
    episode = make_episode(team=team, stage=Stage.ASSESSED)
    url = reverse("interventions:referral_create", kwargs={"public_id": episode.public_id})
    client = signed_in(practitioner)
    assert "skip_reason" not in client.get(url).content.decode()
    response = client.post(url, _referral_data())
    assert response.status_code == 302
    referral = OnwardReferral.objects.get()
    assert referral.service_name == "Stoke Recovery Service"
    assert referral.first_appointment_on == TODAY + datetime.timedelta(days=5)
    assert current_stage(episode) == Stage.INTERVENTION
    follow = client.get(response["Location"]).content.decode()
    assert "now at the intervention stage" in follow
    assert "Stoke Recovery Service" in follow


def test_referral_page_from_screened_shows_the_state_machine_message(team, practitioner, signed_in):
    episode = make_episode(team=team, stage=Stage.SCREENED)
    url = reverse("interventions:referral_create", kwargs={"public_id": episode.public_id})
    response = signed_in(practitioner).post(url, _referral_data())
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Give a reason for skipping assessed." in page
    assert not OnwardReferral.objects.exists()
    assert current_stage(episode) == Stage.SCREENED


def test_referral_page_with_a_future_date_shows_an_error(team, practitioner, signed_in):
    episode = make_episode(team=team, stage=Stage.ASSESSED)
    url = reverse("interventions:referral_create", kwargs={"public_id": episode.public_id})
    data = _referral_data(**_date("referred_on", TODAY + datetime.timedelta(days=2)))
    page = signed_in(practitioner).post(url, data).content.decode()
    assert "Date of the referral must be today or in the past" in page
    assert not OnwardReferral.objects.exists()


def test_outcome_page_with_a_stale_version_says_so(team, practitioner, signed_in):
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    referral = OnwardReferralFactory(episode=episode, created_by=practitioner, version=3)
    url = reverse("interventions:referral_outcome", kwargs={"public_id": referral.public_id})
    client = signed_in(practitioner)
    assert 'value="3"' in client.get(url).content.decode()
    data = {
        "version": "2",
        "supported_to_first_appointment": "yes",
        "attended": "no",
        "outcome": "dna",
    }
    page = client.post(url, data).content.decode()
    assert "Someone else changed this referral" in page
    referral.refresh_from_db()
    assert referral.outcome == "pending"
    response = client.post(url, {**data, "version": "3"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.attended, referral.outcome, referral.version) == (False, "dna", 4)


def test_close_page_closes_the_episode(team, practitioner, signed_in):
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    url = reverse("interventions:episode_close", kwargs={"public_id": episode.public_id})
    client = signed_in(practitioner)
    response = client.post(url, {"closure_reason": "completed", "summary": "Handed on to CMHT"})
    assert response.status_code == 302
    assert current_stage(episode) == Stage.CLOSED
    page = client.get(response["Location"]).content.decode()
    assert "Handed on to CMHT" in page
    assert "Support completed or handed on" in page


def test_close_page_on_a_closed_episode_refuses(team, practitioner, signed_in):
    episode = make_episode(team=team, stage=Stage.CLOSED)
    url = reverse("interventions:episode_close", kwargs={"public_id": episode.public_id})
    client = signed_in(practitioner)
    response = client.post(url, {"closure_reason": "other", "summary": "Again"})
    assert response.status_code == 200
    assert "already closed" in response.content.decode()
    assert not ClosureOutcome.objects.exists()


def test_close_page_without_answers_lists_the_problems(team, practitioner, signed_in):
    episode = make_episode(team=team, stage=Stage.ASSESSED)
    url = reverse("interventions:episode_close", kwargs={"public_id": episode.public_id})
    page = signed_in(practitioner).post(url, {}).content.decode()
    assert "Select why the episode is closing" in page
    assert "Describe the outcome of the episode" in page
    assert current_stage(episode) == Stage.ASSESSED


def test_pages_of_another_teams_episode_are_not_found(team, signed_in):
    episode = make_episode(team=team, stage=Stage.ASSESSED)
    client = signed_in(staff(Role.PRACTITIONER))
    for name in ("interventions:episode_close", "interventions:referral_create"):
        url = reverse(name, kwargs={"public_id": episode.public_id})
        assert client.get(url).status_code == 404


def test_close_page_warns_of_follow_ups_not_done(team, practitioner, signed_in):
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    OnwardReferralFactory(episode=episode, created_by=practitioner, service_name="A & B <Trust>")
    url = reverse("interventions:episode_close", kwargs={"public_id": episode.public_id})
    page = signed_in(practitioner).get(url).content.decode()
    assert "Follow-ups not done" in page
    assert "<li>A &amp; B &lt;Trust&gt; (mental health)</li>" in page
    assert "&lt;p&gt;" not in page
