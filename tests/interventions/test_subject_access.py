import pytest
from django.utils import timezone

from healthjustice.governance.subject_access import subject_access_document
from healthjustice.interventions import services
from healthjustice.journeys.choices import Stage
from healthjustice.organisations.roles import Role
from tests.factories import TeamFactory, staff
from tests.interventions.factories import OnwardReferralFactory, make_episode

pytestmark = pytest.mark.django_db


def test_subject_access_export_holds_onward_referrals_and_closures():
    team = TeamFactory()
    worker = staff(Role.PRACTITIONER, team=team)
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    OnwardReferralFactory(
        episode=episode,
        created_by=worker,
        service_name="Stoke Recovery Service",
        attended=True,
        attended_on=timezone.localdate(),
        outcome="engaged",
    )
    services.closure_record(
        actor=worker, episode=episode, closure_reason="completed", summary="Handed on"
    )
    other = make_episode(team=team, stage=Stage.INTERVENTION)
    OnwardReferralFactory(episode=other, created_by=worker, service_name="Someone else's")

    document = subject_access_document(episode.person)

    [referral] = document["onward_referrals"]
    assert referral["service_name"] == "Stoke Recovery Service"
    assert referral["attended"] == "yes"
    assert referral["outcome"] == {"code": "engaged", "label": "Engaged with the service"}
    assert referral["episode"]["reference"] == str(episode.public_id)
    [closure] = document["episode_closures"]
    assert closure["reason"]["code"] == "completed"
    assert closure["outcome"] == "Handed on"
