"""The demo data has one person per MHTR team who arrived by a referral from probation."""

import pytest

from healthjustice.demo.loader import load_demo
from healthjustice.journeys.choices import ReferralSource, Stage
from healthjustice.journeys.models import CriminalJusticeContext
from healthjustice.journeys.selectors import current_stage
from healthjustice.mhtr.choices import ReferralRoute
from healthjustice.mhtr.models import MhtrReferral

pytestmark = pytest.mark.django_db


def test_demo_has_one_probation_referral_per_mhtr_team():
    ctx, fresh = load_demo(people=120, seed=5, log=lambda _msg: None)
    assert fresh
    for key in ("staffs.mhtr", "blackcountry.mhtr"):
        team = ctx.teams[key]
        referral = MhtrReferral.objects.get(episode__team=team, route=ReferralRoute.PROBATION)
        assert referral.from_episode is None and referral.referrer_name
        assert referral.referrer_organisation and referral.referrer_contact.startswith("01632")
        assert referral.episode.referral_source == ReferralSource.PROBATION
        assert current_stage(referral.episode) == Stage.REFERRED
        hearing = CriminalJusticeContext.objects.get(episode=referral.episode)
        assert hearing.court is not None and hearing.hearing_at > referral.episode.referred_at
