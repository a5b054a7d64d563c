"""Demo MHTR caseloads: each region's MHTR team has people at every stage of the pathway.

Every MHTR episode starts as a referral from an episode of the region's court liaison and
diversion team (`mhtr.services.referral_from_ld`), and everything after it goes through the MHTR
services: a suitability assessment with willingness given and the pre-sentence report due
tomorrow; an order in treatment with sessions attended, one absence whose compliance notice is
due and one whose notice was sent and answered with a warning; an order just made with its
first session booked; one completed, one revoked; and one where the court made no order.

The services date their records now; a referral made months ago has its episode's referral
time set back (demo only), so that the assessment, sentence and sessions can fall in the past.
One person per team arrives instead by a referral from probation, recorded by the MHTR team
(`mhtr.referrals.referral_receive`), and waits at *referred*.

Runs after the journeys seeder, which leaves MHTR teams to this one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import count

from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.assessments.models import Consent
from healthjustice.demo.people import demo_people
from healthjustice.demo.registry import DemoContext, register_demo_reset, register_demo_seeder
from healthjustice.demo.seeders.journeys import _delete_with_dependants
from healthjustice.interventions.services import closure_record
from healthjustice.journeys import services as journeys
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import Episode
from healthjustice.mhtr import services
from healthjustice.mhtr.choices import (
    AssessmentMode,
    GpStatus,
    GuiltStatus,
    NoticeMethod,
    OrderType,
    ProbationAction,
    ReferralRoute,
    Register,
    SessionMode,
    SessionOutcome,
    Suitability,
    Tier,
    TreatmentType,
)
from healthjustice.mhtr.models import ComplianceNotice, CourtOutcome
from healthjustice.mhtr.referrals import OutsideReferral, referral_receive, referral_teams
from healthjustice.mhtr.workdays import is_working_day
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person

D = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)
REGIONS = ("staffs", "blackcountry")
PLANNED_SESSIONS = 12
SESSION_AT = datetime.time(10, 30)
ATTENDED, DNA = SessionOutcome.ATTENDED, SessionOutcome.DID_NOT_ATTEND
CLINICIANS = {
    "staffs": ("Dr Hannah Okafor", Register.HCPC, "PYL28417"),
    "blackcountry": ("Dr Rajesh Bansal", Register.GMC, "7312845"),
}
PROBATION = {
    "staffs": ("Gemma Whitfield", "Stoke-on-Trent PDU"),
    "blackcountry": ("Marcus Eze", "Wolverhampton PDU"),
}


@dataclass(frozen=True)
class Case:
    """One demo MHTR episode; days are counted back from today."""

    stage: str  # the episode's last stage, or a closure reason
    referred: int
    reason: str
    assessed: int | None = None
    sentenced: int | None = None
    months: int = 12
    gap: int = 7  # days between sessions
    sessions: tuple[str, ...] = ()  # outcomes of past sessions, oldest first
    booked: int = 0  # sessions still to come
    responses: tuple[str, ...] = ()  # probation's answer to each absence's notice, if sent


CASES = (
    Case(
        Stage.REFERRED,
        0,
        "Court liaison found low mood and self-harm; probation is preparing a report.",
    ),
    Case(
        Stage.SUITABILITY_ASSESSED,
        7,
        "Depression since a bereavement; the defence asked for an alternative to custody.",
        assessed=3,
    ),
    Case(
        Stage.IN_TREATMENT,
        74,
        "Anxiety and panic attacks; offending linked to avoidance and drinking.",
        assessed=68,
        sentenced=56,
        sessions=(ATTENDED, ATTENDED, ATTENDED, DNA, ATTENDED, ATTENDED, ATTENDED, DNA),
        booked=2,
        responses=(ProbationAction.WARNING,),
    ),
    Case(
        Stage.ORDER_MADE,
        30,
        "Post-traumatic stress after military service; angry outbursts.",
        assessed=24,
        sentenced=2,
        booked=1,
    ),
    Case(
        ClosureReason.ORDER_COMPLETED,
        330,
        "Low mood and poor sleep; first offence.",
        assessed=320,
        sentenced=300,
        months=6,
        gap=14,
        sessions=(ATTENDED,) * PLANNED_SESSIONS,
    ),
    Case(
        ClosureReason.ORDER_REVOKED,
        200,
        "Emotional instability and self-harm; repeated shoplifting.",
        assessed=195,
        sentenced=180,
        sessions=(ATTENDED, ATTENDED, DNA, ATTENDED, DNA),
        responses=(ProbationAction.WARNING, ProbationAction.ORDER_REVOKED),
    ),
    Case(
        ClosureReason.NO_ORDER_MADE,
        40,
        "Obsessive-compulsive disorder; criminal damage at a neighbour's house.",
        assessed=35,
        sentenced=20,
    ),
)


def _working_day_before(day: datetime.date) -> datetime.date:
    day -= D
    while not is_working_day(day):
        day -= D
    return day


def _working_day_from(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += D
    return day


def _adult(person: Person, today: datetime.date) -> bool:
    age = services.age_on(person, today - 400 * D)
    return age is not None and age >= services.ADULT_AGE


def _people(ctx: DemoContext, region: str, today: datetime.date) -> list[Person]:
    """Adults the region's teams know, with no episode yet, so each case is their only one."""
    pool: list[Person] = []
    for kind in ("court", "mhtr", "custody"):
        for person in ctx.people_by_team.get(f"{region}.{kind}", []):
            if person not in pool and _adult(person, today):
                pool.append(person)
    busy = set(Episode.objects.filter(person__in=pool).values_list("person_id", flat=True))
    return [p for p in pool if p.pk not in busy]


