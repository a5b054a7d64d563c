import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.core.concurrency import StaleEditError
from healthjustice.interventions import services
from healthjustice.interventions.choices import ReferralOutcome, ServiceType
from healthjustice.interventions.models import ClosureOutcome, OnwardReferral
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.selectors import current_stage
from healthjustice.organisations.roles import Role
from tests.factories import TeamFactory, staff
from tests.interventions.factories import OnwardReferralFactory, make_episode

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def practitioner(team):
    return staff(Role.PRACTITIONER, team=team)


def _record(actor, episode, **overrides):
    kwargs = {
        "actor": actor,
        "episode": episode,
        "service_type": ServiceType.MENTAL_HEALTH,
        "service_name": "Community Mental Health Team",
        "referred_on": TODAY,
        "first_appointment_on": TODAY + datetime.timedelta(days=7),
        "supported_to_first_appointment": True,
    }
    kwargs.update(overrides)
    return services.referral_record(**kwargs)


def test_referral_record_from_assessed_moves_episode_to_intervention(team, practitioner):
    episode = make_episode(team=team, stage=Stage.ASSESSED)
    referral = _record(practitioner, episode)
    assert current_stage(episode) == Stage.INTERVENTION
    assert referral.created_by == practitioner
    assert referral.supported_to_first_appointment is True
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="onward_referral", object_id=str(referral.public_id)
    ).exists()


def test_referral_record_second_referral_does_not_move_the_episode_again(team, practitioner):
    episode = make_episode(team=team, stage=Stage.ASSESSED)
    _record(practitioner, episode)
    _record(practitioner, episode, service_type=ServiceType.HOUSING, service_name="Housing")
    assert episode.statuses.filter(stage=Stage.INTERVENTION).count() == 1
    assert episode.onward_referrals.count() == 2


def test_referral_record_from_screened_without_skip_reason_stores_nothing(team, practitioner):
    episode = make_episode(team=team, stage=Stage.SCREENED)
    with pytest.raises(ValidationError) as exc:
        _record(practitioner, episode)
    assert "Give a reason for skipping assessed" in str(exc.value.message_dict["skip_reason"])
    assert current_stage(episode) == Stage.SCREENED
    assert not OnwardReferral.objects.exists()


def test_referral_record_from_screened_with_skip_reason_keeps_the_reason(team, practitioner):
    episode = make_episode(team=team, stage=Stage.SCREENED)
    _record(practitioner, episode, skip_reason="Released before assessment; GP to follow up")
    latest = episode.statuses.order_by("-seq").first()
    assert latest.stage == Stage.INTERVENTION
    assert latest.skip_reason == "Released before assessment; GP to follow up"


def test_referral_record_date_in_the_future_is_refused(team, practitioner):
    episode = make_episode(team=team, stage=Stage.ASSESSED)
    with pytest.raises(ValidationError) as exc:
        _record(practitioner, episode, referred_on=TODAY + datetime.timedelta(days=1))
    assert "referred_on" in exc.value.message_dict
    assert current_stage(episode) == Stage.ASSESSED


def test_referral_record_date_before_the_episode_referral_is_refused(team, practitioner):
    episode = make_episode(
        team=team, stage=Stage.ASSESSED, referred_at=timezone.now() - datetime.timedelta(days=2)
    )
    with pytest.raises(ValidationError) as exc:
        _record(practitioner, episode, referred_on=TODAY - datetime.timedelta(days=3))
    assert "on or after the episode's referral date" in exc.value.message_dict["referred_on"][0]
    assert not OnwardReferral.objects.exists()


def test_referral_record_first_appointment_before_referral_is_refused(team, practitioner):
    episode = make_episode(team=team, stage=Stage.ASSESSED)
    with pytest.raises(ValidationError) as exc:
        _record(practitioner, episode, first_appointment_on=TODAY - datetime.timedelta(days=1))
    assert "first_appointment_on" in exc.value.message_dict


