"""Reports to criminal-justice partners: consent or a justified basis, frozen, audited."""

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from healthjustice.assessments.models import Consent, Report
from healthjustice.assessments.report_content import reference_for
from healthjustice.assessments.services import consent_withdraw, report_issue
from healthjustice.audit.models import AuditEvent
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.services import cj_context_save
from tests.assessments.factories import SECTIONS, give_consent, issue_court_report
from tests.factories import TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db

JUSTIFICATION = (
    "He told me he intends to harm his former partner on release today; the police need to "
    "know to protect her. Consent was asked for and refused."
)


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def user(team):
    return staff(team=team, user__job_title="Liaison and diversion practitioner")


@pytest.fixture
def episode(team, user):
    return make_episode(team=team, actor=user, stage=Stage.ASSESSED)


def _post_data(**extra):
    return {
        "recipient": "court",
        "lawful_basis": "consent",
        "article6_basis": "6_1_e",
        "article9_condition": "9_2_h_s1_2",
        **{f"section_{k}": v for k, v in SECTIONS.items()},
        "confirm": "on",
        **extra,
    }


def _write_url(episode, report_type="court_bail_remand"):
    return reverse(
        "assessments:report_write",
        kwargs={"episode_id": episode.public_id, "report_type": report_type},
    )


def test_report_refused_without_consent_nothing_stored(user, episode):
    with pytest.raises(ValidationError) as exc:
        issue_court_report(episode, user)
    message = exc.value.message_dict["lawful_basis"][0]
    assert "no consent in force to share with court" in message
    assert "has not been issued" in message
    assert not Report.objects.exists()
    assert not AuditEvent.objects.filter(object_type="report").exists()


def test_report_issued_with_consent_in_force(user, episode):
    event = give_consent(episode.person, user, purpose="share_court")
    report = issue_court_report(episode, user)
    assert report.lawful_basis == "consent"
    assert report.consent_event == event
    assert report.consent == event.consent


def test_consent_for_another_recipient_does_not_count(user, episode):
    give_consent(episode.person, user, purpose="share_police")
    with pytest.raises(ValidationError):
        issue_court_report(episode, user)
    assert not Report.objects.exists()


def test_report_refused_after_withdrawal_same_request_sequence(user, episode, signed_in):
    client = signed_in(user)
    person = episode.person
    consent_url = reverse("assessments:consent_record", kwargs={"person_id": person.public_id})
    response = client.post(
        consent_url, {"purpose": "share_court", "status": "given", "capacity_assessed": "no"}
    )
    assert response.status_code == 302
    response = client.post(_write_url(episode), _post_data())
    assert response.status_code == 302
    assert Report.objects.count() == 1
    consent = Consent.objects.get()
    withdraw_url = reverse(
        "assessments:consent_withdraw",
        kwargs={"person_id": person.public_id, "consent_id": consent.public_id},
    )
    assert client.post(withdraw_url, {"note": "Does not want the court told"}).status_code == 302
    response = client.post(_write_url(episode), _post_data())
    assert response.status_code == 200
    assert "no consent in force to share with court" in response.content.decode()
    assert Report.objects.count() == 1


def test_report_issued_without_consent_on_justified_basis(user, episode):
    report = issue_court_report(
        episode,
        user,
        recipient="police",
        lawful_basis="serious_harm",
        justification=JUSTIFICATION,
    )
    assert (report.recipient, report.lawful_basis) == ("police", "serious_harm")
    assert report.consent is None
    assert report.justification == JUSTIFICATION
    assert report.content["lawful_basis"]["justification"] == JUSTIFICATION


@pytest.mark.parametrize("justification", ["", "Risk.", "x" * 49])
def test_basis_without_consent_needs_written_justification(user, episode, justification):
    with pytest.raises(ValidationError) as exc:
        issue_court_report(episode, user, lawful_basis="safeguarding", justification=justification)
    assert "at least 50 characters" in exc.value.message_dict["justification"][0]
    assert not Report.objects.exists()


def test_missing_required_section_refused(user, episode):
    give_consent(episode.person, user)
    with pytest.raises(ValidationError) as exc:
        issue_court_report(episode, user, sections={**SECTIONS, "bail": "  "})
    assert "section_bail" in exc.value.message_dict
    assert not Report.objects.exists()