class _Region:
    def __init__(self, ctx: DemoContext, region: str) -> None:
        self.region = region
        self.court = ctx.teams[f"{region}.court"]
        self.actor: User = ctx.users[f"service_manager.{region}"]
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate(self.now)
        self.sites = list(self.court.sites.filter(is_active=True).order_by("name"))
        self.numbers = count()

    def day(self, days_ago: int) -> datetime.date:
        return self.today - days_ago * D

    def case(self, case: Case, person: Person) -> Episode:
        ld = self._ld_episode(case, person)
        referral = services.referral_from_ld(actor=self.actor, from_episode=ld, reason=case.reason)
        episode = referral.episode
        if case.referred:
            # Demo only: the referral was made on the day of the hearing, not at load time.
            referred_at = ld.referred_at + 3 * H
            Episode.objects.filter(pk=episode.pk).update(referred_at=referred_at)
            episode.referred_at = referred_at
            self._close_ld(ld, referred_at + H)
        if case.assessed is None:
            return episode
        self._suitability(episode, case)
        if case.sentenced is not None:
            self._before_sentence(episode)
        if case.stage == ClosureReason.NO_ORDER_MADE:
            services.no_order_record(
                actor=self.actor,
                episode=episode,
                court=self._court_name(),
                sentenced_on=self.day(case.sentenced or 0),
                sentence_given="Community order with 150 hours of unpaid work",
            )
            return episode
        if case.sentenced is None:
            return episode
        order = self._order(episode, case)
        self._sessions(episode, order, case)
        seed_measures(self.actor, episode, case.stage)
        if case.stage in (ClosureReason.ORDER_COMPLETED, ClosureReason.ORDER_REVOKED):
            closure_record(
                actor=self.actor,
                episode=episode,
                closure_reason=case.stage,
                summary=(
                    "Completed all planned sessions; discharged to the GP."
                    if case.stage == ClosureReason.ORDER_COMPLETED
                    else "The court revoked the order after breach proceedings."
                ),
            )
        return episode

    def _court_name(self) -> str:
        return self.sites[0].name if self.sites else "Magistrates' court"

    def _ld_episode(self, case: Case, person: Person) -> Episode:
        """The court liaison and diversion episode the referral comes from, seen and assessed."""
        if case.referred:
            opened = timezone.make_aware(
                datetime.datetime.combine(self.day(case.referred), datetime.time(9, 15))
            )
        else:
            opened = self.now - 3 * H
        site = self.sites[next(self.numbers) % len(self.sites)] if self.sites else None
        episode = journeys.episode_open(
            actor=self.actor,
            person=person,
            team=self.court,
            setting="magistrates_court",
            site=site,
            referral_source="court_staff",
            referred_at=opened,
            reason=case.reason,
            cj_details={"charge_status": "charged", "plea": "guilty", "psr_requested": True},
        )
        journeys.episode_move(
            actor=self.actor,
            episode=episode,
            to_stage=Stage.SCREENED,
            note="Screened on paper at court",
            at=opened + H,
        )
        journeys.episode_move(
            actor=self.actor, episode=episode, to_stage=Stage.ASSESSED, at=opened + 2 * H
        )
        return episode

    def _close_ld(self, episode: Episode, at: datetime.datetime) -> None:
        journeys.episode_move(
            actor=self.actor,
            episode=episode,
            to_stage=Stage.CLOSED,
            closure_reason=ClosureReason.COMPLETED,
            note="Referred to the MHTR team for a suitability assessment",
            at=at,
        )

    def _suitability(self, episode: Episode, case: Case) -> None:
        services.suitability_record(
            actor=self.actor,
            episode=episode,
            data=services.SuitabilityInput(
                assessed_on=self.day(case.assessed or 0),
                mode=AssessmentMode.IN_PERSON,
                offence_community_threshold=True,
                guilt=GuiltStatus.PLEADED_GUILTY,
                requires_treatment=True,
                not_hospital_order=True,
                arrangements_in_place=True,
                tier=Tier.PRIMARY,
                tier_criteria="Mild to moderate symptoms; no secondary care involvement.",
                gp=GpStatus.REGISTERED,
                willing=True,
                outcome=Suitability.SUITABLE,
            ),
        )
        if case.stage == Stage.SUITABILITY_ASSESSED:
            journeys.cj_context_save(
                actor=self.actor,
                episode=episode,
                details={"psr_requested": True, "psr_due_on": self.today + D},
                expected_version=None,
            )

    def _before_sentence(self, episode: Episode) -> None:
        for stage, note in (
            (Stage.PSR_VIEW_GIVEN, "View given to probation for the pre-sentence report"),
            (Stage.AWAITING_SENTENCE, "Report with the court; sentence adjourned"),
        ):
            journeys.episode_move(actor=self.actor, episode=episode, to_stage=stage, note=note)

    def _order(self, episode: Episode, case: Case) -> CourtOutcome:
        sentenced = self.day(case.sentenced or 0)
        clinician, register, number = CLINICIANS[self.region]
        practitioner, pdu = PROBATION[self.region]
        return services.order_record(
            actor=self.actor,
            episode=episode,
            data=services.OrderInput(
                court=self._court_name(),
                sentenced_on=sentenced,
                order_type=OrderType.COMMUNITY_ORDER,
                treatment_type=TreatmentType.PRACTITIONER,
                starts_on=sentenced,
                months=case.months,
                tier=Tier.PRIMARY,
                clinician_name=clinician,
                clinician_register=register,
                clinician_number=number,
                probation_practitioner=practitioner,
                probation_delivery_unit=pdu,
                planned_sessions=PLANNED_SESSIONS,
            ),
        )

    def _session_days(self, order: CourtOutcome, case: Case) -> list[datetime.date]:
        """Past sessions every `gap` days from a week after sentence, the last absence on the
        working day before today (so its notice is still due); then the ones to come."""
        first = order.sentenced_on + 7 * D
        past = [_working_day_from(first + i * case.gap * D) for i in range(len(case.sessions))]
        if case.sessions and case.stage == Stage.IN_TREATMENT:
            past[-1] = _working_day_before(self.today)
        start = max(self.today + D, past[-1] + D if past else first)
        future = [_working_day_from(start + i * case.gap * D) for i in range(case.booked)]
        return past + future

    def _sessions(self, episode: Episode, order: CourtOutcome, case: Case) -> None:
        days = self._session_days(order, case)
        practitioner = CLINICIANS[self.region][0]
        responses = iter(case.responses)
        for i, on in enumerate(days):
            session = services.session_schedule(
                actor=self.actor,
                episode=episode,
                on=on,
                at=SESSION_AT,
                mode=SessionMode.IN_PERSON if i % 3 else SessionMode.VIDEO,
                practitioner=practitioner,
            )
            if i >= len(case.sessions):
                continue
            services.session_outcome_record(
                actor=self.actor,
                session=session,
                expected_version=session.version,
                outcome=case.sessions[i],
            )
            response = next(responses, None) if case.sessions[i] == DNA else None
            if response is not None:
                notice = ComplianceNotice.objects.get(session=session)
                self._notice_answered(notice, order, response)

    def _notice_answered(self, notice: ComplianceNotice, order: CourtOutcome, action: str) -> None:
        sent_on = min(notice.due_on, self.today)
        services.notice_send(
            actor=self.actor,
            notice=notice,
            sent_on=sent_on,
            recipient=order.probation_practitioner,
            method=NoticeMethod.SECURE_EMAIL,
        )
        services.probation_response_record(
            actor=self.actor,
            notice=notice,
            action=action,
            told_on=min(sent_on + 3 * D, self.today),
            note="Told by the probation practitioner by phone.",
        )


