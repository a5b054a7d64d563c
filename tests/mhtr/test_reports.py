"""The MHTR reports through the consent-gated engine: the view for the pre-sentence report and
the end-of-treatment letter; and the pre-sentence report's due date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.assessments.choices import ReportType
from healthjustice.assessments.models import Report
from healthjustice.assessments.pdf import report_pdf
from healthjustice.assessments.services import report_issue
from healthjustice.interventions.services import closure_record
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import CriminalJusticeContext, EpisodeStatus
from healthjustice.journeys.selectors import current_stage
from healthjustice.journeys.services import cj_context_save
from healthjustice.mhtr import services
from healthjustice.mhtr.choices import SessionOutcome
from tests.assessments.factories import give_consent
from tests.conftest import MODEL_BACKEND
from tests.factories import PersonFactory
from tests.interventions.factories import make_episode
from tests.mhtr.factories import order_input, ordered_episode, session, suitable_episode

PSR = ReportType.MHTR_SUITABILITY
LETTER = ReportType.MHTR_END_OF_TREATMENT
TODAY = timezone.localdate


def _date(prefix, day):
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _write_url(episode, report_type):
    return reverse(
        "assessments:report_write",
        kwargs={"episode_id": episode.public_id, "report_type": report_type},
    )


def _psr_sections():
    return {
        "mental_health": "Low mood since a bereavement.",
        "suitability": "Suitable: every condition holds.",
        "willingness": "Willing to comply.",
        "treatment_plan": "Primary care MHTR, about 12 sessions.",
    }


def _letters():
    return {
        "order": "Community order with an MHTR.",
        "attendance": "Attended 1 of 6.",
        "ending": "Order revoked.",
        "treatment": "Worked on sleep and low mood.",
    }


def _issue(episode, actor, report_type=PSR, recipient="probation", **extra):
    return report_issue(
        actor=actor,
        episode=episode,
        report_type=report_type,
        recipient=recipient,
        sections=extra.pop("sections", _psr_sections() if report_type == PSR else _letters()),
        **extra,
    )


def _ended(mw, person=None):
    episode = ordered_episode(team=mw.team, person=person or mw.person, actor=mw.worker)
    attended = session(episode, mw.worker, days_ago=3)
    services.session_outcome_record(
        actor=mw.worker, session=attended, expected_version=1, outcome=SessionOutcome.ATTENDED
    )
    missed = session(episode, mw.worker, days_ago=2)
    services.session_outcome_record(
        actor=mw.worker, session=missed, expected_version=1, outcome=SessionOutcome.DID_NOT_ATTEND
    )
    closure_record(
        actor=mw.worker,
        episode=episode,
        closure_reason=ClosureReason.ORDER_REVOKED,
        summary="The court revoked the order after breach proceedings.",
    )
    return episode


@pytest.fixture
def mhtr_client(client, mw):
    client.force_login(mw.worker, backend=MODEL_BACKEND)
    return client


# --- the view for the pre-sentence report -------------------------------------------------------


def test_issuing_the_psr_view_moves_the_episode_and_needs_consent(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    with pytest.raises(ValidationError) as caught:
        _issue(episode, mw.worker)
    assert (
        "no consent in force to share with probation"
        in caught.value.message_dict["lawful_basis"][0]
    )
    assert not Report.objects.exists()
    assert current_stage(episode) == Stage.SUITABILITY_ASSESSED

    give_consent(mw.person, mw.worker, purpose="share_probation")
    report = _issue(episode, mw.worker)
    assert report.recipient == "probation"
    assert current_stage(episode) == Stage.PSR_VIEW_GIVEN
    moved = EpisodeStatus.objects.filter(episode=episode).order_by("-seq").first()
    assert "pre-sentence report" in moved.note

    # A second view (a correction) leaves the stage where it is.
    _issue(episode, mw.worker, supersedes=report, correction_reason="Wrong number of sessions")
    assert current_stage(episode) == Stage.PSR_VIEW_GIVEN


def test_psr_view_without_consent_on_a_justified_basis_also_moves(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    _issue(
        episode,
        mw.worker,
        lawful_basis="administration_of_justice",
        justification="The court asked for the view and the person cannot be reached; " * 2,
    )
    assert current_stage(episode) == Stage.PSR_VIEW_GIVEN


def test_psr_view_goes_to_probation_only_and_only_before_sentence(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    give_consent(mw.person, mw.worker, purpose="share_court")
    with pytest.raises(ValidationError) as caught:
        _issue(episode, mw.worker, recipient="court")
    assert "probation" in caught.value.message_dict["recipient"][0]

    give_consent(mw.person, mw.worker, purpose="share_probation")
    services.order_record(actor=mw.worker, episode=episode, data=order_input())
    with pytest.raises(ValidationError, match="already sentenced"):
        _issue(episode, mw.worker)
    assert not Report.objects.exists()


def test_psr_view_is_not_written_on_an_ld_episode(mw):
    ld = make_episode(team=mw.ld_team, person=mw.person)
    give_consent(mw.person, mw.ld_worker, purpose="share_probation")
    with pytest.raises(ValidationError, match="not written on this episode's pathway"):
        _issue(ld, mw.ld_worker)


def test_psr_view_page_is_prefilled_from_suitability_and_court_details(mhtr_client, mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    services.psr_due_record(
        actor=mw.worker, episode=episode, due_on=TODAY() + datetime.timedelta(days=2)
    )
    response = mhtr_client.get(_write_url(episode, PSR))
    assert response.status_code == 200
    html = response.content.decode()
    assert "suitable for a Mental Health Treatment Requirement" in html
    assert "Every condition for the requirement holds" in html
    assert "willing to comply" in html
    assert "Primary care MHTR" in html
    assert "the adjourned hearing" in html
    # Probation is the only recipient, chosen already.
    assert 'value="probation" checked' in html
    assert 'value="court"' not in html


def test_psr_view_page_issues_and_moves_the_stage(mhtr_client, mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    give_consent(mw.person, mw.worker, purpose="share_probation")
    data = {
        "recipient": "probation",
        "lawful_basis": "consent",
        "article6_basis": "6_1_e",
        "article9_condition": "9_2_h_s1_2",
        **{f"section_{k}": v for k, v in _psr_sections().items()},
        "confirm": "on",
    }
    response = mhtr_client.post(_write_url(episode, PSR), data)
    assert response.status_code == 302
    assert current_stage(episode) == Stage.PSR_VIEW_GIVEN
    report = Report.objects.get()
    assert report.report_type == PSR


def test_psr_view_page_refused_without_consent_keeps_everything(mhtr_client, mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    data = {
        "recipient": "probation",
        "lawful_basis": "consent",
        "article6_basis": "6_1_e",
        "article9_condition": "9_2_h_s1_2",
        **{f"section_{k}": v for k, v in _psr_sections().items()},
        "confirm": "on",
    }
    response = mhtr_client.post(_write_url(episode, PSR), data)
    assert response.status_code == 200
    assert "no consent in force to share with probation" in response.content.decode()
    assert not Report.objects.exists()
    assert current_stage(episode) == Stage.SUITABILITY_ASSESSED


def test_the_report_chooser_offers_the_pathways_own_kinds(mhtr_client, mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    html = mhtr_client.get(
        reverse("assessments:report_new", kwargs={"episode_id": episode.public_id})
    ).content.decode()
    assert 'value="mhtr_suitability"' in html
    assert 'value="custody_advice"' not in html
    assert mhtr_client.get(_write_url(episode, "custody_advice")).status_code == 404


def test_episode_page_links_the_psr_view_and_due_date(mhtr_client, mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    html = mhtr_client.get(
        reverse("journeys:detail", kwargs={"public_id": episode.public_id})
    ).content.decode()
    assert reverse("mhtr:psr_due", kwargs={"public_id": episode.public_id}) in html
    assert _write_url(episode, PSR) in html
    assert _write_url(episode, LETTER) not in html


# --- the pre-sentence report's due date ---------------------------------------------------------


def test_psr_due_date_is_stored_on_the_criminal_justice_details(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    due = TODAY() + datetime.timedelta(days=2)
    services.psr_due_record(actor=mw.worker, episode=episode, due_on=due)
    cj = CriminalJusticeContext.objects.get(episode=episode)
    assert cj.psr_requested and cj.psr_due_on == due
    # Changed later: the same row, the new date.
    services.psr_due_record(actor=mw.worker, episode=episode, due_on=due + datetime.timedelta(1))
    assert CriminalJusticeContext.objects.get(
        episode=episode
    ).psr_due_on == due + datetime.timedelta(1)


def test_psr_due_date_carries_the_offence_from_the_ld_episode(mw):
    ld = make_episode(team=mw.ld_team, person=mw.person)
    cj_context_save(
        actor=mw.ld_worker,
        episode=ld,
        details={"offence_category": "theft", "plea": "guilty"},
        expected_version=None,
    )
    referral = services.referral_from_ld(actor=mw.ld_worker, from_episode=ld, reason="Low mood")
    services.psr_due_record(actor=mw.worker, episode=referral.episode, due_on=TODAY())
    cj = CriminalJusticeContext.objects.get(episode=referral.episode)
    assert (cj.offence_category, cj.plea, cj.psr_due_on) == ("theft", "guilty", TODAY())


def test_psr_due_date_refused_in_the_past_or_after_sentence(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    with pytest.raises(ValidationError) as caught:
        services.psr_due_record(
            actor=mw.worker, episode=episode, due_on=TODAY() - datetime.timedelta(days=1)
        )
    assert "today or in the future" in caught.value.message_dict["due_on"][0]
    assert not CriminalJusticeContext.objects.exists()
    ended = _ended(mw, PersonFactory(team=mw.ld_team))
    with pytest.raises(ValidationError, match="closed"):
        services.psr_due_record(actor=mw.worker, episode=ended, due_on=TODAY())


def test_psr_due_page_shows_the_error_and_stores_nothing(mhtr_client, mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    url = reverse("mhtr:psr_due", kwargs={"public_id": episode.public_id})
    assert mhtr_client.get(url).status_code == 200
    response = mhtr_client.post(url, _date("due_on", TODAY() - datetime.timedelta(days=3)))
    assert response.status_code == 200
    assert "must be today or in the future" in response.content.decode()
    assert not CriminalJusticeContext.objects.exists()
    response = mhtr_client.post(url, {})
    assert "Enter the date the pre-sentence report is due" in response.content.decode()
    due = TODAY() + datetime.timedelta(days=1)
    response = mhtr_client.post(url, _date("due_on", due))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert CriminalJusticeContext.objects.get(episode=episode).psr_due_on == due


# --- the end-of-treatment letter ----------------------------------------------------------------


def test_end_letter_only_once_the_order_has_ended(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    give_consent(mw.person, mw.worker, purpose="share_gp")
    with pytest.raises(ValidationError, match="has not ended yet"):
        _issue(episode, mw.worker, LETTER, recipient="gp")
    assert not Report.objects.exists()


def test_end_letter_to_the_gp_and_to_probation_each_consent_gated(mw):
    episode = _ended(mw)
    with pytest.raises(ValidationError) as caught:
        _issue(episode, mw.worker, LETTER, recipient="gp")
    assert "no consent in force to share with gp" in caught.value.message_dict["lawful_basis"][0]
    give_consent(mw.person, mw.worker, purpose="share_gp")
    to_gp = _issue(episode, mw.worker, LETTER, recipient="gp")
    give_consent(mw.person, mw.worker, purpose="share_probation")
    to_probation = _issue(episode, mw.worker, LETTER, recipient="probation")
    assert {to_gp.recipient, to_probation.recipient} == {"gp", "probation"}
    assert current_stage(episode) == Stage.CLOSED
    with pytest.raises(ValidationError):
        _issue(episode, mw.worker, LETTER, recipient="court")


def test_end_letter_page_is_prefilled_from_the_order_sessions_and_ending(mhtr_client, mw):
    episode = _ended(mw)
    html = mhtr_client.get(_write_url(episode, LETTER)).content.decode()
    assert "Community order with a Mental Health Treatment Requirement" in html
    assert "Sessions attended: 1 of" in html
    assert "did not attend" in html
    assert "Order revoked on" in html
    assert "The court revoked the order after breach proceedings." in html
    assert 'value="gp"' in html and 'value="probation"' in html
    episode_page = mhtr_client.get(
        reverse("journeys:detail", kwargs={"public_id": episode.public_id})
    ).content.decode()
    assert _write_url(episode, LETTER) in episode_page


def test_end_letter_page_before_the_end_says_why(mhtr_client, mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    response = mhtr_client.get(_write_url(episode, LETTER))
    assert response.status_code == 200
    assert "The order has not ended yet" in response.content.decode()
    assert "Issue report" not in response.content.decode()


def test_mhtr_reports_render_as_pdf(mw):
    episode = _ended(mw)
    give_consent(mw.person, mw.worker, purpose="share_gp")
    letter = _issue(episode, mw.worker, LETTER, recipient="gp")
    pdf = report_pdf(letter.content, compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"end-of-treatment letter" in pdf
    assert b"How the order ended" in pdf

    other = suitable_episode(
        team=mw.team,
        person=PersonFactory(team=mw.ld_team),
        actor=mw.worker,
    )
    view = _issue(
        other,
        mw.worker,
        lawful_basis="administration_of_justice",
        justification="The court asked for the view and the person cannot be reached now.",
    )
    pdf = report_pdf(view.content, compress=False)
    assert b"view for the pre-sentence report" in pdf
    assert b"Willingness to comply" in pdf