def test_report_recipient_must_be_a_criminal_justice_partner(user, episode):
    with pytest.raises(ValidationError) as exc:
        issue_court_report(
            episode, user, recipient="gp", lawful_basis="safeguarding", justification=JUSTIFICATION
        )
    assert "recipient" in exc.value.message_dict


def test_report_refused_for_other_team(episode):
    with pytest.raises(PermissionDenied):
        issue_court_report(episode, staff(team=TeamFactory()))


def test_disclosure_record_contents(user, episode):
    event = give_consent(episode.person, user, purpose="share_court")
    cj_context_save(
        actor=user,
        episode=episode,
        details={"offence_category": "theft", "charge_status": "charged"},
        expected_version=None,
    )
    before = timezone.now()
    report = issue_court_report(episode, user)
    report.refresh_from_db()
    content = report.content
    person = episode.person
    assert report.author == user
    assert before <= report.issued_at <= timezone.now()
    assert content["title"] == "Court report for bail or remand"
    assert content["recipient"] == "Court"
    assert content["person"] == {
        "name": person.full_name,
        "date_of_birth": content["person"]["date_of_birth"],
        "nhs_number": person.nhs_number_display,
    }
    assert content["author"] == {
        "name": user.display_name,
        "job_title": "Liaison and diversion practitioner",
        "team": episode.team.name,
        "phone": episode.team.phone,
        "email": episode.team.email,
    }
    assert content["consent"]["reference"] == reference_for(event.public_id)
    assert content["lawful_basis"]["article_10"]["code"] == "s1_2"
    assert content["lawful_basis"]["code"] == "consent"
    assert [s["key"] for s in content["sections"]] == ["needs", "risk", "bail", "recommendations"]
    assert {"label": "Offence category", "value": "Theft"} in content["criminal_justice"]
    digest = hashlib.sha256(
        json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder).encode()
    ).hexdigest()
    assert report.content_sha256 == digest


def test_issue_audited_as_export_with_disclosure_detail(user, episode):
    event = give_consent(episode.person, user)
    report = issue_court_report(episode, user)
    audit = AuditEvent.objects.get(object_type="report", action="export")
    assert audit.object_id == str(report.public_id)
    assert audit.detail["recipient"] == "court"
    assert audit.detail["lawful_basis"] == "consent"
    assert audit.detail["consent_event"] == str(event.public_id)
    assert "sister" not in json.dumps(audit.detail)


def test_issued_report_cannot_change(user, episode):
    give_consent(episode.person, user)
    report = issue_court_report(episode, user)
    report.justification = "edited"
    with pytest.raises(PermissionError):
        report.save()
    with pytest.raises(PermissionError):
        Report.objects.filter(pk=report.pk).update(recipient="police")
    with pytest.raises(PermissionError):
        report.delete()


def test_report_content_frozen_when_person_and_consent_change(user, episode):
    give_consent(episode.person, user)
    report = issue_court_report(episode, user)
    name_at_issue = report.content["person"]["name"]
    person = episode.person
    person.family_name = "Renamed"
    person.save()
    consent_withdraw(actor=user, consent=report.consent)
    report.refresh_from_db()
    assert report.content["person"]["name"] == name_at_issue
    assert report.consent_event.status == "given"


def test_correction_supersedes_and_original_stays(user, episode):
    give_consent(episode.person, user)
    original = issue_court_report(episode, user)
    correction = issue_court_report(
        episode,
        user,
        supersedes=original,
        correction_reason="The address given was his old one",
        sections={**SECTIONS, "bail": "Will live with his mother at her address."},
    )
    assert correction.supersedes == original
    assert original.superseded_by == correction
    assert correction.content["supersedes"]["reason"] == "The address given was his old one"
    assert Report.objects.count() == 2
    with pytest.raises(ValidationError, match="already been corrected"):
        issue_court_report(
            episode, user, supersedes=original, correction_reason="Another correction"
        )


