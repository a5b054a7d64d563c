"""The demo data gives each MHTR team people at every stage, made through the MHTR services."""

import datetime

import pytest
from django.utils import timezone

from healthjustice.demo.loader import load_demo
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.selectors import with_current_stage
from healthjustice.mhtr.choices import ProbationAction, SessionOutcome
from healthjustice.mhtr.models import (
    ComplianceNotice,
    CourtOutcome,
    MhtrReferral,
    NoticeDisclosure,
    TreatmentSession,
)
from healthjustice.organisations.choices import Pathway

pytestmark = pytest.mark.django_db


def test_demo_gives_each_mhtr_team_people_at_every_stage():
    ctx, fresh = load_demo(people=120, seed=5, log=lambda _msg: None)
    assert fresh
    today = timezone.localdate()
    for key in ("staffs.mhtr", "blackcountry.mhtr"):
        team = ctx.teams[key]
        episodes = Episode.objects.filter(team=team)
        # Every episode came through a referral: from the region's L&D team, but one from
        # probation (tests/mhtr/test_referral_routes_demo.py).
        referrals = MhtrReferral.objects.filter(episode__team=team)
        assert referrals.count() == episodes.count() >= 7
        referrals = referrals.filter(from_episode__isnull=False)
        assert all(
            r.from_episode.team.region_id == team.region_id
            and r.from_episode.pathway == Pathway.LIAISON_DIVERSION
            for r in referrals.select_related("from_episode__team")
        )
        stages = set(with_current_stage(episodes).values_list("current_stage", flat=True))
        assert {
            Stage.REFERRED,
            Stage.SUITABILITY_ASSESSED,
            Stage.ORDER_MADE,
            Stage.IN_TREATMENT,
            Stage.CLOSED,
        } <= stages
        closures = set(
            EpisodeStatus.objects.filter(episode__team=team, stage=Stage.CLOSED).values_list(
                "closure_reason", flat=True
            )
        )
        assert {
            ClosureReason.ORDER_COMPLETED,
            ClosureReason.ORDER_REVOKED,
            ClosureReason.NO_ORDER_MADE,
        } <= closures

        assessed = with_current_stage(episodes).get(current_stage=Stage.SUITABILITY_ASSESSED)
        assert assessed.suitabilities.get().outcome == "suitable"
        cj = CriminalJusticeContext.objects.get(episode=assessed)
        assert cj.psr_due_on == today + datetime.timedelta(days=1)

        treating = with_current_stage(episodes).get(current_stage=Stage.IN_TREATMENT)
        order = CourtOutcome.objects.get(episode=treating)
        assert order.planned_sessions == 12
        assert order.sentenced_on < today
        sessions = TreatmentSession.objects.filter(episode=treating)
        assert sessions.filter(outcome=SessionOutcome.ATTENDED).count() >= 3
        assert all(order.sentenced_on <= s.on <= order.ends_on for s in sessions)
        notices = ComplianceNotice.objects.filter(episode=treating)
        due = [n for n in notices if not NoticeDisclosure.objects.filter(notice=n).exists()]
        assert len(due) == 1 and due[0].due_on >= today
        sent = notices.exclude(pk=due[0].pk).get()
        assert [r.action for r in sent.responses.all()] == [ProbationAction.WARNING]

        # The completed order has its end-of-treatment letter to the GP, issued with consent.
        from healthjustice.assessments.models import Report

        completed = EpisodeStatus.objects.get(
            episode__team=team, closure_reason=ClosureReason.ORDER_COMPLETED
        ).episode
        letter = Report.objects.get(episode=completed, report_type="mhtr_end_letter")
        assert (letter.recipient, letter.lawful_basis) == ("gp", "consent")
        assert "Order completed" in str(letter.content["sections"])


def test_demo_measures_show_improvement_in_treatment_and_recovery_at_the_end():
    from healthjustice.mhtr.models import Measure
    from healthjustice.mhtr.outcomes import episode_outcomes, episode_summary

    ctx, _ = load_demo(people=120, seed=5, log=lambda _msg: None)
    for key in ("staffs.mhtr", "blackcountry.mhtr"):
        episodes = with_current_stage(Episode.objects.filter(team=ctx.teams[key]))
        treated = episodes.get(current_stage=Stage.IN_TREATMENT)
        occasions = set(Measure.objects.filter(episode=treated).values_list("occasion", flat=True))
        assert occasions == {"assessment", "session"}
        assert all(o.reliable_improvement for o in episode_outcomes(treated).values())
        assert episode_summary(treated).reliable_improvement
        completed = EpisodeStatus.objects.get(
            episode__team=ctx.teams[key], closure_reason=ClosureReason.ORDER_COMPLETED
        ).episode
        assert Measure.objects.filter(episode=completed, occasion="end").count() == 3
        summary = episode_summary(completed)
        assert summary.recovery and summary.reliable_recovery