@register_demo_seeder
def seed_mhtr_demo(ctx: DemoContext) -> None:
    """Give each region's MHTR team people at every stage (see the module docstring)."""
    made: list[Episode] = []
    for region in REGIONS:
        if f"{region}.mhtr" not in ctx.teams or f"service_manager.{region}" not in ctx.users:
            continue
        seeder = _Region(ctx, region)
        people = _people(ctx, region, seeder.today)
        for case, person in zip(CASES, people, strict=False):
            made.append(seeder.case(case, person))
        arrived = _arrived_by_probation(ctx, seeder, people[len(CASES) :])
        if arrived is not None:
            made.append(arrived)
    ctx.extra["mhtr.episodes"] = made
    ctx.log(f"Made {len(made)} demo MHTR episodes, from referral to the order's end.")
    _seed_mhtr_reports(ctx, made)


@register_demo_reset
def reset_mhtr_demo() -> None:
    """Remove demo people's consent decisions (their willingness to comply), which would stop
    them being deleted; the journeys reset has already removed their episodes."""
    _delete_with_dependants(Consent.objects.filter(person__in=demo_people()))


def _seed_mhtr_reports(ctx: DemoContext, made: list[Episode]) -> None:
    """The completed order's end-of-treatment letter to the GP, issued with their consent and
    started from the order, the sessions and the ending, as the page would start it."""
    from healthjustice.assessments.choices import ConsentPurpose, ConsentStatus, Recipient
    from healthjustice.assessments.services import consent_record, report_issue
    from healthjustice.journeys.models import EpisodeStatus
    from healthjustice.mhtr.reports import END_LETTER

    managers = {
        ctx.teams[f"{region}.mhtr"].pk: ctx.users[f"service_manager.{region}"]
        for region in REGIONS
        if f"{region}.mhtr" in ctx.teams and f"service_manager.{region}" in ctx.users
    }
    issued = 0
    for episode in made:
        closing = EpisodeStatus.objects.filter(episode=episode, stage=Stage.CLOSED).first()
        if closing is None or closing.closure_reason != ClosureReason.ORDER_COMPLETED:
            continue
        actor = managers[episode.team_id]
        consent_record(
            actor=actor,
            person=episode.person,
            purpose=ConsentPurpose.SHARE_GP,
            status=ConsentStatus.GIVEN,
            note="Agreed at the last session that the GP is told how treatment went",
        )
        assert END_LETTER.starting_text is not None
        sections = END_LETTER.starting_text(actor, episode)
        sections["treatment"] = (
            "Twelve sessions of guided self-help for low mood and poor sleep: a shared "
            "formulation, sleep routine, activity scheduling and challenging unhelpful thoughts. "
            "They reported sleeping better and doing more day to day by the end."
        )
        sections["recommendations"] = (
            "Please review in six months, or sooner if their mood drops; they know how to "
            "self-refer to NHS Talking Therapies."
        )
        report_issue(
            actor=actor,
            episode=episode,
            report_type=END_LETTER.report_type,
            recipient=Recipient.GP,
            sections=sections,
        )
        issued += 1
    ctx.log(f"Issued {issued} demo MHTR end-of-treatment letters.")


