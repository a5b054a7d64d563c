import datetime

from django.utils import timezone

from healthjustice.journeys.choices import Stage
from tests.access.matrix import CARE_TEAM, CLINICAL, Case, allow
from tests.interventions.factories import OnwardReferralFactory, make_episode


def _episode(world):
    return world.get(
        "interventions_episode",
        lambda w: make_episode(team=w.team, person=w.person, stage=Stage.INTERVENTION),
    )


def _referral(world):
    return world.get(
        "interventions_referral",
        lambda w: OnwardReferralFactory(
            episode=_episode(w),
            created_by=w.users["practitioner"],
            first_appointment_on=timezone.localdate() - datetime.timedelta(days=1),
        ),
    )


def _episode_kwargs(world):
    return {"public_id": _episode(world).public_id}


def _referral_kwargs(world):
    return {"public_id": _referral(world).public_id}


# Someone in another team of the same trust may not know the episode exists: 404, not 403.
CARE_ONLY = allow(CARE_TEAM, practitioner_other_team=404)

CASES = [
    Case("interventions:follow_ups", allow(CLINICAL)),
    Case("interventions:referral_create", CARE_ONLY, kwargs=_episode_kwargs),
    Case("interventions:episode_close", CARE_ONLY, kwargs=_episode_kwargs),
    Case("interventions:referral_outcome", CARE_ONLY, kwargs=_referral_kwargs),
    Case(
        "interventions:follow_up_done",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_referral_kwargs,
        method="POST",
    ),
]
