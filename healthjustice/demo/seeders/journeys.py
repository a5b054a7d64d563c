"""Demo episodes: every demo team's worklist has work on it, in every stage.

Custody teams get people in custody now (against the 24-hour clock), court teams hearings
later today; some are screened (one with a PHQ-9
risk alert), assessed, referred on (one follow-up overdue) or closed. Everything is written
through the services, so the stage history, audit trail and care relationships are real.
Other apps' seeders run later and find the episodes in `ctx.extra["journeys.episodes"]`.
MHTR teams' episodes come from the MHTR seeder (`seeders/mhtr.py`), and RECONNECT teams' from the
RECONNECT seeder (`seeders/reconnect.py`), each through its pathway's services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import cycle
from typing import Any

from django.db import models
from django.db.models import ForeignObjectRel, Q, QuerySet
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.demo.registry import DemoContext, register_demo_reset, register_demo_seeder
from healthjustice.interventions.services import referral_record
from healthjustice.journeys import services
from healthjustice.journeys.choices import AuthorisingRank, CustodyEventKind, CustodyOutcome, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.stages import machine_for
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.models import Membership, Site, Team
from healthjustice.organisations.roles import Role
from healthjustice.people.models import Person
from healthjustice.screening.models import Screening
from healthjustice.screening.services import instrument_administer, screening_record

M = datetime.timedelta(minutes=1)
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)
# Where other apps' seeders find the episodes opened here.
EPISODES_KEY = "journeys.episodes"
# PHQ-9 answers with item 9 ("thoughts that you would be better off dead") on "several days".
PHQ9_WITH_RISK = [2, 2, 1, 2, 1, 1, 2, 1, 1]


@dataclass(frozen=True)
class Plan:
    """One demo episode, in times relative to now."""

    stage: Stage
    referred_ago: datetime.timedelta
    setting: str
    source: str
    reason: str
    cj: dict[str, Any] = field(default_factory=dict)
    worker: str = ""  # "practitioner", "lead" or "" (unallocated)
    screening: tuple[str, str, list[str]] | None = None  # risk, urgency, vulnerabilities
    phq9_alert: bool = False
    follow_up_overdue: bool = False
    closure: str = ""
    closed_from: Stage = Stage.IDENTIFIED
    clock: str = ""  # "extended" (to 36 hours by a superintendent) or "left" (custody)


def _custody_plans() -> list[Plan]:
    c, s = "police_custody", "custody_sergeant"
    return [
        Plan(
            Stage.IDENTIFIED,
            18 * H,
            c,
            s,
            "Disclosed thoughts of ending their life during the booking-in risk assessment.",
            {"arrived": 19 * H, "offence_category": "violence", "charge_status": "not_charged"},
        ),
        Plan(
            Stage.IDENTIFIED,
            20 * H,
            c,
            "police",
            "Confused and unable to give an address; arresting officer concerned about memory.",
            {"arrived": 27 * H, "offence_category": "theft"},
            clock="extended",
        ),
        Plan(
            Stage.IDENTIFIED,
            90 * M,
            c,
            s,
            "Shouting at staff, responding to voices; known to mental health services before.",
            {"arrived": 2 * H, "offence_category": "public_order"},
        ),
        Plan(
            Stage.IDENTIFIED,
            6 * H,
            c,
            s,
            "Withdrawal symptoms; says they use heroin daily.",
            {"arrived": 7 * H, "offence_category": "drugs", "charge_status": "bailed_to_return"},
            worker="practitioner",
            clock="left",
        ),
        Plan(
            Stage.IDENTIFIED,
            3 * H,
            "voluntary_attendance",
            "police",
            "Attending a voluntary interview; has a learning disability according to their mother.",
        ),
        Plan(
            Stage.SCREENED,
            14 * H,
            c,
            s,
            "Self-harm scars noted; low mood since a relationship ended.",
            {"arrived": 15 * H, "offence_category": "criminal_damage_arson"},
            worker="practitioner",
            screening=("high", "urgent", ["mental_health", "self_harm_suicide"]),
            phq9_alert=True,
        ),
        Plan(
            Stage.SCREENED,
            9 * H,
            c,
            "defence_solicitor",
            "Solicitor asked for a check on fitness for interview.",
            {"arrived": 10 * H, "offence_category": "robbery", "charge_status": "charged"},
            screening=("medium", "soon", ["learning_disability", "slcn"]),
        ),
        Plan(
            Stage.SCREENED,
            5 * H,
            c,
            s,
            "Drinking heavily; homeless since last month.",
            {"arrived": 5 * H + 30 * M, "offence_category": "theft"},
            worker="lead",
            screening=("low", "routine", ["alcohol", "housing"]),
        ),
        Plan(
            Stage.ASSESSED,
            2 * D,
            c,
            s,
            "Veteran with nightmares and flashbacks; first arrest.",
            {"offence_category": "violence", "charge_status": "rui"},
            worker="practitioner",
            screening=("medium", "soon", ["mental_health", "trauma", "veteran"]),
        ),
        Plan(
            Stage.ASSESSED,
            26 * H,
            c,
            "police",
            "Autistic; distressed by noise in the cell area.",
            {"offence_category": "public_order", "charge_status": "nfa"},
            screening=("low", "soon", ["autism"]),
        ),
        Plan(
            Stage.INTERVENTION,
            9 * D,
            c,
            s,
            "Debts and eviction notice; not sleeping.",
            {"offence_category": "fraud", "charge_status": "charged"},
            worker="practitioner",
            screening=("medium", "routine", ["finance_debt", "housing", "mental_health"]),
            follow_up_overdue=True,
        ),
        Plan(
            Stage.INTERVENTION,
            5 * D,
            c,
            s,
            "Using cocaine and alcohol; wants help.",
            {"offence_category": "drugs", "charge_status": "charged"},
            worker="lead",
            screening=("low", "routine", ["drugs", "alcohol"]),
        ),
        Plan(
            Stage.CLOSED,
            3 * D,
            c,
            s,
            "Appeared low; released before screening.",
            {"offence_category": "motoring"},
            closure="released_transferred",
        ),
        Plan(
            Stage.CLOSED,
            12 * D,
            c,
            "police",
            "Asked to speak to someone about their drinking.",
            screening=("low", "routine", ["alcohol"]),
            closure="declined",
            closed_from=Stage.SCREENED,
        ),
    ]


def _court_plans() -> list[Plan]:
    m, s = "magistrates_court", "court_staff"
    return [
        Plan(
            Stage.IDENTIFIED,
            2 * H,
            m,
            s,
            "Usher reports the defendant is crying and will not come out of the cells.",
            {
                "hearing": 90 * M,
                "offence_category": "theft",
                "charge_status": "charged",
                "bail_status": "remanded",
                "plea": "not_entered",
            },
        ),
        Plan(
            Stage.IDENTIFIED,
            H,
            m,
            "defence_solicitor",
            "Solicitor is unsure the client understands the charge.",
            {"hearing": 3 * H, "offence_category": "violence", "charge_status": "charged"},
            worker="practitioner",
        ),
        Plan(
            Stage.SCREENED,
            4 * H,
            m,
            "cps",
            "Prosecutor flagged a history of psychiatric admissions.",
            {"hearing": 2 * H, "offence_category": "weapons", "charge_status": "charged"},
            screening=("high", "immediate", ["mental_health", "self_harm_suicide"]),
        ),
        Plan(
            Stage.SCREENED,
            27 * H,
            "youth_court",
            "yot",
            "Youth offending team says he has ADHD and struggles to follow proceedings.",
            {"hearing": 2 * D, "offence_category": "criminal_damage_arson"},
            worker="practitioner",
            screening=("low", "soon", ["adhd", "slcn"]),
        ),
        Plan(
            Stage.ASSESSED,
            3 * D,
            m,
            "probation",
            "Probation asked for input to the pre-sentence report.",
            {
                "offence_category": "breach",
                "charge_status": "charged",
                "plea": "guilty",
                "psr_requested": True,
                "psr_due": 6 * D,
            },
            worker="practitioner",
            screening=("medium", "routine", ["mental_health", "drugs"]),
        ),
        Plan(
            Stage.INTERVENTION,
            8 * D,
            m,
            s,
            "Sleeping rough; anxious in court.",
            {"offence_category": "theft", "charge_status": "charged", "disposal": "discharge"},
            screening=("low", "routine", ["housing", "mental_health"]),
            follow_up_overdue=True,
        ),
        Plan(
            Stage.CLOSED,
            10 * D,
            m,
            s,
            "Already supported by the community mental health team.",
            {"offence_category": "public_order", "disposal": "fine"},
            screening=("low", "routine", ["mental_health"]),
            closure="already_known",
            closed_from=Stage.SCREENED,
        ),
    ]


PLANS_BY_KIND = {
    "custody": _custody_plans,
    "court": _court_plans,
}
SITE_KIND_FOR_SETTING = {
    "police_custody": SiteKind.CUSTODY_SUITE,
    "voluntary_attendance": SiteKind.CUSTODY_SUITE,
    "magistrates_court": SiteKind.COURT,
    "youth_court": SiteKind.COURT,
    "crown_court": SiteKind.COURT,
    "prison": SiteKind.PRISON,
    "probation": SiteKind.COMMUNITY_BASE,
}


def _first(users: dict[str, User], *names: str) -> User | None:
    for name in names:
        if name in users:
            return users[name]
    return None


def _team_staff(ctx: DemoContext, key: str) -> dict[str, User | None]:
    region = key.split(".")[0]
    manager = _first(ctx.users, f"service_manager.{region}")
    practitioner = None
    team = ctx.teams[key]
    members = Membership.objects.current().filter(team=team, user__is_demo=True)
    for membership in members.select_related("user").order_by("user__username"):
        if membership.role == Role.PRACTITIONER and practitioner is None:
            practitioner = membership.user
    lead = _first(ctx.users, f"team_leader.{region}") if key.endswith(".custody") else None
    return {"manager": manager, "practitioner": practitioner or manager, "lead": lead or manager}


def _cj_details(
    plan: Plan, now: datetime.datetime, courts: list[Site], number: int
) -> dict[str, Any]:
    spec = plan.cj
    if not spec:
        return {}
    today = timezone.localdate(now)
    details: dict[str, Any] = {
        "offence_category": spec.get("offence_category", ""),
        "charge_status": spec.get("charge_status", ""),
        "bail_status": spec.get("bail_status", ""),
        "plea": spec.get("plea", ""),
        "psr_requested": spec.get("psr_requested", False),
    }
    if "arrived" in spec:
        details["arrived_in_custody_at"] = now - spec["arrived"]
        details["custody_record_reference"] = f"{now:%y}/{40000 + number:05d}"
    if "hearing" in spec:
        at = now + spec["hearing"]
        # Courts list hearings on the quarter hour.
        details["hearing_at"] = at.replace(minute=at.minute // 15 * 15, second=0, microsecond=0)
        if courts:
            details["court"] = courts[number % len(courts)]
    if "release" in spec:
        details["prison_release_on"] = today + datetime.timedelta(days=spec["release"].days)
    if "psr_due" in spec:
        details["psr_due_on"] = today + datetime.timedelta(days=spec["psr_due"].days)
    if "disposal" in spec:
        details["disposal"] = spec["disposal"]
    return details


def _steps(start: datetime.datetime, now: datetime.datetime, count: int) -> list[datetime.datetime]:
    """`count` times spread evenly between the referral and now (none in the future)."""
    span = (now - start) / (count + 1)
    return [start + span * (i + 1) for i in range(count)]


class _Seeder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.now = timezone.now().replace(microsecond=0)
        self.episodes: list[Episode] = []

    def team(self, key: str) -> None:
        kind = key.split(".", 1)[1]
        team: Team = self.ctx.teams[key]
        people = [p for p in self.ctx.people_by_team.get(key, []) if not self._has_open(p, team)]
        if not people:
            return
        staff = _team_staff(self.ctx, key)
        manager = staff["manager"]
        if manager is None:
            return
        sites = list(team.sites.filter(is_active=True).order_by("name"))
        courts = [s for s in sites if s.kind == SiteKind.COURT]
        chosen = cycle(people)
        for plan in PLANS_BY_KIND[kind]():
            self.episodes.append(
                self._episode(plan, team, next(chosen), staff, manager, sites, courts)
            )

    def _has_open(self, person: Person, team: Team) -> bool:
        return any(e.person_id == person.pk and e.team_id == team.pk for e in self.episodes)

    def _episode(
        self,
        plan: Plan,
        team: Team,
        person: Person,
        staff: dict[str, User | None],
        manager: User,
        sites: list[Site],
        courts: list[Site],
    ) -> Episode:
        referred_at = self.now - plan.referred_ago
        wanted = SITE_KIND_FOR_SETTING.get(plan.setting)
        matching = [s for s in sites if s.kind == wanted]
        site = matching[len(self.episodes) % len(matching)] if matching else None
        episode = services.episode_open(
            actor=manager,
            person=person,
            team=team,
            setting=plan.setting,
            site=site,
            referral_source=plan.source,
            referred_at=referred_at,
            reason=plan.reason,
            cj_details=_cj_details(
                plan, self.now, [site] if site in courts else courts, len(self.episodes)
            ),
        )
        if plan.clock:
            self._custody_clock(episode, manager, plan)
        worker = staff.get(plan.worker) if plan.worker else None
        actor = worker or manager
        order = machine_for(team.pathway).stages
        if plan.stage == Stage.CLOSED:
            path = [*order[1 : order.index(plan.closed_from) + 1], Stage.CLOSED]
        else:
            path = list(order[1 : order.index(plan.stage) + 1])
        times = _steps(referred_at, self.now, len(path) + 1)
        for step, at in zip(path, times, strict=False):
            self._move(episode, actor, step, at, plan)
        if worker is not None and plan.stage != Stage.CLOSED:
            services.episode_assign(
                actor=manager,
                episode=episode,
                worker=worker,
                expected_version=episode.version,
            )
        return episode

    def _custody_clock(self, episode: Episode, actor: User, plan: Plan) -> None:
        arrived = self.now - plan.cj["arrived"]
        if plan.clock == "extended":
            services.custody_event_record(
                actor=actor,
                episode=episode,
                kind=CustodyEventKind.EXTENSION,
                at=arrived + 22 * H,
                limit_hours=36,
                rank=AuthorisingRank.SUPERINTENDENT,
                authorised_by="Priya Raman",
                note="Extended to allow a mental health assessment before interview",
            )
        else:
            services.custody_event_record(
                actor=actor,
                episode=episode,
                kind=CustodyEventKind.LEFT,
                at=arrived + 3 * H,
                outcome=CustodyOutcome.BAILED,
            )

    def _move(
        self, episode: Episode, actor: User, step: Stage, at: datetime.datetime, plan: Plan
    ) -> None:
        if step == Stage.CLOSED:
            services.episode_move(
                actor=actor,
                episode=episode,
                to_stage=Stage.CLOSED,
                closure_reason=plan.closure,
                note="Closed after review" if plan.closure != "other" else "Moved out of area",
                at=at,
            )
            return
        screened = step == Stage.SCREENED
        services.episode_move(
            actor=actor,
            episode=episode,
            to_stage=step,
            at=at,
            # The demo's screening is recorded just below, dated back to this move.
            by_record=screened and bool(plan.screening),
            note="Screened on paper at court" if screened and not plan.screening else "",
        )
        if step == Stage.SCREENED and plan.screening:
            risk, urgency, needs = plan.screening
            screening = screening_record(
                actor=actor,
                episode=episode,
                vulnerabilities=needs,
                risk_level=risk,
                urgency=urgency,
                full_assessment_needed=risk != "low",
            )
            # Demo only: the screening took place when the stage changed, not at load time.
            Screening.objects.filter(pk=screening.pk).update(screened_at=at)
            if plan.phq9_alert:
                instrument_administer(
                    actor=actor, episode=episode, instrument_code="phq9", answers=PHQ9_WITH_RISK
                )
        if step == Stage.INTERVENTION:
            referred_on = timezone.localdate(at)
            today = timezone.localdate(self.now)
            overdue = plan.follow_up_overdue and referred_on < today
            referral_record(
                actor=actor,
                episode=episode,
                service_type="mental_health" if overdue else "drugs_alcohol",
                service_name=(
                    "Community mental health team"
                    if overdue
                    else "Community drug and alcohol service"
                ),
                referred_on=referred_on,
                # An appointment already past with no follow-up shows as overdue on the worklist.
                first_appointment_on=(
                    max(referred_on, today - datetime.timedelta(days=3))
                    if overdue
                    else today + datetime.timedelta(days=5)
                ),
                supported_to_first_appointment=overdue,
            )


@register_demo_seeder
def seed_journeys_demo(ctx: DemoContext) -> None:
    """Fill the demo teams' worklists (see the module docstring)."""
    seeder = _Seeder(ctx)
    for key in sorted(ctx.teams):
        kind = key.split(".", 1)[1] if "." in key else ""
        if kind in PLANS_BY_KIND:
            seeder.team(key)
    ctx.extra[EPISODES_KEY] = seeder.episodes
    ctx.log(f"Opened {len(seeder.episodes)} demo episodes across the teams' worklists.")