# --- measures ----------------------------------------------------------------------------------

# PHQ-9, GAD-7 and CORE-10 totals: at the assessment, then at attended sessions (oldest first),
# then at the end of treatment. The person in treatment improves reliably on all three; the
# completed order ends below every cut-off (recovery).
MEASURE_TOTALS: dict[str, dict[str, tuple[int, ...]]] = {
    Stage.IN_TREATMENT: {
        "phq9": (17, 16, 15, 13, 12, 10, 8),
        "gad7": (14, 14, 12, 11, 10, 8, 7),
        "core10": (22, 21, 20, 18, 16, 14, 13),
    },
    ClosureReason.ORDER_COMPLETED: {
        "phq9": (15, 14, 11, 9, 7, 6),
        "gad7": (12, 11, 9, 8, 6, 5),
        "core10": (18, 17, 14, 12, 9, 8),
    },
}


def demo_answers(code: str, total: int) -> list[int]:
    """Answers (option indexes) adding up to `total`, with every risk item at its lowest."""
    from healthjustice.screening.instruments import get_instrument

    instrument = get_instrument(code)
    answers: list[int] = []
    left = total
    for item in instrument.items:
        item_score = 0 if item.is_risk else min(item.max_score, left)
        left -= item_score
        # A reverse-scored item's option index counts down from the top score.
        answers.append(item.max_score - item_score if item.reverse_scored else item_score)
    return answers