def test_correction_needs_reason_and_same_recipient(user, episode):
    give_consent(episode.person, user)
    give_consent(episode.person, user, purpose="share_police")
    original = issue_court_report(episode, user)
    with pytest.raises(ValidationError):
        issue_court_report(episode, user, supersedes=original, correction_reason="")
    with pytest.raises(ValidationError, match="same recipient"):
        issue_court_report(
            episode, user, recipient="police", supersedes=original, correction_reason="Wrong court"
        )
    assert Report.objects.count() == 1


def test_report_page_view_audited_and_shows_disclosure(user, episode, signed_in):
    give_consent(episode.person, user)
    report = issue_court_report(episode, user)
    response = signed_in(user).get(
        reverse("assessments:report", kwargs={"public_id": report.public_id})
    )
    text = response.content.decode()
    assert "Disclosure record" in text
    assert "Consent to share with this recipient" in text
    assert AuditEvent.objects.filter(
        object_type="report", action="view", object_id=str(report.public_id)
    ).exists()


def test_report_page_hides_cj_details_without_report_issue(user, episode, signed_in, monkeypatch):
    give_consent(episode.person, user)
    cj_context_save(
        actor=user,
        episode=episode,
        details={"custody_record_reference": "CR-0042/26"},
        expected_version=None,
    )
    report = issue_court_report(episode, user)
    url = reverse("assessments:report", kwargs={"public_id": report.public_id})
    client = signed_in(user)
    assert "CR-0042/26" in client.get(url).content.decode()
    import healthjustice.assessments.report_views as views

    real = views.has_permission
    monkeypatch.setattr(
        views, "has_permission", lambda u, p, obj=None: p != "report.issue" and real(u, p, obj)
    )
    text = client.get(url).content.decode()
    assert "CR-0042/26" not in text
    assert "Criminal-justice details" not in text


def test_report_page_warns_when_consent_since_withdrawn(user, episode, signed_in):
    give_consent(episode.person, user)
    report = issue_court_report(episode, user)
    consent_withdraw(actor=user, consent=report.consent)
    text = (
        signed_in(user)
        .get(reverse("assessments:report", kwargs={"public_id": report.public_id}))
        .content.decode()
    )
    assert "Consent has changed since this report was issued" in text


def test_report_for_other_team_not_found(user, episode, signed_in):
    give_consent(episode.person, user)
    report = issue_court_report(episode, user)
    client = signed_in(staff(team=TeamFactory()))
    for name in ("assessments:report", "assessments:report_pdf", "assessments:report_correct"):
        assert client.get(reverse(name, kwargs={"public_id": report.public_id})).status_code == 404


def test_write_page_starts_from_latest_assessment(user, episode, signed_in):
    from tests.assessments.factories import make_assessment

    make_assessment(episode, user, recommendations="Refer to the crisis team today")
    text = signed_in(user).get(_write_url(episode)).content.decode()
    assert "Refer to the crisis team today" in text
    assert "Risk to self: Fleeting thoughts" in text


def test_write_page_needs_confirmation(user, episode, signed_in):
    give_consent(episode.person, user)
    data = _post_data()
    del data["confirm"]
    response = signed_in(user).post(_write_url(episode), data)
    assert response.status_code == 200
    assert "Confirm you have checked the report" in response.content.decode()
    assert not Report.objects.exists()


def test_report_issue_only_through_service_api(user, episode):
    give_consent(episode.person, user, purpose="share_yot")
    report = report_issue(
        actor=user,
        episode=episode,
        report_type="custody_advice",
        recipient="yot",
        sections={
            "needs": "Autistic; finds noise distressing",
            "risk": "None identified",
            "custody_care": "Appropriate adult needed for interview",
            "recommendations": "Quiet cell; explain each step",
        },
    )
    assert report.get_report_type_display() == "Custody advice"
    assert report.content["reference"].startswith("HJ-")


def test_new_report_refused_on_closed_episode_but_correction_allowed(user, episode):
    from healthjustice.journeys.services import episode_move

    give_consent(episode.person, user)
    original = issue_court_report(episode, user)
    episode_move(actor=user, episode=episode, to_stage="closed", closure_reason="completed")
    with pytest.raises(ValidationError, match="closed"):
        issue_court_report(episode, user)
    correction = issue_court_report(
        episode, user, supersedes=original, correction_reason="Wrong hearing date given"
    )
    assert correction.supersedes == original
