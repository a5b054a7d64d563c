"""A small RECONNECT world whose figures were worked out by hand (see the tests that use it).

Months A (two months ago) and B (last month); "A-05" is the 5th of month A; "+28d" is 28
days after the date before it. Region "Staffordshire", RECONNECT team T:

ep  referred          released  contact before release  gate meet  GP evidence
r1  A-01 in window    A-03      A-02                    met        GP appointment attended A-03+28d
r2  A-02 exception    A-04      none                    not met    GP appointment attended A-04+29d
r3  A-20 in window    A-12      none (after: A-21)      none       GP handover, engaged A-24
r4  A-05 in window    -         A-06
r5  B-01 in window    B-03      B-02                    met        none
r6  B-04 no referral row (an episode from before the app)
r7  B-06 in window    B-08      B-07                    none       GP appointment attended B-09

Handovers: r1 A-05 (first check A-06, 4-week check A-06+28d, engaged); r2 A-06 (first check
A-07, 4-week check A-07+27d, engaged: too early to confirm); r3 A-22 to a GP (first check only);
r5 B-10 (first check B-11 engaged, 4-week check B-11+28d not engaged).
Stages: r1 handed over A-10, closed (needs met) B-05; r2 recalled A-20 (closed); r7 recalled
B-20 (closed); the rest open.

Hand-worked, months A and B:
- Referrals in the window: A 3 of 4 (75%), 1 by exception; B 2 of 3 (67%), 1 not recorded;
  all 5 of 7 (71%).
- Engaged before release (by month released): A 1 of 3 (33%; r3 referred after release, r2
  no contact); B 2 of 2 (100%); all 3 of 5 (60%).
- Gate meets: A 1 of 3 (33%); B 1 of 2 (50%); all 2 of 5 (40%).
- GP within 28 days: A 2 of 3 (67%: r1 on day 28, r3; not r2 on day 29); B 1 of 2 (50%);
  all 3 of 5 (60%).
- Engaged at 4 weeks (by month of first handover): A 1 of 3 (33%); B 0 of 1 (0%, not engaged);
  all 1 of 4 (25%).
- Recalls: A 1, B 1.
- Days supported after release: A r1 7, r2 16 → median 11.5, 90th percentile 16.0; B r7 12;
  all [7, 12, 16] → median 12.0, 90th percentile 16.0.
Also: r0, referred and closed long before A (never counted); team T2 in the same region with
r8 (B-15, referred only); a team in "Cheshire" with r9 (B-10, released B-12); an MHTR episode
in the region.
Return rows: month A r1..r4 (4); month B r1, r3..r8 (7: r2 closed in A).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from healthjustice.interventions.choices import ServiceType
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import ClosureReason, EpisodeSetting, ReferralSource, Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.organisations.choices import Pathway, SiteKind
from healthjustice.organisations.models import Region, Site, Team
from healthjustice.organisations.roles import Role
from healthjustice.reconnect.choices import (
    AppointmentKind,
    ContactMode,
    EngagementCheckKind,
    Referrer,
)
from healthjustice.reconnect.models import (
    EngagementCheck,
    FirstWeekAppointment,
    GateMeet,
    Handover,
    Recall,
    ReconnectReferral,
    ReleaseDetails,
    SupportContact,
)
from healthjustice.reporting.periods import Month
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.reporting.known_data import _white_british

D = datetime.timedelta(days=1)


@dataclass
class ReconnectKnown:
    a: Month
    b: Month
    region: Region
    other_region: Region
    team: Team
    team_2: Team
    leader: object
    episodes: dict[str, Episode]


def on(month: Month, day: int) -> datetime.date:
    return datetime.date(month.year, month.month, day)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _Builder:
    def __init__(self, by, site: Site) -> None:
        self.by = by
        self.site = site

    def episode(
        self,
        team: Team,
        referred: datetime.date,
        *,
        exception: bool = False,
        no_referral: bool = False,
        released: datetime.date | None = None,
        **person,
    ) -> Episode:
        episode = Episode.objects.create(
            person=PersonFactory(team=team, **person),
            team=team,
            pathway=Pathway.RECONNECT,
            setting=EpisodeSetting.PRISON,
            referral_source=ReferralSource.PRISON_HEALTHCARE,
            referred_at=at(referred, 9),
        )
        if not no_referral:
            release_on = released or referred + 30 * D
            ReconnectReferral.objects.create(
                episode=episode,
                referrer=Referrer.PRISON_HEALTHCARE,
                health_need="No GP in the community",
                release_on=release_on,
                window_opens=release_on - 84 * D,
                window_closes=release_on + 28 * D,
                exception_reason="Release brought forward" if exception else "",
                exception_by=self.by if exception else None,
                made_by=self.by,
                made_at=at(referred, 9),
            )
            ReleaseDetails.objects.create(
                episode=episode, establishment=self.site, released_on=released
            )
        return episode

    def history(self, episode: Episode, *steps: tuple) -> None:
        rows = [(Stage.REFERRED, episode.referred_at, ""), *steps]
        for seq, (stage, when, *reason) in enumerate(rows, start=1):
            EpisodeStatus.objects.create(
                episode=episode,
                seq=seq,
                stage=stage,
                at=when if isinstance(when, datetime.datetime) else at(when, 15),
                closure_reason=reason[0] if reason else "",
            )

    def contact(self, episode: Episode, day: datetime.date, *, after: bool = False) -> None:
        SupportContact.objects.create(
            episode=episode,
            contact_on=day,
            mode=ContactMode.IN_PERSON,
            after_release=after,
            notes="Talked through the plan",
            recorded_by=self.by,
        )

    def gate(self, episode: Episode, day: datetime.date, met: bool) -> None:
        GateMeet.objects.create(
            episode=episode,
            met=met,
            met_by="Peer support worker",
            place="The gate",
            not_met_reason="" if met else "Released early in the morning",
            recorded_by=self.by,
            recorded_at=at(day, 16),
        )

    def gp(self, episode: Episode, day: datetime.date, attended: bool = True) -> None:
        FirstWeekAppointment.objects.create(
            episode=episode,
            kind=AppointmentKind.GP,
            appointment_on=day,
            booked_by=self.by,
            attended=attended,
        )

    def handover(
        self,
        episode: Episode,
        day: datetime.date,
        first: tuple[datetime.date, bool] | None = None,
        four_weeks: tuple[datetime.date, bool] | None = None,
        service_type: str = ServiceType.DRUGS_ALCOHOL,
    ) -> Handover:
        referral = OnwardReferral.objects.create(
            episode=episode,
            service_type=service_type,
            service_name="Community service",
            referred_on=day,
            created_by=self.by,
        )
        handover = Handover.objects.create(episode=episode, referral=referral, recorded_by=self.by)
        for kind, check in (
            (EngagementCheckKind.FIRST_APPOINTMENT, first),
            (EngagementCheckKind.FOUR_WEEKS, four_weeks),
        ):
            if check is not None:
                EngagementCheck.objects.create(
                    handover=handover,
                    kind=kind,
                    checked_on=check[0],
                    engaged=check[1],
                    notes="" if check[1] else "Did not go back",
                    recorded_by=self.by,
                )
        return handover

    def recall(self, episode: Episode, day: datetime.date) -> None:
        Recall.objects.create(episode=episode, recalled_on=day, recorded_by=self.by)


def build_reconnect_known(*, team_name: str = "Staffordshire RECONNECT") -> ReconnectKnown:
    b = Month.current().previous()
    a = b.previous()
    region = RegionFactory(name="Staffordshire")
    other_region = RegionFactory(name="Cheshire")
    team = TeamFactory(name=team_name, region=region, pathway=Pathway.RECONNECT)
    team_2 = TeamFactory(
        name="South Staffordshire RECONNECT", region=region, pathway=Pathway.RECONNECT
    )
    team_3 = TeamFactory(name="Cheshire RECONNECT", region=other_region, pathway=Pathway.RECONNECT)
    mhtr_team = TeamFactory(name="Staffordshire MHTR", region=region, pathway=Pathway.MHTR)
    leader = staff(Role.TEAM_LEADER, team=team)
    site = Site.objects.create(name="HMP Stafford", kind=SiteKind.PRISON, region=region, code="SFI")
    x = _Builder(leader, site)
    S = Stage
    e: dict[str, Episode] = {}
    adult = {"date_of_birth": on(a, 1).replace(year=a.year - 30), "sex": "2"}

    r1 = e["r1"] = x.episode(
        team, on(a, 1), released=on(a, 3), ethnic_category=_white_british(), **adult
    )
    x.history(
        r1,
        (S.PRE_RELEASE, on(a, 2)),
        (S.RELEASED, on(a, 3)),
        (S.POST_RELEASE, on(a, 3)),
        (S.HANDED_OVER, on(a, 10)),
        (S.CLOSED, on(b, 5), ClosureReason.NEEDS_MET),
    )
    x.contact(r1, on(a, 2))
    x.gate(r1, on(a, 3), met=True)
    x.gp(r1, on(a, 3) + 28 * D)
    x.handover(r1, on(a, 5), (on(a, 6), True), (on(a, 6) + 28 * D, True))

    r2 = e["r2"] = x.episode(team, on(a, 2), exception=True, released=on(a, 4))
    x.history(
        r2,
        (S.RELEASED, on(a, 4)),
        (S.POST_RELEASE, on(a, 4)),
        (S.CLOSED, on(a, 20), ClosureReason.RECALLED),
    )
    x.gate(r2, on(a, 4), met=False)
    x.gp(r2, on(a, 4) + 29 * D)
    x.handover(r2, on(a, 6), (on(a, 7), True), (on(a, 7) + 27 * D, True))
    x.recall(r2, on(a, 20))

    r3 = e["r3"] = x.episode(team, on(a, 20), released=on(a, 12))
    x.history(r3, (S.RELEASED, on(a, 20)), (S.POST_RELEASE, on(a, 21)))
    x.contact(r3, on(a, 21), after=True)
    x.handover(r3, on(a, 22), (on(a, 24), True), service_type=ServiceType.GP)

    r4 = e["r4"] = x.episode(team, on(a, 5))
    x.history(r4, (S.PRE_RELEASE, on(a, 6)))
    x.contact(r4, on(a, 6))

    r5 = e["r5"] = x.episode(team, on(b, 1), released=on(b, 3))
    x.history(r5, (S.RELEASED, on(b, 3)), (S.POST_RELEASE, on(b, 3)))
    x.contact(r5, on(b, 2))
    x.gate(r5, on(b, 3), met=True)
    x.handover(r5, on(b, 10), (on(b, 11), True), (on(b, 11) + 28 * D, False))

    e["r6"] = x.episode(team, on(b, 4), no_referral=True)
    x.history(e["r6"])

    r7 = e["r7"] = x.episode(team, on(b, 6), released=on(b, 8))
    x.history(
        r7,
        (S.RELEASED, on(b, 8)),
        (S.CLOSED, on(b, 20), ClosureReason.RECALLED),
    )
    x.contact(r7, on(b, 7))
    x.gp(r7, on(b, 9))
    x.recall(r7, on(b, 20))

    r0 = e["r0"] = x.episode(team, on(a, 1) - 200 * D, released=on(a, 1) - 180 * D)
    x.history(r0, (S.CLOSED, on(a, 1) - 100 * D, ClosureReason.NEEDS_MET))

    e["r8"] = x.episode(team_2, on(b, 15))
    x.history(e["r8"])
    r9 = e["r9"] = x.episode(team_3, on(b, 10), released=on(b, 12))
    x.history(r9, (S.RELEASED, on(b, 12)))
    x.contact(r9, on(b, 11))
    mhtr = Episode.objects.create(
        person=PersonFactory(team=mhtr_team),
        team=mhtr_team,
        pathway=Pathway.MHTR,
        setting=EpisodeSetting.MAGISTRATES_COURT,
        referral_source=ReferralSource.PROBATION,
        referred_at=at(on(b, 3)),
    )
    x.history(mhtr)
    return ReconnectKnown(
        a=a,
        b=b,
        region=region,
        other_region=other_region,
        team=team,
        team_2=team_2,
        leader=leader,
        episodes=e,
    )
