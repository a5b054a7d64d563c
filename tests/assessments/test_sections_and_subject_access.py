"""What the assessments app adds to the episode page and the subject access export."""

import json

import pytest
from django.urls import reverse

from healthjustice.governance.subject_access import subject_access_document, subject_access_sections
from healthjustice.journeys.choices import Stage
from tests.assessments.factories import give_consent, issue_court_report, make_assessment
from tests.factories import TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    team = TeamFactory()
    user = staff(team=team)
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    make_assessment(episode, user)
    give_consent(episode.person, user)
    report = issue_court_report(episode, user)
    return user, episode, report


def test_episode_page_shows_assessment_consent_and_reports(setup, signed_in):
    user, episode, report = setup
    text = (
        signed_in(user)
        .get(reverse("journeys:detail", kwargs={"public_id": episode.public_id}))
        .content.decode()
    )
    assert "Assessment, consent and reports" in text
    assert reverse("assessments:report", kwargs={"public_id": report.public_id}) in text
    assert reverse("assessments:consent", kwargs={"person_id": episode.person.public_id}) in text


def test_subject_access_has_assessment_consent_and_report_sections(setup):
    _user, episode, report = setup
    assert {"assessments", "consent", "reports_to_criminal_justice_partners"} <= set(
        subject_access_sections()
    )
    document = json.loads(json.dumps(subject_access_document(episode.person), default=str))
    assert document["assessments"][0]["formulation"].startswith("Depressive episode")
    history = document["consent"][0]["history"]
    assert [h["status"]["code"] for h in history] == ["given"]
    disclosure = document["reports_to_criminal_justice_partners"][0]
    assert disclosure["recipient"]["code"] == "court"
    assert disclosure["content"]["sections"] == report.content["sections"]