def seed_measures(actor: User, episode: Episode, stage: str) -> None:
    """Measures at the assessment, at attended sessions and, for a completed order, at the end,
    through `mhtr.measures.measures_record`, before the episode is closed."""
    from healthjustice.mhtr import measures
    from healthjustice.mhtr.models import TreatmentSession

    totals = MEASURE_TOTALS.get(stage)
    if totals is None:
        return
    taken = len(totals["phq9"])
    ending = stage == ClosureReason.ORDER_COMPLETED
    attended = list(
        TreatmentSession.objects.filter(episode=episode, outcome=ATTENDED).order_by("on", "at")
    )
    sessions_measured = taken - 1 - (1 if ending else 0)
    # Spread the session measures over the attended sessions, the last one included.
    step = max(1, len(attended) // max(1, sessions_measured))
    chosen = attended[::-1][::step][:sessions_measured][::-1]
    occasions: list[measures.Occasion] = []
    assessment = measures.assessment_occasion(episode)
    if assessment is not None:
        occasions.append(assessment)
    occasions += [measures.session_occasion(s) for s in chosen]
    if ending:
        occasions.append(measures.end_occasion())
    for i, occasion in enumerate(occasions):
        measures.measures_record(
            actor=actor,
            episode=episode,
            occasion=occasion,
            answers={code: demo_answers(code, values[i]) for code, values in totals.items()},
        )


# --- a referral from probation ----------------------------------------------------------------

PROBATION_PHONES = {"staffs": "01632 960 214", "blackcountry": "01632 960 587"}  # drama numbers


def _arrived_by_probation(
    ctx: DemoContext, seeder: _Region, candidates: list[Person]
) -> Episode | None:
    """One person per MHTR team arrives by a referral from probation (not from L&D): received
    two days ago, with the probation practitioner's details and the next hearing in three
    weeks (`mhtr.referrals.referral_receive`)."""
    team = ctx.teams[f"{seeder.region}.mhtr"]
    if team not in referral_teams(seeder.actor):
        return None
    person = next(
        (p for p in candidates if has_permission(seeder.actor, Permission.EPISODE_MANAGE, p)),
        None,
    )
    if person is None:
        return None
    practitioner, pdu = PROBATION[seeder.region]
    court = next((s for s in seeder.sites if s.kind == SiteKind.COURT), None)
    hearing_at = timezone.make_aware(
        datetime.datetime.combine(seeder.today + 21 * D, datetime.time(10, 0))
    )
    referral = referral_receive(
        actor=seeder.actor,
        person=person,
        team=team,
        data=OutsideReferral(
            route=ReferralRoute.PROBATION,
            received_on=seeder.today - 2 * D,
            reason=(
                "Pre-sentence report interview found low mood and anxiety since losing work; "
                "a community order is likely and they would engage with treatment."
            ),
            referrer_name=practitioner,
            referrer_organisation=f"{pdu} (Probation Service)",
            referrer_contact=PROBATION_PHONES[seeder.region],
            hearing={"court": court, "hearing_at": hearing_at} if court else {},
        ),
    )
    return referral.episode


# An order made yesterday with no appointment booked yet: the first appointment's deadline
# (the team's working days from sentence) is on the MHTR team's worklist.
AWAITING_FIRST_APPOINTMENT = Case(
    Stage.ORDER_MADE,
    21,
    "Depression and heavy drinking after losing work; a first offence of affray.",
    assessed=14,
    sentenced=1,
)


@register_demo_seeder
def seed_mhtr_first_appointment_demo(ctx: DemoContext) -> None:
    """Give each region's MHTR team one order whose first appointment is still to be booked."""
    made: list[Episode] = []
    for region in REGIONS:
        if f"{region}.mhtr" not in ctx.teams or f"service_manager.{region}" not in ctx.users:
            continue
        seeder = _Region(ctx, region)
        people = _people(ctx, region, seeder.today)
        if people:
            made.append(seeder.case(AWAITING_FIRST_APPOINTMENT, people[0]))
    ctx.extra.setdefault("mhtr.episodes", []).extend(made)
    ctx.log(f"Made {len(made)} demo MHTR orders awaiting their first appointment.")
