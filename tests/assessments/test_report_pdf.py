"""The PDF copy of an issued report."""

import pytest
from django.urls import reverse

from healthjustice.assessments.pdf import latin1, report_pdf
from healthjustice.audit.models import AuditEvent
from healthjustice.journeys.choices import Stage
from tests.assessments.factories import give_consent, issue_court_report
from tests.factories import PersonFactory, TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    team = TeamFactory()
    user = staff(team=team)
    person = PersonFactory(team=team, given_name="Zoë", family_name="Łukasz-O’Brien")
    episode = make_episode(team=team, person=person, actor=user, stage=Stage.ASSESSED)
    give_consent(person, user)
    return issue_court_report(episode, user)


def test_pdf_is_a_pdf_with_title_and_disclosure_text(report):
    data = report_pdf(report.content, compress=False)
    assert data.startswith(b"%PDF")
    assert b"Court report for bail or remand" in data
    assert report.content["reference"].encode() in data
    assert b"Consent to share with this recipient" in data
    assert b"Health and social care needs" in data
    assert report.content["person"]["nhs_number"].encode() in data
    assert b"OFFICIAL-SENSITIVE" in data


def test_pdf_writes_names_outside_latin1_readably(report):
    data = report_pdf(report.content, compress=False)
    assert "Zoë".encode("latin-1") in data
    assert b"LUKASZ-O'BRIEN" in data


def test_latin1_keeps_accents_and_replaces_the_rest():
    assert latin1("Siân – “Ørsted” Łódź 你") == 'Siân - "Ørsted" Lódz ?'


def test_pdf_download_view(report, signed_in):
    user = report.author
    response = signed_in(user).get(
        reverse("assessments:report_pdf", kwargs={"public_id": report.public_id})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert report.content["reference"] in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    view = AuditEvent.objects.filter(
        object_type="report", action="view", object_id=str(report.public_id)
    ).get()
    assert view.detail["purpose"] == "pdf"
