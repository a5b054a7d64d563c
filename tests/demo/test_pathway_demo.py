"""The demo data (`seed_demo`) gives every pathway's teams work to show: L&D worklists in every
stage, MHTR teams people at every stage with their deadlines, measures and dashboard figures, and
RECONNECT teams people at every stage built, with release-day work first.

The demo is loaded once for the module (in each test process that runs one of its tests) and
rolled back at the end; each test runs in a savepoint of its own inside it, so what a test
changes (`reset_demo`, say) is gone before the next.
"""

import datetime
import re

import pytest
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from healthjustice.demo.loader import load_demo, reset_demo
from healthjustice.demo.registry import DemoContext
from healthjustice.journeys.choices import ClosureReason, ReferralSource, Stage
from healthjustice.journeys.models import (
    CriminalJusticeContext,
    CustodyEvent,
    Episode,
    EpisodeStatus,
)
from healthjustice.journeys.selectors import current_stage, with_current_stage
from healthjustice.journeys.stages import LIAISON_AND_DIVERSION
from healthjustice.mhtr.choices import ProbationAction, ReferralRoute, SessionOutcome
from healthjustice.mhtr.models import (
    ComplianceNotice,
    CourtOutcome,
    MhtrReferral,
    NoticeDisclosure,
    TreatmentSession,
)
from healthjustice.organisations.choices import Pathway, SiteKind
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
from healthjustice.reporting.forms import DEFAULT_MONTHS_SHOWN
from healthjustice.reporting.mhtr_dashboard import mhtr_sections
from healthjustice.reporting.periods import Month, recent_months
from healthjustice.reporting.reconnect_dashboard import reconnect_sections
from healthjustice.reporting.scope import dashboard_scopes
from healthjustice.reporting.selectors import mhtr_dashboard_facts, reconnect_dashboard_facts
from healthjustice.screening.models import RiskAlert
from healthjustice.worklist.selectors import explain, worklist_queryset

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """The whole demo (every app's seeder), loaded once and rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(people=120, seed=5, log=lambda _msg: None)
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_demo) -> tuple[DemoContext, bool]:
    return loaded_demo


def test_demo_fills_worklists_in_every_stage_and_reset_removes_them(demo):
    ctx, fresh = demo
    assert fresh
    custody = ctx.teams["staffs.custody"]
    stages = set(
        with_current_stage(Episode.objects.filter(team=custody)).values_list(
            "current_stage", flat=True
        )
    )
    assert stages == set(LIAISON_AND_DIVERSION.stages)
    practitioner = ctx.users["practitioner.staffs"]
    rows = list(worklist_queryset(practitioner, team_id=custody.id))
    words = [r.text for row in rows for r in explain(row)]
    assert any("of 24 in custody" in w for w in words)
    assert "27 hours of 36 in custody (extended)" in words
    assert CustodyEvent.objects.filter(episode__team=custody, kind="left").exists()
    assert any(w.startswith("Risk alert: PHQ-9") for w in words)
    assert any(w.startswith("Follow-up overdue since") for w in words)
    court_rows = worklist_queryset(
        ctx.users["practitioner2.staffs"], team_id=ctx.teams["staffs.court"].id
    )
    assert any(w.text.startswith("Court hearing in") for r in court_rows for w in explain(r))
    assert list(worklist_queryset(practitioner, mine=True))
    per_team = Episode.objects.values("team").annotate(n=Count("pk"))
    assert all(row["n"] >= 1 for row in per_team)

    reset_demo()
    assert not Episode.objects.exists()
    assert not RiskAlert.objects.exists()


def test_demo_worklists_show_mhtr_deadlines_and_reconnect_release_day_work(demo, signed_in):
    ctx, fresh = demo
    assert fresh
    for region in ("staffs", "blackcountry"):
        manager = ctx.users[f"service_manager.{region}"]
        team = ctx.teams[f"{region}.mhtr"]
        rows = list(worklist_queryset(manager, team_id=team.id))
        words = [[r.text for r in explain(row)] for row in rows]
        flat = [w for row in words for w in row]
        assert any(w.startswith("PSR due tomorrow (") for w in flat), flat
        assert any(w.startswith("Compliance notice due") for w in flat), flat
        assert any(w.startswith("First appointment due by ") for w in flat), flat
        # The three deadlines come before the episodes with none.
        firsts = [row[0] for row in words[:3]]
        assert {w.split(" ")[0] for w in firsts} == {"PSR", "Compliance", "First"}, words
        # The person leaving tomorrow with no gate meet planned heads the RECONNECT team's list.
        rows = list(worklist_queryset(manager, team_id=ctx.teams[f"{region}.reconnect"].id))
        top = [r.text for r in explain(rows[0])]
        assert top[0].startswith("Release tomorrow (") and "no gate meet planned" in top[0], top

    html = (
        signed_in(ctx.users["service_manager.staffs"])
        .get(reverse("worklist:home"), {"team": str(ctx.teams["staffs.mhtr"].public_id)})
        .content.decode()
    )
    assert "PSR due tomorrow" in html and "First appointment due by" in html


def test_demo_gives_each_mhtr_team_people_at_every_stage(demo):
    ctx, fresh = demo
    assert fresh
    today = timezone.localdate()
    for key in ("staffs.mhtr", "blackcountry.mhtr"):
        team = ctx.teams[key]
        episodes = Episode.objects.filter(team=team)
        # Every episode came through a referral: from the region's L&D team, but one from
        # probation (test_demo_has_one_probation_referral_per_mhtr_team).
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


def test_demo_measures_show_improvement_in_treatment_and_recovery_at_the_end(demo):
    from healthjustice.mhtr.models import Measure
    from healthjustice.mhtr.outcomes import episode_outcomes, episode_summary

    ctx, _ = demo
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


def test_demo_has_one_probation_referral_per_mhtr_team(demo):
    ctx, fresh = demo
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


DASHBOARDS = {
    # pathway: (team, facts, sections, page, charts)
    Pathway.MHTR: ("mhtr", mhtr_dashboard_facts, mhtr_sections, "mhtr_dashboard", 9),
    Pathway.RECONNECT: (
        "reconnect",
        reconnect_dashboard_facts,
        reconnect_sections,
        "reconnect_dashboard",
        7,
    ),
}


@pytest.mark.parametrize("pathway", list(DASHBOARDS))
def test_demo_pathway_dashboard_shows_every_figure_in_the_default_months(pathway, demo, signed_in):
    team_kind, dashboard_facts, sections, url_name, charts = DASHBOARDS[pathway]
    ctx, _ = demo
    manager = ctx.users["service_manager.staffs"]
    team = ctx.teams[f"staffs.{team_kind}"]
    scopes = dashboard_scopes(manager, pathway=pathway)
    assert any(s.team_ids == (team.id,) for s in scopes)

    first, last = recent_months(DEFAULT_MONTHS_SHOWN)[-1], Month.current()
    facts = dashboard_facts((team.id,), first, last)
    for section in sections(facts, first, last):
        total = section.blocks[0].table.total
        assert total is not None
        # The "All months" row: a count (or n) above zero in every figure.
        numbers = [c.value for c in total[1] if c.kind == "count"]
        assert any(n and n > 0 for n in numbers), section.id

    page = signed_in(manager).get(reverse(f"reporting:{url_name}")).content.decode()
    assert page.count('class="hj-chart" id=') == charts
    assert re.search(r"<rect ", page), "at least one bar is drawn"


def test_demo_gives_each_reconnect_team_people_at_every_stage_built(demo):
    ctx, fresh = demo
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
