"""The MHTR pathway's rules, each with the input that breaks it: a clear message, and nothing
stored half-way."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from healthjustice.assessments.choices import ConsentPurpose
from healthjustice.assessments.models import Consent
from healthjustice.assessments.services import consent_withdraw
from healthjustice.journeys.choices import ClosureReason, ReferralSource, Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import current_stage
from healthjustice.mhtr import services, workdays
from healthjustice.mhtr.choices import ProbationAction, SessionOutcome, Suitability
from healthjustice.mhtr.models import (
    ComplianceNotice,
    CourtOutcome,
    MhtrReferral,
    NoticeDisclosure,
    SuitabilityAssessment,
    TeamSettings,
    TreatmentSession,
)
from healthjustice.organisations.choices import Pathway
from healthjustice.people.access import person_is_visible_to
from tests.factories import MembershipFactory, TeamFactory, staff
from tests.interventions.factories import make_episode
from tests.mhtr.factories import (
    make_mhtr_episode,
    order_input,
    ordered_episode,
    session,
    suitable_episode,
    suitable_input,
)

TODAY = timezone.localdate


def _days(n: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=n)


def _messages(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


# --- referral from L&D ------------------------------------------------------------------------


def test_referral_from_ld_opens_a_linked_mhtr_episode_in_the_regions_team(mw):
    ld = make_episode(team=mw.ld_team, person=mw.person)
    referral = services.referral_from_ld(
        actor=mw.ld_worker, from_episode=ld, reason="Low mood; likely community order"
    )
    episode = referral.episode
    assert referral.from_episode == ld
    assert episode.team == mw.team and episode.pathway == Pathway.MHTR
    assert episode.person == mw.person
    assert episode.referral_source == ReferralSource.LIAISON_DIVERSION
    assert episode.reason == "Low mood; likely community order"
    assert current_stage(episode) == Stage.REFERRED
    # The MHTR team can now see the person it was referred.
    assert person_is_visible_to(mw.worker, mw.person)


def test_referral_needs_an_mhtr_team_in_the_region(mw):
    elsewhere = TeamFactory(name="Cumbria custody L&D")
    ld = make_episode(team=elsewhere)
    worker = staff(team=elsewhere)
    with pytest.raises(ValidationError) as exc:
        services.referral_from_ld(actor=worker, from_episode=ld, reason="Low mood")
    assert "There is no MHTR team in" in _messages(exc)
    assert not MhtrReferral.objects.exists()
    assert not Episode.objects.filter(pathway=Pathway.MHTR).exists()


def test_referral_needs_a_reason_and_an_open_ld_episode(mw):
    ld = make_episode(team=mw.ld_team, person=mw.person)
    with pytest.raises(ValidationError) as exc:
        services.referral_from_ld(actor=mw.ld_worker, from_episode=ld, reason="  ")
    assert "Enter the reason" in _messages(exc)
    closed = make_episode(team=mw.ld_team, person=mw.person, stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        services.referral_from_ld(actor=mw.ld_worker, from_episode=closed, reason="Low mood")
    assert not MhtrReferral.objects.exists()


def test_referral_refused_while_an_mhtr_episode_is_open(mw):
    ld = make_episode(team=mw.ld_team, person=mw.person)
    services.referral_from_ld(actor=mw.ld_worker, from_episode=ld, reason="Low mood")
    with pytest.raises(ValidationError, match="already has an open episode"):
        services.referral_from_ld(actor=mw.ld_worker, from_episode=ld, reason="Again")
    assert MhtrReferral.objects.count() == 1


def test_referral_only_from_an_ld_episode_and_by_its_team(mw):
    mhtr = make_mhtr_episode(team=mw.team, person=mw.person)
    both = staff(team=mw.team)
    MembershipFactory(user=both, team=mw.ld_team)
    with pytest.raises(ValidationError, match="Liaison and Diversion"):
        services.referral_from_ld(actor=both, from_episode=mhtr, reason="Low mood")
    ld = make_episode(team=mw.ld_team, person=mw.person)
    with pytest.raises(PermissionDenied):
        services.referral_from_ld(actor=mw.worker, from_episode=ld, reason="Low mood")


# --- suitability ------------------------------------------------------------------------------


def test_suitable_when_every_condition_holds_moves_the_episode_and_records_willingness(mw):
    episode = make_mhtr_episode(team=mw.team, person=mw.person)
    assessment = services.suitability_record(
        actor=mw.worker, episode=episode, data=suitable_input()
    )
    assert assessment.outcome == Suitability.SUITABLE
    assert current_stage(episode) == Stage.SUITABILITY_ASSESSED
    consent = Consent.objects.get(person=mw.person, purpose=ConsentPurpose.MHTR)
    assert assessment.willingness.consent == consent
    assert assessment.willingness.status == "given"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"offence_community_threshold": False}, "community or suspended sentence"),
        ({"guilt": "not_guilty"}, "pleaded or been found guilty"),
        ({"requires_treatment": False}, "require, and may be susceptible to"),
        ({"not_hospital_order": False}, "hospital or guardianship order"),
        ({"arrangements_in_place": False}, "arrangements for treatment"),
        ({"gp": "neither"}, "registered with a GP"),
        ({"willing": False}, "willing to comply"),
    ],
)
def test_suitable_refused_naming_the_condition_missing(mw, change, named):
    episode = make_mhtr_episode(team=mw.team, person=mw.person)
    with pytest.raises(ValidationError) as exc:
        services.suitability_record(actor=mw.worker, episode=episode, data=suitable_input(**change))
    assert named in exc.value.message_dict["outcome"][0]
    assert not SuitabilityAssessment.objects.exists()
    assert not Consent.objects.filter(purpose=ConsentPurpose.MHTR).exists()
    assert current_stage(episode) == Stage.REFERRED


def test_suitable_refused_under_18_at_the_assessment_date(mw):
    assessed = _days(5)
    mw.person.date_of_birth = assessed.replace(year=assessed.year - 18) + datetime.timedelta(1)
    mw.person.save()
    episode = make_mhtr_episode(team=mw.team, person=mw.person)
    with pytest.raises(ValidationError) as exc:
        services.suitability_record(
            actor=mw.worker, episode=episode, data=suitable_input(assessed_on=assessed)
        )
    assert "they are 17" in exc.value.message_dict["outcome"][0]
    # Eighteen on the day of the assessment is old enough.
    mw.person.date_of_birth = assessed.replace(year=assessed.year - 18)
    mw.person.save()
    services.suitability_record(
        actor=mw.worker, episode=episode, data=suitable_input(assessed_on=assessed)
    )


def test_suitable_refused_without_a_date_of_birth(mw):
    mw.person.date_of_birth = None
    mw.person.save()
    episode = make_mhtr_episode(team=mw.team, person=mw.person)
    with pytest.raises(ValidationError, match="date of birth is not recorded"):
        services.suitability_record(actor=mw.worker, episode=episode, data=suitable_input())


def test_not_suitable_may_be_recorded_with_conditions_unmet(mw):
    episode = make_mhtr_episode(team=mw.team, person=mw.person)
    assessment = services.suitability_record(
        actor=mw.worker,
        episode=episode,
        data=suitable_input(willing=False, outcome=Suitability.NOT_SUITABLE),
    )
    assert services.unmet_conditions_of(assessment) == [
        "they must be willing to comply with the requirement"
    ]
    assert assessment.willingness.status == "refused"


def test_suitability_date_neither_future_nor_before_the_referral(mw):
    episode = make_mhtr_episode(team=mw.team, person=mw.person, days_ago=10)
    for day, words in ((_days(-1), "today or in the past"), (_days(11), "on or after")):
        with pytest.raises(ValidationError) as exc:
            services.suitability_record(
                actor=mw.worker, episode=episode, data=suitable_input(assessed_on=day)
            )
        assert words in exc.value.message_dict["assessed_on"][0]
    assert not SuitabilityAssessment.objects.exists()


def test_suitability_refused_after_sentence(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    with pytest.raises(ValidationError, match="only before sentence"):
        services.suitability_record(actor=mw.worker, episode=episode, data=suitable_input())
    assert SuitabilityAssessment.objects.count() == 1


# --- the order --------------------------------------------------------------------------------


def test_order_moves_to_order_made_with_its_end_computed(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    order = CourtOutcome.objects.get(episode=episode)
    start = order.starts_on
    assert order.ends_on == workdays.period_end(start, 6)
    assert order.ends_on > start
    assert order.planned_sessions == 12
    assert current_stage(episode) == Stage.ORDER_MADE


def test_order_planned_sessions_default_is_the_teams_setting(mw):
    TeamSettings.objects.create(team=mw.team, planned_sessions=8)
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    assert episode.mhtr_order.planned_sessions == 8


def test_order_refused_before_suitability_is_recorded_as_suitable(mw):
    episode = make_mhtr_episode(team=mw.team, person=mw.person, stage=Stage.SUITABILITY_ASSESSED)
    with pytest.raises(ValidationError, match="finds them suitable"):
        services.order_record(actor=mw.worker, episode=episode, data=order_input())
    services.suitability_record(
        actor=mw.worker,
        episode=episode,
        data=suitable_input(willing=False, outcome=Suitability.NOT_SUITABLE),
    )
    with pytest.raises(ValidationError, match="finds them suitable"):
        services.order_record(actor=mw.worker, episode=episode, data=order_input())
    assert not CourtOutcome.objects.exists()
    assert current_stage(episode) == Stage.SUITABILITY_ASSESSED


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"sentenced_on": _days(-1)}, "sentenced_on", "today or in the past"),
        ({"sentenced_on": _days(25)}, "sentenced_on", "on or after the suitability assessment"),
        ({"starts_on": _days(11)}, "starts_on", "on or after the date of sentence"),
        ({"months": 0}, "months", "ends after it starts"),
        ({"months": 37}, "months", "between 1 and 36"),
        ({"clinician_register": "gmc", "clinician_number": "123456"}, "clinician_number", "GMC"),
        ({"clinician_register": "hcpc", "clinician_number": "1234567"}, "clinician_number", "HCPC"),
        ({"clinician_name": " "}, "clinician_name", "Enter the name"),
        ({"court": ""}, "court", "Enter the court"),
        ({"probation_practitioner": ""}, "probation_practitioner", "probation practitioner"),
        ({"probation_delivery_unit": ""}, "probation_delivery_unit", "delivery unit"),
        ({"order_type": "fine"}, "order_type", "Select"),
        ({"skip_reason": ""}, "skip_reason", "Give a reason for skipping"),
    ],
)
def test_order_bad_input_is_refused_on_its_field(mw, change, field, words):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    with pytest.raises(ValidationError) as exc:
        services.order_record(actor=mw.worker, episode=episode, data=order_input(**change))
    assert words in exc.value.message_dict[field][0]
    assert not CourtOutcome.objects.exists()
    assert current_stage(episode) == Stage.SUITABILITY_ASSESSED


def test_order_accepts_both_registers_number_formats(mw):
    assert services.clinician_number_error("gmc", "1234567") is None
    assert services.clinician_number_error("hcpc", "PYL12345") is None
    assert services.clinician_number_error("hcpc", "PA12345") is None
    assert services.clinician_number_error("gmc", "GMC1234") is not None


def test_order_refused_for_someone_under_18(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    sentenced = _days(10)
    mw.person.date_of_birth = sentenced.replace(year=sentenced.year - 17)
    mw.person.save()
    with pytest.raises(ValidationError) as exc:
        services.order_record(actor=mw.worker, episode=episode, data=order_input())
    assert "under 18" in exc.value.message_dict["sentenced_on"][0]
    assert not CourtOutcome.objects.exists()


def test_withdrawn_willingness_before_sentence_ends_the_proposal(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    consent = Consent.objects.get(person=mw.person, purpose=ConsentPurpose.MHTR)
    consent_withdraw(actor=mw.worker, consent=consent)
    with pytest.raises(ValidationError, match="willingness to comply is not in force"):
        services.order_record(actor=mw.worker, episode=episode, data=order_input())
    assert not CourtOutcome.objects.exists()


def test_order_needs_no_skip_reason_from_awaiting_sentence(mw):
    episode = make_mhtr_episode(team=mw.team, person=mw.person, stage=Stage.AWAITING_SENTENCE)
    services.suitability_record(actor=mw.worker, episode=episode, data=suitable_input())
    services.order_record(actor=mw.worker, episode=episode, data=order_input(skip_reason=""))
    assert current_stage(episode) == Stage.ORDER_MADE


def test_order_recorded_once(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    with pytest.raises(ValidationError, match="already recorded"):
        services.order_record(actor=mw.worker, episode=episode, data=order_input())
    assert CourtOutcome.objects.count() == 1


def test_no_order_made_keeps_the_sentence_and_closes(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    outcome = services.no_order_record(
        actor=mw.worker,
        episode=episode,
        court="Stoke Magistrates",
        sentenced_on=_days(3),
        sentence_given="Fine of £200",
    )
    assert not outcome.order_made
    status = episode.statuses.order_by("-seq").first()
    assert status.stage == Stage.CLOSED
    assert status.closure_reason == ClosureReason.NO_ORDER_MADE


def test_no_order_needs_the_sentence_and_a_past_date(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    with pytest.raises(ValidationError) as exc:
        services.no_order_record(
            actor=mw.worker,
            episode=episode,
            court="Stoke",
            sentenced_on=_days(-2),
            sentence_given="",
        )
    assert set(exc.value.message_dict) == {"sentenced_on", "sentence_given"}
    assert not CourtOutcome.objects.exists()
    assert current_stage(episode) == Stage.SUITABILITY_ASSESSED


# --- sessions ---------------------------------------------------------------------------------


def test_session_date_within_the_order(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    order = episode.mhtr_order
    with pytest.raises(ValidationError) as exc:
        session(episode, mw.worker, days_ago=11)
    assert "before the date of sentence" in exc.value.message_dict["on"][0]
    after = (TODAY() - order.ends_on).days - 1
    with pytest.raises(ValidationError) as exc:
        session(episode, mw.worker, days_ago=after)
    assert "after the order ends" in exc.value.message_dict["on"][0]
    assert not TreatmentSession.objects.exists()
    session(episode, mw.worker, days_ago=10)  # the day of sentence is allowed


def test_session_refused_without_an_order(mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    with pytest.raises(ValidationError, match="under an order"):
        session(episode, mw.worker)


def test_first_attended_session_starts_treatment(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    first = session(episode, mw.worker)
    services.session_outcome_record(
        actor=mw.worker, session=first, expected_version=1, outcome=SessionOutcome.ATTENDED
    )
    assert current_stage(episode) == Stage.IN_TREATMENT
    second = session(episode, mw.worker, days_ago=1)
    services.session_outcome_record(
        actor=mw.worker, session=second, expected_version=1, outcome=SessionOutcome.ATTENDED
    )
    assert current_stage(episode) == Stage.IN_TREATMENT
    assert not ComplianceNotice.objects.exists()


def test_session_outcome_refuses_a_stale_edit(mw):
    from healthjustice.core.concurrency import StaleEditError

    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    booked = session(episode, mw.worker)
    services.session_outcome_record(
        actor=mw.worker,
        session=booked,
        expected_version=1,
        outcome=SessionOutcome.CANCELLED_BY_SERVICE,
    )
    with pytest.raises(StaleEditError):
        services.session_outcome_record(
            actor=mw.worker, session=booked, expected_version=1, outcome=SessionOutcome.ATTENDED
        )
    booked.refresh_from_db()
    assert booked.outcome == SessionOutcome.CANCELLED_BY_SERVICE


def test_session_outcome_not_before_the_session_and_reason_for_a_cancellation(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    future = session(episode, mw.worker, days_ago=-3)
    with pytest.raises(ValidationError, match="on or after that day"):
        services.session_outcome_record(
            actor=mw.worker, session=future, expected_version=1, outcome=SessionOutcome.ATTENDED
        )
    past = session(episode, mw.worker)
    with pytest.raises(ValidationError) as exc:
        services.session_outcome_record(
            actor=mw.worker,
            session=past,
            expected_version=1,
            outcome=SessionOutcome.CANCELLED_ACCEPTABLE,
        )
    assert "reason they gave" in exc.value.message_dict["absence_reason"][0]
    past.refresh_from_db()
    assert past.outcome == "" and past.version == 1


# --- compliance notices -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "outcome", [SessionOutcome.DID_NOT_ATTEND, SessionOutcome.CANCELLED_UNACCEPTABLE]
)
def test_an_absence_creates_a_notice_due_in_working_days(mw, outcome):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    missed = session(episode, mw.worker)
    services.session_outcome_record(
        actor=mw.worker,
        session=missed,
        expected_version=1,
        outcome=outcome,
        absence_reason="Overslept",
    )
    notice = ComplianceNotice.objects.get(session=missed)
    assert notice.due_on == workdays.add_working_days(missed.on, 1)
    assert notice.due_on > missed.on


def test_notice_due_date_skips_weekends_and_bank_holidays():
    # Thursday 24 December 2026: Christmas, Boxing Day (Saturday), the weekend and the
    # substitute bank holiday on Monday 28th come before the next working day.
    assert workdays.add_working_days(datetime.date(2026, 12, 24), 1) == datetime.date(2026, 12, 29)
    # Friday: the next working day is Monday.
    assert workdays.add_working_days(datetime.date(2026, 6, 5), 1) == datetime.date(2026, 6, 8)
    # Maundy Thursday 2026: Good Friday and Easter Monday are bank holidays.
    assert workdays.add_working_days(datetime.date(2026, 4, 2), 2) == datetime.date(2026, 4, 8)


def test_notice_working_days_are_the_teams_setting(mw):
    TeamSettings.objects.create(team=mw.team, notice_working_days=3)
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    missed = session(episode, mw.worker)
    services.session_outcome_record(
        actor=mw.worker, session=missed, expected_version=1, outcome=SessionOutcome.DID_NOT_ATTEND
    )
    assert missed.notice.due_on == workdays.add_working_days(missed.on, 3)


@pytest.mark.parametrize(
    "outcome",
    [SessionOutcome.ATTENDED, SessionOutcome.CANCELLED_BY_SERVICE, ""],
)
def test_a_notice_with_no_absence_is_refused(mw, outcome):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    booked = session(episode, mw.worker)
    if outcome:
        services.session_outcome_record(
            actor=mw.worker, session=booked, expected_version=1, outcome=outcome
        )
    with pytest.raises(ValidationError, match="needs an absence"):
        services.notice_create(actor=mw.worker, session=booked)
    assert not ComplianceNotice.objects.exists()


def _notice(mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    missed = session(episode, mw.worker)
    services.session_outcome_record(
        actor=mw.worker, session=missed, expected_version=1, outcome=SessionOutcome.DID_NOT_ATTEND
    )
    return ComplianceNotice.objects.get(session=missed)


def test_notice_sent_is_a_frozen_disclosure_record(mw):
    notice = _notice(mw)
    disclosure = services.notice_send(
        actor=mw.worker, notice=notice, sent_on=TODAY(), recipient="Sam Example", method="phone"
    )
    assert "Did not attend" in disclosure.content
    assert "Sam Example" in disclosure.content
    with pytest.raises(ValidationError, match="already been sent"):
        services.notice_send(
            actor=mw.worker, notice=notice, sent_on=TODAY(), recipient="Sam", method="phone"
        )
    with pytest.raises(PermissionError):
        disclosure.save()


def test_notice_sent_date_and_recipient_checked(mw):
    notice = _notice(mw)
    with pytest.raises(ValidationError) as exc:
        services.notice_send(
            actor=mw.worker, notice=notice, sent_on=_days(3), recipient=" ", method="pigeon"
        )
    assert set(exc.value.message_dict) == {"sent_on", "recipient", "method"}
    assert not NoticeDisclosure.objects.exists()


def test_what_probation_did_is_recorded(mw):
    notice = _notice(mw)
    services.probation_response_record(
        actor=mw.worker, notice=notice, action=ProbationAction.WARNING, told_on=TODAY()
    )
    assert [r.action for r in notice.responses.all()] == ["warning"]
    with pytest.raises(ValidationError) as exc:
        services.probation_response_record(
            actor=mw.worker, notice=notice, action="jail", told_on=_days(-1)
        )
    assert set(exc.value.message_dict) == {"action", "told_on"}
    assert notice.responses.count() == 1


def test_an_outcome_with_a_notice_cannot_be_changed(mw):
    notice = _notice(mw)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.session_outcome_record(
            actor=mw.worker,
            session=notice.session,
            expected_version=2,
            outcome=SessionOutcome.ATTENDED,
        )


# --- ending -----------------------------------------------------------------------------------


def test_an_order_ends_through_the_stage_machine(mw):
    from healthjustice.interventions.services import closure_record

    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    with pytest.raises(ValidationError):  # completed only once in treatment
        closure_record(
            actor=mw.worker,
            episode=episode,
            closure_reason=ClosureReason.ORDER_COMPLETED,
            summary="Done",
        )
    closure_record(
        actor=mw.worker,
        episode=episode,
        closure_reason=ClosureReason.ORDER_REVOKED,
        summary="Revoked by the court",
    )
    assert current_stage(episode) == Stage.CLOSED
    with pytest.raises(ValidationError, match="under an order"):
        session(episode, mw.worker)
