"""A form posted with nothing in it is checked and refused, not shown again as if never sent."""

import pytest
from django.urls import reverse

from healthjustice.assessments.models import Assessment, ConsentEvent, Report
from healthjustice.assessments.selectors import consent_in_force
from healthjustice.journeys.choices import Stage
from tests.assessments.factories import give_consent, issue_court_report, make_assessment
from tests.factories import TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return staff(team=TeamFactory())


@pytest.fixture
def episode(user):
    return make_episode(team=user.memberships.get().team, actor=user, stage=Stage.SCREENED)


def _assert_refused(response) -> str:
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    return text


def test_empty_post_to_assessment_new_shows_errors(user, episode, signed_in):
    url = reverse("assessments:new", kwargs={"episode_id": episode.public_id})
    _assert_refused(signed_in(user).post(url, {}))
    assert not Assessment.objects.filter(episode=episode).exists()


def test_empty_post_to_assessment_edit_shows_errors(user, episode, signed_in):
    assessment = make_assessment(episode, user)
    url = reverse("assessments:edit", kwargs={"public_id": assessment.public_id})
    before = assessment.presenting_needs
    _assert_refused(signed_in(user).post(url, {}))
    assessment.refresh_from_db()
    assert assessment.presenting_needs == before


def test_empty_post_to_consent_record_shows_errors(user, episode, signed_in):
    url = reverse("assessments:consent_record", kwargs={"person_id": episode.person.public_id})
    _assert_refused(signed_in(user).post(url, {}))
    assert not ConsentEvent.objects.filter(consent__person=episode.person).exists()


def test_empty_post_to_consent_withdraw_withdraws(user, episode, signed_in):
    # The note is optional: the button alone is the decision, so nothing posted still counts.
    event = give_consent(episode.person, user)
    url = reverse(
        "assessments:consent_withdraw",
        kwargs={"person_id": episode.person.public_id, "consent_id": event.consent.public_id},
    )
    assert signed_in(user).post(url, {}).status_code == 302
    assert consent_in_force(episode.person, "court") is None


def test_empty_post_to_report_new_shows_errors(user, episode, signed_in):
    url = reverse("assessments:report_new", kwargs={"episode_id": episode.public_id})
    _assert_refused(signed_in(user).post(url, {}))


def test_empty_post_to_report_write_shows_errors(user, episode, signed_in):
    url = reverse(
        "assessments:report_write",
        kwargs={"episode_id": episode.public_id, "report_type": "court_bail_remand"},
    )
    _assert_refused(signed_in(user).post(url, {}))
    assert not Report.objects.filter(episode=episode).exists()


def test_empty_post_to_report_correct_shows_errors(user, episode, signed_in):
    give_consent(episode.person, user)
    report = issue_court_report(episode, user, lawful_basis="consent")
    url = reverse("assessments:report_correct", kwargs={"public_id": report.public_id})
    _assert_refused(signed_in(user).post(url, {}))
    assert Report.objects.filter(episode=episode).count() == 1
