"""Best interests is not consent; each disclosure records its lawful basis in full, in words."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.assessments.pdf import report_pdf
from healthjustice.assessments.report_content import disclosure_rows, reference_for
from healthjustice.assessments.services import consent_record
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.services import cj_context_save
from tests.assessments.factories import SECTIONS, give_consent, issue_court_report, make_assessment
from tests.factories import TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = TeamFactory(name="Stoke custody L&D")
    team.phone = "01782 555 0100"
    team.email = "stoke.ld@example.nhs.uk"
    team.save()
    return team


@pytest.fixture
def user(team):
    return staff(
        team=team,
        user__first_name="Carla",
        user__last_name="Reid",
        user__job_title="Liaison and diversion nurse",
    )


@pytest.fixture
def episode(team, user):
    return make_episode(team=team, actor=user, stage=Stage.ASSESSED)


def _best_interests(person, user, purpose="share_court"):
    return consent_record(
        actor=user,
        person=person,
        purpose=purpose,
        status="given",
        capacity_assessed=True,
        capacity_outcome="lacks_capacity",
        best_interests_by="Dr A. Patel, forensic medical examiner",
        best_interests_reason="Acutely psychotic; the court needs to know to consider bail.",
    )


def _with_hearing(episode, user):
    cj_context_save(
        actor=user,
        episode=episode,
        details={
            "offence_category": "theft",
            "charge_status": "charged",
            "court_name": "North Staffordshire Justice Centre",
            "hearing_at": timezone.now() + timedelta(days=1),
        },
        expected_version=None,
    )


def test_best_interests_decision_is_not_issued_as_consent(user, episode):
    _best_interests(episode.person, user)
    with pytest.raises(ValidationError) as exc:
        issue_court_report(episode, user, lawful_basis="consent")
    assert "is not their consent" in exc.value.message_dict["lawful_basis"][0]


def test_report_on_a_best_interests_decision_says_so(user, episode):
    event = _best_interests(episode.person, user)
    report = issue_court_report(episode, user, lawful_basis="best_interests")
    assert report.lawful_basis == "best_interests"
    assert report.consent_event == event
    assert report.content["consent"] is None
    decision = report.content["best_interests"]
    assert decision["best_interests_by"] == "Dr A. Patel, forensic medical examiner"
    assert "the court needs to know" in decision["best_interests_reason"]
    rows = dict(disclosure_rows(report.content))
    assert "Mental Capacity Act 2005, section 4" in rows["Best-interests decision"]
    assert "Consent" not in rows
    assert "Best-interests decision" in rows["Basis for sharing (common law)"]
    pdf = report_pdf(report.content, compress=False)
    assert b"Best-interests decision" in pdf
    assert b"Consent to share" not in pdf


def test_best_interests_basis_refused_when_the_person_consented(user, episode):
    give_consent(episode.person, user)
    with pytest.raises(ValidationError) as exc:
        issue_court_report(episode, user, lawful_basis="best_interests")
    assert "Choose 'Consent'" in exc.value.message_dict["lawful_basis"][0]


def test_best_interests_decision_needs_a_reason(user, episode):
    with pytest.raises(ValidationError) as exc:
        consent_record(
            actor=user,
            person=episode.person,
            purpose="share_court",
            status="given",
            capacity_assessed=True,
            capacity_outcome="lacks_capacity",
            best_interests_by="Dr A. Patel",
        )
    assert "best_interests_reason" in exc.value.message_dict


def test_article10_condition_required_when_criminal_offence_data_is_shared(user, episode):
    give_consent(episode.person, user)
    _with_hearing(episode, user)
    with pytest.raises(ValidationError) as exc:
        issue_court_report(episode, user, article10_condition="")
    assert "criminal-offence data" in exc.value.message_dict["article10_condition"][0]


def test_article10_condition_refused_when_no_criminal_offence_data(user, episode):
    give_consent(episode.person, user)
    with pytest.raises(ValidationError) as exc:
        issue_court_report(episode, user, article10_condition="s1_7")
    assert "no criminal-offence data" in exc.value.message_dict["article10_condition"][0]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"article6_basis": "6_1_z"}, "article6_basis"),
        ({"article9_condition": ""}, "article9_condition"),
        ({"article9_condition": "9_2_c"}, "article9_condition"),
    ],
)
def test_bases_must_come_from_the_lists_and_fit_together(user, episode, extra, field):
    give_consent(episode.person, user)
    with pytest.raises(ValidationError) as exc:
        issue_court_report(episode, user, **extra)
    assert field in exc.value.message_dict


def test_schedule1_consent_condition_only_with_consent(user, episode):
    _with_hearing(episode, user)
    with pytest.raises(ValidationError) as exc:
        issue_court_report(
            episode,
            user,
            lawful_basis="serious_harm",
            justification="He said he would harm his neighbour tonight; the court must know." * 2,
            article10_condition="s1_29",
        )
    assert "paragraph 29" in exc.value.message_dict["article10_condition"][0]


def test_report_page_and_pdf_show_the_full_basis_court_and_author_in_words(
    user, episode, signed_in
):
    event = give_consent(episode.person, user)
    _with_hearing(episode, user)
    report = issue_court_report(
        episode,
        user,
        article9_condition="9_2_g_s1_7",
        article10_condition="s1_7",
        courtroom="Court 3",
    )
    html = signed_in(user).get(
        reverse("assessments:report", kwargs={"public_id": report.public_id})
    )
    page = html.content.decode()
    pdf = report_pdf(report.content, compress=False)
    for text in (
        "North Staffordshire Justice Centre",
        "Court 3",
        "Carla Reid, Liaison and diversion nurse",
        "01782 555 0100",
        "stoke.ld@example.nhs.uk",
        "Article 6(1)(e)",
        "paragraph 7 (administration of justice)",
        reference_for(event.public_id),
    ):
        assert text in page, text
        assert text.replace("(", "\\(").replace(")", "\\)").encode() in pdf, text
    assert str(event.public_id) not in page
    assert str(event.public_id).encode() not in pdf


def test_old_reports_without_the_full_basis_stay_readable():
    content = {
        "person": {"name": "A Person"},
        "author": {"name": "B Author"},
        "lawful_basis": {"code": "consent", "label": "Consent to share with this recipient"},
        "consent": {
            "reference": "90d0273a-4028-4d55-8428-3618a2ba8d05",
            "recorded_at": "1 May 2026 at 9:00am",
            "recorded_by": "B Author",
            "best_interests_by": "Dr C",
        },
    }
    rows = dict(disclosure_rows(content))
    assert rows["UK GDPR bases"].startswith("Not recorded")
    assert "not their consent" in rows["Best-interests decision"]
    assert "HJ-90D0273A" in rows["Best-interests decision"]


def test_writing_a_court_report_starts_from_the_assessment(user, episode, signed_in):
    make_assessment(episode, user)
    url = reverse(
        "assessments:report_write",
        kwargs={"episode_id": episode.public_id, "report_type": "court_bail_remand"},
    )
    html = signed_in(user).get(url).content.decode()
    assert "Low mood and poor sleep since losing his job." in html
    assert 'value="court" checked' in html or 'value="court"\n' in html


def test_recording_consent_from_the_report_keeps_the_draft(user, episode, signed_in):
    client = signed_in(user)
    url = reverse(
        "assessments:report_write",
        kwargs={"episode_id": episode.public_id, "report_type": "court_bail_remand"},
    )
    draft = {
        "recipient": "court",
        "lawful_basis": "consent",
        "article6_basis": "6_1_e",
        "article9_condition": "9_2_h_s1_2",
        **{f"section_{k}": v for k, v in SECTIONS.items()},
        "section_needs": "A draft the author must not lose.",
        "action": "record_consent",
    }
    response = client.post(url, draft)
    consent_url = reverse(
        "assessments:consent_record", kwargs={"person_id": episode.person.public_id}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"{consent_url}?purpose=share_court&next=")
    response = client.post(
        response["Location"],
        {"purpose": "share_court", "status": "given", "capacity_assessed": "no", "next": url},
    )
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert "A draft the author must not lose." in page
    assert "This is the draft you were writing" in page
    issued = client.post(url, {**draft, "action": "", "confirm": "on"})
    assert issued.status_code == 302
    assert "A draft the author must not lose." not in client.get(url).content.decode()


def test_pages_name_a_best_interests_decision_not_consent(user, episode, signed_in):
    _best_interests(episode.person, user)
    client = signed_in(user)
    overview = client.get(reverse("assessments:episode", kwargs={"episode_id": episode.public_id}))
    assert "Best-interests decision" in overview.content.decode()
    write = client.get(
        reverse(
            "assessments:report_write",
            kwargs={"episode_id": episode.public_id, "report_type": "court_bail_remand"},
        )
    )
    assert "Best-interests decision" in write.content.decode()


def test_subject_access_export_lists_each_disclosures_full_basis(user, episode):
    from healthjustice.assessments.subject_access import reports_to_criminal_justice_partners

    _best_interests(episode.person, user)
    issue_court_report(episode, user, lawful_basis="best_interests")
    (row,) = reports_to_criminal_justice_partners(episode.person)
    assert row["lawful_basis"]["code"] == "best_interests"
    assert row["article6_basis"]["code"] == "6_1_e"
    assert row["article9_condition"]["code"] == "9_2_h_s1_2"
    assert row["article10_condition"] is None
