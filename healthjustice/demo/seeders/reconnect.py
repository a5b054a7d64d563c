"""Demo RECONNECT caseloads: each region's RECONNECT team has people at every stage built so far.

Referrals come in by each route, all through `reconnect.services`: from prison healthcare, a
substance misuse team and probation; from the region's custody liaison and diversion team
(`referral_from_ld`); from a prison's release list (`referral_from_release`); after release;
and one outside the window, taken by a team leader's exception. Then: eligible with release in
9 days; in pre-release support with release tomorrow; in pre-release support with release in 5
weeks, moving to the other region on release; released today; released 12 days before the
referral (with first-week appointments, one attended, one missed); a peer support worker and a
support, time and recovery worker in each team (`peer.<region>`, `str.<region>`), allocated to
the person leaving tomorrow and to the one with an extension; gate meets planned and
first-week appointments booked for the people leaving in 9 days and released today; in
post-release support with an extension approved by a team leader, and with two
handovers, one engaged at its first appointment and awaiting its 4-week check; recalled to
custody (closed); and closed as not eligible and as referred to an enhanced service. The person
moving region has one need's action changed and another marked met today; the person released
today has their Jobcentre appointment moved. The Black
Country team also has someone held in an immigration removal centre.

The services date their records now; some episodes' referral times are set back afterwards
(demo only), so that a caseload does not look as if it all arrived today.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.demo.registry import DemoContext, register_demo_seeder
from healthjustice.journeys import services as journeys
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.organisations.choices import SiteKind, WorkerType
from healthjustice.organisations.models import Membership, Region, Site, Team
from healthjustice.organisations.roles import Role
from healthjustice.people.models import Person
from healthjustice.reconnect import selectors, services
from healthjustice.reconnect.choices import (
    Accommodation,
    AppointmentKind,
    ContactMode,
    CustodyStatus,
    EligibilityOutcome,
    EnhancedService,
    NeedArea,
    Referrer,
    ReleaseType,
)
from healthjustice.reconnect.models import ESTABLISHMENT_KINDS

D = datetime.timedelta(days=1)
REGIONS = ("staffs", "blackcountry")
OTHER_REGION = {"staffs": "blackcountry", "blackcountry": "staffs"}
TOWNS = {"staffs": "Stoke-on-Trent", "blackcountry": "Wolverhampton"}
PROBATION = {"staffs": "Gemma Whitfield", "blackcountry": "Marcus Eze"}


@dataclass(frozen=True)
class Case:
    """One demo RECONNECT episode; `release` is days from today (negative: already released)."""

    need: str
    release: int
    route: str = "team"  # team, ld, list
    referrer: str = Referrer.PRISON_HEALTHCARE
    referrer_name: str = ""
    release_type: str = ReleaseType.LICENCE
    exception: str = ""
    eligibility: str = ""  # an EligibilityOutcome, or "" to stop at referred
    custody: str = CustodyStatus.SENTENCED
    enhanced: str = ""
    pre_release: bool = False
    released_today: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    referred_days_ago: int = 0
    irc: bool = False
    # (days ago, mode, notes): before release once pre-release support starts, after it if released.
    contacts: tuple[tuple[int, str, str], ...] = ()
    contacts_after: tuple[tuple[int, str, str], ...] = ()
    # (area, goal, action agreed): the support plan from the assessment.
    plan: tuple[tuple[str, str, str], ...] = ()
    met_at_gate: bool = False
    post_release: bool = False
    # A team leader's extension of support after release: (months after release, reason).
    extension: tuple[int, str] | None = None
    # Recalled to custody this many days ago (closes the episode).
    recalled_days_ago: int | None = None
    # The gate meet planned before release: (time, where, who), on the expected release day.
    gate_plan: tuple[datetime.time, str, str] | None = None
    # First-week appointments: (kind, days after release, where, attended or None).
    appointments: tuple[tuple[str, int, str, bool | None], ...] = ()
    # The support worker allocated by the team leader: "peer" or "str".
    support_worker: str = ""
    # Handovers: (days ago, service type, service name, first appointment checked days ago).
    handovers: tuple[tuple[int, str, str, int | None], ...] = ()
    # Later word on the plan: (area, new action or "" to keep it, met today).
    plan_updates: tuple[tuple[str, str, bool], ...] = ()
    # First-week appointments moved: (kind, new days after release, reason).
    moved: tuple[tuple[str, int, str], ...] = ()


CASES = [
    Case(
        "No GP in the community; asthma and low mood. Release planned in 6 weeks.",
        42,
        referrer_name="Prison healthcare team",
        referred_days_ago=1,
    ),
    Case(
        "Opiate use; on a methadone script that must carry on after release.",
        21,
        route="ld",
        release_type=ReleaseType.REMAND,
    ),
    Case("Named on this week's release list; known to the service for depression.", 10, "list"),
    Case(
        "Alcohol dependence; wants help with housing and benefits on release.",
        9,
        referrer=Referrer.SUBSTANCE_MISUSE,
        referrer_name="Change Grow Live",
        eligibility=EligibilityOutcome.ELIGIBLE,
        details={"accommodation": Accommodation.TEMPORARY},
        referred_days_ago=4,
        gate_plan=(datetime.time(8, 30), "At the gate", "Peer support worker"),
        appointments=(
            (AppointmentKind.HOUSING, 1, "Council housing options", None),
            (AppointmentKind.SUBSTANCE_MISUSE, 2, "Change Grow Live hub", None),
        ),
    ),
    Case(
        "Schizophrenia on depot medication; nowhere to live yet.",
        1,
        referrer=Referrer.PROBATION,
        referrer_name="Offender manager",
        release_type=ReleaseType.END_OF_SENTENCE,
        eligibility=EligibilityOutcome.ELIGIBLE,
        pre_release=True,
        details={
            "accommodation": Accommodation.NONE,
            "medication": "Paliperidone depot, next due 10 days after release",
        },
        referred_days_ago=50,
        support_worker="peer",
        contacts=(
            (20, ContactMode.IN_PERSON, "First meeting on the wing: agreed to GP registration."),
            (6, ContactMode.VIDEO, "Housing options call with the council; nothing offered yet."),
        ),
    ),
    Case(
        "PTSD and chronic pain; moving in with family in the other region on release.",
        35,
        release_type=ReleaseType.HOME_DETENTION_CURFEW,
        eligibility=EligibilityOutcome.ELIGIBLE,
        pre_release=True,
        details={"accommodation": Accommodation.SETTLED, "other_area": True},
        referred_days_ago=14,
        plan=(
            (NeedArea.MENTAL_HEALTH, "Trauma support", "Refer to the area's talking therapies"),
            (NeedArea.FAMILY, "Settle in with family", "Meet the family before release"),
        ),
        plan_updates=(
            (
                NeedArea.MENTAL_HEALTH,
                "Refer to talking therapies in the new area: the old referral does not transfer",
                False,
            ),
            (NeedArea.FAMILY, "", True),
        ),
    ),
    Case(
        "Diabetes and anxiety; needs a GP and a diabetes review after release.",
        0,
        referrer=Referrer.FAMILY_OR_FRIEND,
        referrer_name="Sister",
        eligibility=EligibilityOutcome.ELIGIBLE,
        pre_release=True,
        released_today=True,
        details={"accommodation": Accommodation.SETTLED},
        referred_days_ago=70,
        contacts=((14, ContactMode.LETTER, "Wrote with the plan for release day."),),
        met_at_gate=True,
        plan=(
            (NeedArea.GP_REGISTRATION, "Registered with a GP", "Practice booked for day 2"),
            (NeedArea.PHYSICAL_HEALTH, "Diabetes review", "Ask the GP for a review"),
        ),
        contacts_after=(
            (0, ContactMode.TELEPHONE, "Called after release: home safely, GP visit tomorrow."),
        ),
        appointments=(
            (AppointmentKind.GP, 1, "Their new GP practice", None),
            (AppointmentKind.JOBCENTRE, 4, "Jobcentre Plus", None),
        ),
        moved=((AppointmentKind.JOBCENTRE, 6, "The Jobcentre had no work coach free that day."),),
    ),
    Case(
        "Released 12 days ago with no GP; self-referred after missing a prescription.",
        -12,
        referrer=Referrer.SELF,
        custody=CustodyStatus.RELEASED,
        eligibility=EligibilityOutcome.ELIGIBLE,
        details={"accommodation": Accommodation.TEMPORARY},
        appointments=(
            (AppointmentKind.GP, 2, "Walk-in centre", True),
            (AppointmentKind.JOBCENTRE, 5, "Jobcentre Plus", False),
        ),
    ),
    Case(
        "Long sentence ending; complex needs mean planning must start early.",
        110,
        exception="Serving 9 years; brain injury and epilepsy need longer planning.",
    ),
    Case(
        "Referred for housing help only.",
        30,
        referrer=Referrer.PROBATION,
        eligibility=EligibilityOutcome.NOT_ELIGIBLE,
        custody=CustodyStatus.SENTENCED,
    ),
    Case(
        "High risk and complex needs; personality disorder.",
        60,
        eligibility=EligibilityOutcome.ENHANCED,
        enhanced=EnhancedService.IIRMS,
    ),
]
# Support after release: an extension and a recall.
AFTER_RELEASE_CASES = [
    Case(
        "Released 20 days ago; hepatitis C treatment to finish and no settled address.",
        -20,
        referrer=Referrer.PROBATION,
        referrer_name="Community offender manager",
        custody=CustodyStatus.RELEASED,
        eligibility=EligibilityOutcome.ELIGIBLE,
        post_release=True,
        referred_days_ago=19,
        support_worker="str",
        contacts_after=(
            (10, ContactMode.IN_PERSON, "Went with them to the hepatology clinic."),
            (3, ContactMode.TELEPHONE, "Housing appeal lodged; still in a hostel."),
        ),
        extension=(
            9,
            "Hepatitis C treatment runs past 6 months and the housing appeal is not heard yet.",
        ),
    ),
    Case(
        "Released 25 days ago on licence; psychosis, missed two community mental health visits.",
        -25,
        referrer=Referrer.SELF,
        custody=CustodyStatus.RELEASED,
        eligibility=EligibilityOutcome.ELIGIBLE,
        post_release=True,
        referred_days_ago=24,
        contacts_after=((12, ContactMode.IN_PERSON, "Home visit: not taking medication."),),
        recalled_days_ago=4,
    ),
    Case(
        "Released 26 days ago; heroin use and no GP; wants to stay off drugs.",
        -26,
        referrer=Referrer.SUBSTANCE_MISUSE,
        referrer_name="Prison substance misuse team",
        custody=CustodyStatus.RELEASED,
        eligibility=EligibilityOutcome.ELIGIBLE,
        post_release=True,
        referred_days_ago=25,
        contacts_after=((20, ContactMode.IN_PERSON, "Went with them to register with a GP."),),
        handovers=(
            (18, "drugs_alcohol", "{town} Recovery Service", 14),
            (17, "gp", "{town} Health Centre", None),
        ),
    ),
]
IRC_CASE = Case(
    "Detained under immigration powers; depression and no GP in the community.",
    20,
    custody=CustodyStatus.IRC,
    release_type=ReleaseType.END_OF_SENTENCE,
    eligibility=EligibilityOutcome.ELIGIBLE,
    pre_release=True,
    details={"accommodation": Accommodation.TEMPORARY},
    irc=True,
)


def _adult(person: Person, today: datetime.date) -> bool:
    age = services.age_on(person, today)
    return age is not None and age >= services.ADULT_AGE


def _people(ctx: DemoContext, region: str, today: datetime.date) -> list[Person]:
    """Adults the region's teams know, with no episode yet, so each case is their only one."""
    pool: list[Person] = []
    for kind in ("reconnect", "custody", "court"):
        for person in ctx.people_by_team.get(f"{region}.{kind}", []):
            if person not in pool and _adult(person, today):
                pool.append(person)
    busy = set(Episode.objects.filter(person__in=pool).values_list("person_id", flat=True))
    return [p for p in pool if p.pk not in busy]


