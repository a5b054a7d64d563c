"""The demo data gives each RECONNECT team people at every stage built, through the services."""

import pytest
from django.utils import timezone

from healthjustice.demo.loader import load_demo
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.selectors import with_current_stage
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.models import Site
from healthjustice.reconnect.choices import Referrer
from healthjustice.reconnect.models import (
    FirstWeekAppointment,
    GateMeet,
    GatePlan,
    Handover,
    Recall,
    ReconnectReferral,
    ReleaseDetails,
    SupportContact,
    SupportExtension,
    SupportPlanNeed,
    SupportWorkerAllocation,
)

pytestmark = pytest.mark.django_db


def test_demo_gives_each_reconnect_team_people_at_every_stage_built():
    ctx, fresh = load_demo(people=120, seed=5, log=lambda _msg: None)
    assert fresh
    today = timezone.localdate()
    assert Site.objects.filter(kind=SiteKind.IMMIGRATION_REMOVAL_CENTRE).exists()
    assert Site.objects.get(name="HMP Birmingham").code == "BMI"
    for key in ("staffs.reconnect", "blackcountry.reconnect"):
        team = ctx.teams[key]
        episodes = Episode.objects.filter(team=team)
        referrals = ReconnectReferral.objects.filter(episode__team=team)
        # Every RECONNECT episode came through a referral.
        assert referrals.count() == episodes.count() >= 11
        assert {Referrer.LIAISON_DIVERSION, Referrer.RELEASE_LIST, Referrer.SELF} <= set(
            referrals.values_list("referrer", flat=True)
        )
        assert referrals.exclude(exception_reason="").count() == 1
        stages = set(with_current_stage(episodes).values_list("current_stage", flat=True))
        assert {
            Stage.REFERRED,
            Stage.ELIGIBILITY_CHECKED,
            Stage.PRE_RELEASE,
            Stage.RELEASED,
            Stage.CLOSED,
        } <= stages
        closures = set(
            EpisodeStatus.objects.filter(episode__team=team, stage=Stage.CLOSED).values_list(
                "closure_reason", flat=True
            )
        )
        assert {ClosureReason.NOT_ELIGIBLE, ClosureReason.ENHANCED_SERVICE} <= closures
        # Someone leaves tomorrow, and someone left today.
        assert CriminalJusticeContext.objects.filter(
            episode__team=team, prison_release_on=today + timezone.timedelta(days=1)
        ).exists()
        assert ReleaseDetails.objects.filter(episode__team=team, released_on=today).exists()
        # Someone moves to the other region on release: its team supports them there.
        assert (
            ReleaseDetails.objects.filter(episode__team=team)
            .exclude(area=team.region)
            .exclude(area=None)
            .exists()
        )
        # Contacts before release, and one after it.
        contacts = SupportContact.objects.filter(episode__team=team)
        assert contacts.filter(after_release=False).count() >= 3
        assert contacts.filter(after_release=True).exists()
        assert SupportPlanNeed.objects.filter(episode__team=team).count() >= 4
        assert GateMeet.objects.filter(episode__team=team, met=True).exists()
        # Support after release: someone with an extension, someone recalled.
        assert Stage.POST_RELEASE in stages
        assert SupportExtension.objects.filter(episode__team=team).exists()
        assert Recall.objects.filter(episode__team=team).exists()
        assert ClosureReason.RECALLED in closures
        # Release day planned ahead: a gate meet plan, first-week appointments, one attended.
        assert GatePlan.objects.filter(episode__team=team).exists()
        appointments = FirstWeekAppointment.objects.filter(episode__team=team)
        assert appointments.filter(attended=True).exists()
        assert appointments.filter(attended=None).exists()
        # Each team's peer support and STR workers, allocated to people.
        assert {m.worker_type for m in team.memberships.exclude(worker_type="")} == {
            "peer_support",
            "str",
        }
        assert SupportWorkerAllocation.objects.filter(episode__team=team).count() >= 2
        # A handover engaged at its first appointment, awaiting its 4-week check.
        handovers = Handover.objects.filter(episode__team=team)
        assert handovers.count() >= 2
        assert (
            handovers.filter(checks__kind="first_appointment")
            .exclude(checks__kind="four_weeks")
            .exists()
        )