def test_referral_record_on_a_closed_episode_is_refused(team, practitioner):
    episode = make_episode(team=team, stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        _record(practitioner, episode)
    assert not OnwardReferral.objects.exists()


def test_referral_record_by_another_team_is_refused(team):
    episode = make_episode(team=team, stage=Stage.ASSESSED)
    outsider = staff(Role.PRACTITIONER)
    with pytest.raises(PermissionDenied):
        _record(outsider, episode)
    assert current_stage(episode) == Stage.ASSESSED


def _outcome(actor, referral, **overrides):
    kwargs = {
        "actor": actor,
        "referral": referral,
        "expected_version": referral.version,
        "first_appointment_on": TODAY - datetime.timedelta(days=1),
        "supported_to_first_appointment": True,
        "attended": True,
        "attended_on": TODAY - datetime.timedelta(days=1),
        "outcome": ReferralOutcome.ENGAGED,
        "outcome_notes": "Seen by the duty worker",
    }
    kwargs.update(overrides)
    return services.referral_update_outcome(**kwargs)


def test_referral_update_outcome_saves_and_completes_the_follow_up(team, practitioner):
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    referral = OnwardReferralFactory(episode=episode, created_by=practitioner)
    changed = _outcome(practitioner, referral)
    referral.refresh_from_db()
    assert referral.attended is True
    assert referral.outcome == ReferralOutcome.ENGAGED
    assert referral.version == 2
    assert referral.follow_up_done_at is not None
    assert referral.follow_up_done_by == practitioner
    assert {"attended", "attended_on", "outcome", "follow_up_done_at"} <= set(changed)
    event = AuditEvent.objects.filter(object_type="onward_referral", action=Action.UPDATE).get()
    assert "Seen by" not in str(event.detail)


def test_referral_update_outcome_with_a_stale_version_is_refused(team, practitioner):
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    referral = OnwardReferralFactory(episode=episode, created_by=practitioner)
    opened_version = referral.version
    _outcome(practitioner, referral, attended=None, attended_on=None, outcome="pending")
    with pytest.raises(StaleEditError):
        _outcome(practitioner, referral, expected_version=opened_version)
    referral.refresh_from_db()
    assert referral.attended is None
    assert referral.version == opened_version + 1


def test_referral_update_outcome_attended_without_a_date_is_refused(team, practitioner):
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    referral = OnwardReferralFactory(episode=episode, created_by=practitioner)
    with pytest.raises(ValidationError) as exc:
        _outcome(practitioner, referral, attended_on=None)
    assert "attended_on" in exc.value.message_dict
    referral.refresh_from_db()
    assert referral.version == 1


def test_referral_update_outcome_did_not_attend_with_attended_yes_is_refused(team, practitioner):
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    referral = OnwardReferralFactory(episode=episode, created_by=practitioner)
    with pytest.raises(ValidationError) as exc:
        _outcome(practitioner, referral, outcome=ReferralOutcome.DID_NOT_ATTEND)
    assert "outcome" in exc.value.message_dict


def test_referral_follow_up_done_twice_is_refused(team, practitioner):
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    referral = OnwardReferralFactory(
        episode=episode, created_by=practitioner, first_appointment_on=TODAY
    )
    done = services.referral_follow_up_done(actor=practitioner, referral=referral)
    assert done.follow_up_done_at is not None
    with pytest.raises(ValidationError, match="already"):
        services.referral_follow_up_done(actor=practitioner, referral=referral)


def test_closure_record_closes_with_reason_and_summary(team, practitioner):
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    outcome = services.closure_record(
        actor=practitioner,
        episode=episode,
        closure_reason=ClosureReason.COMPLETED,
        summary="Engaged with the community mental health team",
    )
    assert current_stage(episode) == Stage.CLOSED
    assert outcome.status.closure_reason == ClosureReason.COMPLETED
    assert outcome.status.stage == Stage.CLOSED
    assert AuditEvent.objects.filter(object_type="closure_outcome").exists()


def test_closure_record_on_a_closed_episode_gives_the_state_machine_message(team, practitioner):
    episode = make_episode(team=team, stage=Stage.CLOSED)
    with pytest.raises(ValidationError) as exc:
        services.closure_record(
            actor=practitioner,
            episode=episode,
            closure_reason=ClosureReason.OTHER,
            summary="Again",
        )
    assert "This episode is closed" in exc.value.messages[0]
    assert not ClosureOutcome.objects.exists()
    assert episode.statuses.count() == 2


def test_closure_record_without_a_summary_is_refused(team, practitioner):
    episode = make_episode(team=team, stage=Stage.ASSESSED)
    with pytest.raises(ValidationError):
        services.closure_record(
            actor=practitioner, episode=episode, closure_reason=ClosureReason.DECLINED, summary=" "
        )
    assert current_stage(episode) == Stage.ASSESSED