# Each team's peer support worker and support, time and recovery worker: practitioners whose
# membership carries the worker type.
SUPPORT_WORKERS = (
    ("peer", WorkerType.PEER_SUPPORT, "Peer support worker, RECONNECT"),
    ("str", WorkerType.SUPPORT_TIME_RECOVERY, "Support, time and recovery worker, RECONNECT"),
)


def _support_workers(ctx: DemoContext, region: str, team: Team) -> dict[str, User]:
    starts_on = timezone.localdate() - 300 * D
    made: dict[str, User] = {}
    for key, worker_type, job_title in SUPPORT_WORKERS:
        username = f"{key}.{region}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": ctx.faker.first_name(),
                "last_name": ctx.faker.last_name(),
                "email": f"{username}@demo.example.org",
                "job_title": job_title,
                "kind": User.Kind.STAFF,
                "is_demo": True,
            },
        )
        if created:
            user.set_password(ctx.password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user,
            team=team,
            role=Role.PRACTITIONER,
            defaults={"starts_on": starts_on, "worker_type": worker_type},
        )
        made[key] = user
    ctx.users.update({f"{key}.{region}": user for key, user in made.items()})
    return made


class _Region:
    def __init__(self, ctx: DemoContext, region: str) -> None:
        self.ctx = ctx
        self.region = region
        self.team = ctx.teams[f"{region}.reconnect"]
        self.custody = ctx.teams.get(f"{region}.custody")
        # The service manager runs every team in the region, and may record an exception.
        self.actor: User = ctx.users[f"service_manager.{region}"]
        self.today = timezone.localdate()
        sites = self.team.sites.filter(is_active=True, kind__in=ESTABLISHMENT_KINDS)
        self.prisons = list(sites.filter(kind=SiteKind.PRISON).order_by("name"))
        self.irc = sites.filter(kind=SiteKind.IMMIGRATION_REMOVAL_CENTRE).first()
        self.n = 0
        self.workers = _support_workers(ctx, region, self.team)

    def day(self, days: int) -> datetime.date:
        return self.today + days * D

    def _site(self, case: Case) -> Site:
        if case.irc and self.irc is not None:
            return self.irc
        self.n += 1
        return self.prisons[self.n % len(self.prisons)]

    def case(self, case: Case, person: Person) -> Episode:
        site = self._site(case)
        episode = self._refer(case, person, site)
        if case.referred_days_ago:
            # Demo only: the referral came in earlier than load time.
            referred_at = timezone.now() - case.referred_days_ago * D
            Episode.objects.filter(pk=episode.pk).update(referred_at=referred_at)
            episode.referred_at = referred_at
        if not case.eligibility:
            return episode
        services.eligibility_record(
            actor=self.actor,
            episode=episode,
            data=services.EligibilityInput(
                checked_on=self.today,
                custody_status=case.custody,
                health_need=case.eligibility != EligibilityOutcome.NOT_ELIGIBLE,
                outcome=case.eligibility,
                enhanced_service=case.enhanced,
                notes=(
                    "No identified health need: signposted to the prison's resettlement team."
                    if case.eligibility == EligibilityOutcome.NOT_ELIGIBLE
                    else ""
                ),
            ),
        )
        if case.eligibility != EligibilityOutcome.ELIGIBLE:
            return episode
        if case.details:
            self._details(episode, case, site)
        if case.support_worker:
            services.support_worker_allocate(
                actor=self.actor, episode=episode, worker=self.workers[case.support_worker]
            )
        if case.gate_plan is not None:
            at, place, who = case.gate_plan
            services.gate_plan_record(
                actor=self.actor,
                episode=episode,
                meet_on=self.day(case.release),
                meet_at=at,
                place=place,
                who=who,
            )
        if case.pre_release:
            services.pre_release_start(actor=self.actor, episode=episode)
            self._contacts(episode, case.contacts)
            for area, goal, action in case.plan:
                services.plan_need_add(
                    actor=self.actor, episode=episode, area=area, goal=goal, action=action
                )
        if case.released_today or case.release < 0:
            services.release_record(
                actor=self.actor,
                episode=episode,
                released_on=self.day(min(case.release, 0)),
                release_type=case.release_type,
                expected_version=2 if case.details else 1,
            )
            if case.met_at_gate:
                services.gate_meet_record(
                    actor=self.actor,
                    episode=episode,
                    met=True,
                    met_by="Peer support worker",
                    place="At the gate, then to the GP practice",
                )
            self._contacts(episode, case.contacts_after)
            self._after_release(episode, case)
        self._appointments(episode, case)
        self._changes(episode, case)
        return episode

    def _changes(self, episode: Episode, case: Case) -> None:
        """The plan's later word and the appointments moved, as a worker records them."""
        needs = {n.area: n for n in selectors.plan_needs_of(episode)}
        for area, action, met in case.plan_updates:
            services.plan_need_update(
                actor=self.actor,
                need=needs[area],
                seen_updates=needs[area].updates.count(),
                action=action,
                met=met,
                met_on=self.today if met else None,
                note="Met the family on a visit; a room is ready for them." if met else "",
            )
        appointments = {a.kind: a for a in selectors.appointments_of(episode)}
        release_on = self.day(case.release)
        for kind, after, reason in case.moved:
            appointment = appointments[kind]
            services.appointment_change(
                actor=self.actor,
                appointment=appointment,
                expected_version=appointment.version,
                appointment_on=release_on + after * D,
                where=appointment.where,
                reason=reason,
            )

    def _appointments(self, episode: Episode, case: Case) -> None:
        release_on = self.day(case.release)
        for kind, after, where, attended in case.appointments:
            appointment = services.appointment_book(
                actor=self.actor,
                episode=episode,
                kind=kind,
                appointment_on=release_on + after * D,
                where=where,
            )
            if attended is not None:
                services.appointment_attendance(
                    actor=self.actor, appointment=appointment, attended=attended
                )

    def _after_release(self, episode: Episode, case: Case) -> None:
        if not case.post_release:
            return
        services.post_release_start(actor=self.actor, episode=episode)
        if case.extension is not None:
            months, reason = case.extension
            released_on = self.day(min(case.release, 0))
            services.extension_approve(
                actor=self.actor,
                episode=episode,
                extended_to=selectors.months_after(released_on, months),
                reason=reason,
            )
        for days_ago, service_type, name, checked_days_ago in case.handovers:
            handover = services.handover_record(
                actor=self.actor,
                episode=episode,
                data=services.HandoverInput(
                    service_type=service_type,
                    service_name=name.format(town=TOWNS[self.region]),
                    handed_over_on=self.day(-days_ago),
                    first_appointment_on=self.day(-(checked_days_ago or days_ago - 10)),
                ),
            )
            if checked_days_ago is not None:
                # Engaged at the first appointment: the 4-week check is still to come.
                services.engagement_check_record(
                    actor=self.actor,
                    handover=handover,
                    checked_on=self.day(-checked_days_ago),
                    engaged=True,
                    notes="Attended with their peer support worker.",
                )
        if case.recalled_days_ago is not None:
            services.recall_record(
                actor=self.actor,
                episode=episode,
                recalled_on=self.day(-case.recalled_days_ago),
                notes="Recalled for a breach of licence conditions.",
            )

    def _contacts(self, episode: Episode, contacts: tuple[tuple[int, str, str], ...]) -> None:
        for days_ago, mode, notes in contacts:
            services.contact_record(
                actor=self.actor,
                episode=episode,
                data=services.ContactInput(
                    contact_on=self.day(-days_ago), mode=mode, notes=notes, with_whom="The person"
                ),
            )

    def _refer(self, case: Case, person: Person, site: Site) -> Episode:
        expected = self.day(case.release) if case.release >= 0 else None
        released = self.day(case.release) if case.release < 0 else None
        if case.route == "list":
            return services.referral_from_release(
                actor=self.actor,
                person=person,
                team=self.team,
                establishment=site,
                expected_release_on=self.day(case.release),
                release_type=case.release_type,
                list_name=f"{site.name} release list",
                health_need=case.need,
            ).episode
        data = services.ReferralInput(
            referrer=case.referrer,
            health_need=case.need,
            establishment=site,
            expected_release_on=expected,
            released_on=released,
            release_type=case.release_type,
            referrer_name=case.referrer_name,
            exception_reason=case.exception,
        )
        if case.route == "ld" and self.custody is not None:
            ld = journeys.episode_open(
                actor=self.actor,
                person=person,
                team=self.custody,
                setting="police_custody",
                referral_source="custody_sergeant",
                referred_at=timezone.now() - 2 * D,
                reason="Arrested on a warrant; remanded to prison by the court.",
            )
            journeys.episode_move(
                actor=self.actor, episode=ld, to_stage=Stage.SCREENED, note="Screened in custody"
            )
            return services.referral_from_ld(actor=self.actor, from_episode=ld, data=data).episode
        return services.referral_record(
            actor=self.actor, person=person, team=self.team, data=data
        ).episode

    def _details(self, episode: Episode, case: Case, site: Site) -> None:
        other = case.details.get("other_area")
        area_key = OTHER_REGION[self.region] if other else self.region
        area: Region | None = self.ctx.regions.get(area_key)
        services.release_details_save(
            actor=self.actor,
            episode=episode,
            data=services.ReleaseInput(
                establishment=site,
                expected_release_on=self.day(max(case.release, 0)) if case.release >= 0 else None,
                release_type=case.release_type,
                area=area,
                area_detail=TOWNS[area_key],
                accommodation=case.details.get("accommodation", ""),
                probation_practitioner=PROBATION[self.region],
                medication=case.details.get("medication", ""),
            ),
            expected_version=1,
        )


@register_demo_seeder
def seed_reconnect_demo(ctx: DemoContext) -> None:
    """Give each region's RECONNECT team people at every stage built (see the module docstring)."""
    made: list[Episode] = []
    for region in REGIONS:
        if f"{region}.reconnect" not in ctx.teams or f"service_manager.{region}" not in ctx.users:
            continue
        seeder = _Region(ctx, region)
        if not seeder.prisons:
            continue
        cases = [*CASES, *AFTER_RELEASE_CASES]
        if seeder.irc is not None and region == "blackcountry":
            cases.append(IRC_CASE)
        people = _people(ctx, region, seeder.today)
        for case, person in zip(cases, people, strict=False):
            made.append(seeder.case(case, person))
    ctx.extra["reconnect.episodes"] = made
    ctx.log(f"Made {len(made)} demo RECONNECT episodes, from referral to release.")
