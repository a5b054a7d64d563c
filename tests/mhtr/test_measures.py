"""Recording MHTR measures: which occasions may have them, answers checked item by item, every
questionnaire of an occasion stored or none, and the pages that record and show them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.interventions.services import closure_record
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.mhtr import measures, services
from healthjustice.mhtr.choices import MeasureOccasion, SessionOutcome
from healthjustice.mhtr.models import Measure
from healthjustice.mhtr.outcomes import Change, episode_outcomes, episode_summary
from healthjustice.organisations.roles import Role
from healthjustice.screening.models import InstrumentAdministration, RiskAlert, Screening
from tests.conftest import MODEL_BACKEND
from tests.factories import TeamFactory, staff
from tests.interventions.factories import make_episode
from tests.mhtr.factories import make_mhtr_episode, ordered_episode, session, suitable_episode


def phq9(total: int) -> list[int]:
    """PHQ-9 answers adding up to `total` (item 9 left at 'not at all')."""
    answers = [0] * 9
    for i in range(8):
        answers[i] = min(3, total - sum(answers))
    assert sum(answers) == total
    return answers


def gad7(total: int) -> list[int]:
    answers = [0] * 7
    for i in range(7):
        answers[i] = min(3, total - sum(answers))
    return answers


def attended(episode, actor, days_ago=2):
    s = session(episode, actor, days_ago=days_ago)
    services.session_outcome_record(
        actor=actor, session=s, expected_version=1, outcome=SessionOutcome.ATTENDED
    )
    s.refresh_from_db()
    return s


def _record(mw, episode, occasion, **answers):
    return measures.measures_record(
        actor=mw.worker, episode=episode, occasion=occasion, answers=answers
    )


# --- the service --------------------------------------------------------------------------------


def test_assessment_measures_are_stored_as_administrations_outside_any_screening(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    occasion = measures.assessment_occasion(episode)
    made = _record(mw, episode, occasion, phq9=phq9(18), gad7=gad7(12))
    assert [m.instrument_code for m in made] == ["phq9", "gad7"]
    first = made[0]
    assert first.occasion == MeasureOccasion.ASSESSMENT
    assert first.measured_on == occasion.suitability.assessed_on
    assert first.administration.total == 18 and first.administration.band == "moderately severe"
    assert first.administration.screening is None
    assert first.administration.administered_at.date() == first.measured_on
    assert not Screening.objects.filter(episode=episode).exists()
    assert AuditEvent.objects.filter(object_type="mhtr_measure").count() == 2


def test_an_occasion_takes_each_questionnaire_once(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    occasion = measures.assessment_occasion(episode)
    _record(mw, episode, occasion, phq9=phq9(18))
    with pytest.raises(ValidationError) as exc:
        _record(mw, episode, occasion, phq9=phq9(10), gad7=gad7(5))
    assert "PHQ-9 is already recorded for this occasion" in str(exc.value)
    assert Measure.objects.count() == 1 and InstrumentAdministration.objects.count() == 1


def test_a_missing_item_or_an_answer_out_of_range_is_named_and_nothing_is_stored(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    occasion = measures.assessment_occasion(episode)
    partial = phq9(12)
    partial[4] = None
    with pytest.raises(ValidationError) as exc:
        _record(mw, episode, occasion, phq9=partial, gad7=[0, 1, 2, 3, 4, 0, 0])
    errors = exc.value.message_dict
    assert errors["phq9_item_5"] == ["PHQ-9 item 5: select an answer"]
    assert "out of range" in errors["gad7_item_5"][0]
    with pytest.raises(ValidationError) as exc:
        _record(mw, episode, occasion, gad7=[0] * 8)
    assert "GAD-7 has 7 items, 8 answers given" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        _record(mw, episode, occasion, gad7=[0, "1", 0, 0, 0, 0, 0])
    assert "GAD-7 item 2" in str(exc.value)
    with pytest.raises(ValidationError, match="at least one questionnaire"):
        _record(mw, episode, occasion, phq9=[None] * 9)
    with pytest.raises(ValidationError, match="Unknown questionnaire"):
        _record(mw, episode, occasion, audit=[0] * 10)
    assert not Measure.objects.exists() and not InstrumentAdministration.objects.exists()


def test_a_failure_on_the_second_questionnaire_rolls_back_the_first(mw, monkeypatch):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    occasion = measures.assessment_occasion(episode)
    real = measures.instrument_administer
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs["instrument_code"])
        if len(calls) == 2:
            raise ValidationError({"item_3": "GAD-7 item 3: refused"})
        return real(**kwargs)

    monkeypatch.setattr(measures, "instrument_administer", second_fails)
    with pytest.raises(ValidationError) as exc:
        _record(mw, episode, occasion, phq9=phq9(18), gad7=gad7(12))
    assert exc.value.message_dict == {"gad7_item_3": ["GAD-7 item 3: refused"]}
    assert calls == ["phq9", "gad7"]
    assert not Measure.objects.exists() and not InstrumentAdministration.objects.exists()
    assert not AuditEvent.objects.filter(object_type="mhtr_measure").exists()


def test_assessment_measures_need_a_suitability_assessment(mw):
    episode = make_mhtr_episode(team=mw.team, person=mw.person)
    assert measures.assessment_occasion(episode) is None
    occasion = measures.Occasion(MeasureOccasion.ASSESSMENT, timezone.localdate())
    with pytest.raises(ValidationError, match="Record the suitability assessment"):
        _record(mw, episode, occasion, phq9=phq9(5))


def test_session_measures_only_at_an_attended_session(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    booked = session(episode, mw.worker)
    with pytest.raises(ValidationError, match="a session the person attended"):
        _record(mw, episode, measures.session_occasion(booked), phq9=phq9(5))
    services.session_outcome_record(
        actor=mw.worker, session=booked, expected_version=1, outcome=SessionOutcome.DID_NOT_ATTEND
    )
    booked.refresh_from_db()
    with pytest.raises(ValidationError, match="a session the person attended"):
        _record(mw, episode, measures.session_occasion(booked), phq9=phq9(5))
    went = attended(episode, mw.worker, days_ago=1)
    made = _record(mw, episode, measures.session_occasion(went), core10=[1] * 10)
    assert made[0].session == went and made[0].measured_on == went.on
    assert made[0].administration.session_number == 2
    other = ordered_episode(team=mw.team, person=make_episode(team=mw.team).person, actor=mw.worker)
    with pytest.raises(ValidationError, match="a session of this episode"):
        _record(mw, other, measures.session_occasion(went), phq9=phq9(5))


def test_end_measures_under_an_order_and_never_on_a_closed_episode(mw):
    suitable = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    with pytest.raises(ValidationError, match="under an order"):
        _record(mw, suitable, measures.end_occasion(), phq9=phq9(5))
    episode = ordered_episode(
        team=mw.team, person=make_episode(team=mw.team).person, actor=mw.worker
    )
    made = _record(mw, episode, measures.end_occasion(), phq9=phq9(5))
    assert made[0].occasion == MeasureOccasion.END
    assert made[0].measured_on == timezone.localdate()
    closure_record(
        actor=mw.worker,
        episode=episode,
        closure_reason=ClosureReason.ORDER_REVOKED,
        summary="Revoked",
    )
    with pytest.raises(ValidationError, match="closed"):
        _record(mw, episode, measures.end_occasion(), gad7=gad7(5))


def test_only_the_care_team_may_record_and_only_on_an_mhtr_episode(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    stranger = staff(Role.PRACTITIONER, team=TeamFactory(name="Elsewhere L&D"))
    with pytest.raises(PermissionDenied):
        measures.measures_record(
            actor=stranger,
            episode=episode,
            occasion=measures.assessment_occasion(episode),
            answers={"phq9": phq9(5)},
        )
    ld = make_episode(team=mw.ld_team, person=mw.person)
    with pytest.raises(ValidationError, match="not a Mental Health Treatment Requirement"):
        measures.measures_record(
            actor=mw.ld_worker, episode=ld, occasion=measures.end_occasion(), answers={}
        )


def test_a_risk_item_raises_its_alert_on_the_mhtr_episode(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    answers = phq9(10)
    answers[8] = 1
    _record(mw, episode, measures.assessment_occasion(episode), phq9=answers)
    alert = RiskAlert.objects.get()
    assert alert.episode == episode and alert.administration.mhtr_measure.episode == episode


def test_measures_cannot_be_changed():
    from healthjustice.core.append_only import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        Measure.objects.all().update(measured_on=datetime.date(2026, 1, 1))


def test_episode_outcomes_read_the_trajectory_first_against_latest(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    _record(mw, episode, measures.assessment_occasion(episode), phq9=phq9(16), gad7=gad7(9))
    s1 = attended(episode, mw.worker, days_ago=3)
    _record(mw, episode, measures.session_occasion(s1), phq9=phq9(17), gad7=gad7(9))
    _record(mw, episode, measures.end_occasion(), phq9=phq9(8), gad7=gad7(6))
    outcomes = episode_outcomes(episode)
    assert outcomes["phq9"].first == 16 and outcomes["phq9"].latest == 8
    assert outcomes["phq9"].change is Change.RELIABLE_IMPROVEMENT
    assert outcomes["phq9"].clinically_significant
    assert outcomes["gad7"].change is Change.NO_RELIABLE_CHANGE
    summary = episode_summary(episode)
    assert summary.reliable_improvement and summary.recovery and summary.reliable_recovery
    assert [x.name for x in measures.latest_scores(episode)] == ["PHQ-9", "GAD-7"]


# --- the pages ----------------------------------------------------------------------------------


@pytest.fixture
def mhtr_client(client, mw):
    client.force_login(mw.worker, backend=MODEL_BACKEND)
    return client


def _form(code: str, answers: list) -> dict[str, str]:
    return {f"{code}_item_{i}": str(a) for i, a in enumerate(answers, start=1) if a is not None}


def test_assessment_page_records_and_shows_errors_on_the_form(mhtr_client, mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    url = reverse("mhtr:measures_assessment", kwargs={"public_id": episode.public_id})
    page = mhtr_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Patient Health Questionnaire (PHQ-9)" in html and "CORE-10" in html
    partial = phq9(12)[:4]
    response = mhtr_client.post(url, {**_form("phq9", partial), "gad7_item_1": "9"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "PHQ-9 item 5: select an answer" in html
    assert "GAD-7 item 1: the answer is out of range" in html
    assert not Measure.objects.exists()
    response = mhtr_client.post(url, {})
    assert "Answer every item of at least one questionnaire" in response.content.decode()
    response = mhtr_client.post(url, _form("phq9", phq9(12)))
    assert response.status_code == 302
    assert response["Location"] == reverse("mhtr:measures", kwargs={"public_id": episode.public_id})
    assert Measure.objects.get().administration.total == 12
    page = mhtr_client.get(url).content.decode()
    assert "Already recorded" in page and "phq9_item_1" not in page


def test_session_page_refuses_a_session_not_attended_and_records_an_attended_one(mhtr_client, mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    booked = session(episode, mw.worker, days_ago=3)
    url = reverse("mhtr:measures_session", kwargs={"public_id": booked.public_id})
    page = mhtr_client.get(url).content.decode()
    assert "record the session as attended first" in page and "phq9_item_1" not in page
    assert mhtr_client.post(url, _form("phq9", phq9(5))).status_code == 200
    assert not Measure.objects.exists()
    went = attended(episode, mw.worker, days_ago=1)
    outcome_page = mhtr_client.get(
        reverse("mhtr:session_outcome", kwargs={"public_id": went.public_id})
    ).content.decode()
    url = reverse("mhtr:measures_session", kwargs={"public_id": went.public_id})
    assert url in outcome_page
    response = mhtr_client.post(url, {**_form("gad7", gad7(7)), **_form("core10", [2] * 10)})
    assert response.status_code == 302
    assert sorted(Measure.objects.values_list("instrument_code", flat=True)) == ["core10", "gad7"]


def test_end_page_and_trajectory_with_charts_tables_and_outcomes(mhtr_client, mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    _record(mw, episode, measures.assessment_occasion(episode), phq9=phq9(18), gad7=gad7(12))
    end_url = reverse("mhtr:measures_end", kwargs={"public_id": episode.public_id})
    response = mhtr_client.post(end_url, {**_form("phq9", phq9(8)), **_form("gad7", gad7(6))})
    assert response.status_code == 302
    episode_page = mhtr_client.get(
        reverse("journeys:detail", kwargs={"public_id": episode.public_id})
    ).content.decode()
    trajectory_url = reverse("mhtr:measures", kwargs={"public_id": episode.public_id})
    assert trajectory_url in episode_page and "PHQ-9: 8 on" in episode_page
    html = mhtr_client.get(trajectory_url).content.decode()
    assert html.count('<svg class="hj-chart"') == 2  # PHQ-9 and GAD-7; CORE-10 not yet
    assert "PHQ-9 scores over time" in html and "cut-off 10" in html
    assert html.count("<table") == 2  # a table for each questionnaire measured
    assert "Reliable improvement" in html and "Not measured yet" in html
    assert "down 10 points: reliable improvement (6 points or more is reliable)" in html
    assert "Reliable and clinically significant improvement" in html  # the table's change
    assert AuditEvent.objects.filter(action="view", object_type="episode").exists()


def test_end_page_refused_before_an_order(mhtr_client, mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    url = reverse("mhtr:measures_end", kwargs={"public_id": episode.public_id})
    assert "recorded under an order" in mhtr_client.get(url).content.decode()
    assert mhtr_client.post(url, _form("phq9", phq9(5))).status_code == 200
    assert not Measure.objects.exists()
    assert current_stage_is(episode, Stage.SUITABILITY_ASSESSED)


def current_stage_is(episode, stage) -> bool:
    from healthjustice.journeys.selectors import current_stage

    return current_stage(episode) == stage


def test_trajectory_of_an_ld_episode_is_not_found(mhtr_client, mw):
    ld = make_episode(team=mw.team, person=mw.person)
    url = reverse("mhtr:measures", kwargs={"public_id": ld.public_id})
    assert mhtr_client.get(url).status_code == 404


# --- the end-of-treatment letter ----------------------------------------------------------------


def test_end_of_treatment_letter_starts_with_the_measures_and_what_they_show(mw):
    from healthjustice.mhtr.reports import END_LETTER

    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    _record(
        mw,
        episode,
        measures.assessment_occasion(episode),
        phq9=phq9(16),
        gad7=gad7(9),
        core10=[2] * 10,
    )
    _record(mw, episode, measures.end_occasion(), phq9=phq9(8), gad7=gad7(6))
    closure_record(
        actor=mw.worker,
        episode=episode,
        closure_reason=ClosureReason.ORDER_REVOKED,
        summary="Revoked",
    )
    text = END_LETTER.starting_text(mw.worker, episode)["measures"]
    assert "PHQ-9: 16 on" in text
    assert "reliable and clinically significant improvement; recovered" in text
    assert "GAD-7: 9 on" in text and "no reliable change." in text
    assert "CORE-10: 20 on" in text and "(measured once)" in text
    assert text.endswith(
        "PHQ-9 and GAD-7 together (NHS Talking Therapies): reliable improvement; recovery."
    )
    section = next(s for s in END_LETTER.sections if s.key == "measures")
    assert not section.required