def _delete_with_dependants(rows: QuerySet) -> None:
    """Delete rows after every row that refers to them, whichever app holds it.

    Hidden relations (`related_name="+"`, like a closure outcome's status row) count too.
    """
    if not rows.exists():
        return
    for relation in rows.model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel):
            continue
        if relation.many_to_many or not relation.field.concrete:
            continue
        # A reverse relation names the model that points here (never the string "self").
        model = relation.related_model
        assert not isinstance(model, str)
        related = model._base_manager.filter(**{f"{relation.field.name}__in": rows.values("pk")})
        _delete_with_dependants(related)
    rows.delete()


@register_demo_reset
def reset_journeys_demo() -> None:
    """Remove demo episodes (with whatever other apps hung on them) and release demo staff."""
    demo_people = Person.objects.filter(created_by__is_demo=True)
    doomed = Episode.objects.filter(Q(person__in=demo_people) | Q(created_by__is_demo=True))
    _delete_with_dependants(
        Episode.objects.filter(pk__in=list(doomed.values_list("pk", flat=True)))
    )
    Episode.objects.filter(allocated_worker__is_demo=True).update(
        allocated_worker=None, allocated_at=None, version=models.F("version") + 1
    )
    Episode.objects.filter(created_by__is_demo=True).update(created_by=None)
    # Stage history keeps its rows; a demo account leaving only blanks who made the change.
    EpisodeStatus._base_manager.filter(by__is_demo=True).update(by=None)
    CriminalJusticeContext.objects.filter(updated_by__is_demo=True).update(updated_by=None)
