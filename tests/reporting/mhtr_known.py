"""A small MHTR world whose figures were worked out by hand (see the tests that use it).

Months A (two months ago) and B (last month); "A-05" is the 5th of month A. Region
"Staffordshire", MHTR team T:

ep referred source (why)            suitability (newest)     PSR     court          ended
e1 A-02     ld (episode's source)   suitable A-03            A-04    order A-10     completed B-25
e2 A-05     probation (MHTR route)  suitable A-06            A-07    order A-15     revoked B-12
e3 A-08     self                    not suitable A-09                               closed A-10
e9 A-01     ld                      suitable A-05            A-06    order A-12     transfer B-05
e4 B-02     other (police)          suitable B-03            B-04    no order B-14  closed B-14
e5 B-06     probation               not B-07, suitable B-09  B-10    order B-20
e6 B-08     defence solicitor       suitable B-09            skipped   order B-15
e7 B-10     court (court staff)
e8 B-11     self                    not suitable B-12        B-13

Sessions: e1 A-12 attended, A-19 did not attend, B-03 attended, B-10 cancelled without an
acceptable reason (a notice), B-17 cancelled with one, B-20 cancelled by the service;
e2 A-20 did not attend, A-25 attended, B-05 attended; e9 A-14 attended; e5 B-24 attended.

Hand-worked, months A and B:
- Referrals: A ld 2, probation 1, self 1 (4); B probation 1, court 1, defence 1, self 1,
  other 1 (5).
- Suitability: A suitable 3, not 1; B suitable 3, not 1.
- Proposals: A 3 (e1, e2, e9); B 2 (e4, e5; e8's view was given while not suitable).
  Orders made: A 3, B 2; no order made: B 1.
- Conversion: A 3 of 3 (100%), B 1 of 2 (50%), all 4 of 5 (80%).
- Days from sentence to the first attended session: A e1 2, e2 10, e9 2 → median 2.0, 90th
  percentile (3rd of 3) 10.0; B e5 4; all [2, 2, 4, 10] → median 3.0, 90th percentile 10.0.
- Attendance: A attended 3, did not attend 2 → 3 of 5 (60%); B attended 3, cancelled
  without reason 1 → 3 of 4 (75%); all 6 of 9 (67%).
- Completion: A none ended (n 0); B e1 completed, e2 revoked → 1 of 2 (50%); e9's transfer
  is not an ending.
Also: an episode of team T referred and closed long before A (never counted); team T2 in the
same region with e10 (B-15, referred only); team T3 in "Cheshire" with e11 (B-15); an L&D
episode in the region (not MHTR).
Return rows: month A e1, e2, e3, e9 (4); month B e1, e2, e4..e10 (9).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from healthjustice.journeys.choices import ClosureReason, EpisodeSetting, ReferralSource, Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.mhtr.choices import (
    AssessmentMode,
    GpStatus,
    GuiltStatus,
    OrderType,
    ReferralRoute,
    SessionMode,
    SessionOutcome,
    Suitability,
    Tier,
    TreatmentType,
)
from healthjustice.mhtr.models import (
    ComplianceNotice,
    CourtOutcome,
    MhtrReferral,
    SuitabilityAssessment,
    TreatmentSession,
)
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Region, Team
from healthjustice.organisations.roles import Role
from healthjustice.reporting.periods import Month
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.reporting.known_data import _white_british

S = SessionOutcome


@dataclass
class MhtrKnown:
    a: Month
    b: Month
    region: Region
    other_region: Region
    team: Team
    team_2: Team
    team_3: Team
    leader: object
    episodes: dict[str, Episode]


def on(month: Month, day: int) -> datetime.date:
    return datetime.date(month.year, month.month, day)


def at(month: Month, day: int, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(on(month, day), datetime.time(hour)))


class _Builder:
    def __init__(self, by) -> None:
        self.by = by

    def episode(self, team: Team, referred: datetime.datetime, source: str, **person) -> Episode:
        return Episode.objects.create(
            person=PersonFactory(team=team, **person),
            team=team,
            pathway=Pathway.MHTR,
            setting=EpisodeSetting.MAGISTRATES_COURT,
            referral_source=source,
            referred_at=referred,
        )

    def history(self, episode: Episode, *steps: tuple[str, datetime.datetime] | tuple) -> None:
        rows = [(Stage.REFERRED, episode.referred_at, ""), *steps]
        for seq, (stage, when, *reason) in enumerate(rows, start=1):
            EpisodeStatus.objects.create(
                episode=episode,
                seq=seq,
                stage=stage,
                at=when,
                closure_reason=reason[0] if reason else "",
            )

    def suitability(self, episode: Episode, day: datetime.date, outcome: str) -> None:
        SuitabilityAssessment.objects.create(
            episode=episode,
            assessed_on=day,
            mode=AssessmentMode.IN_PERSON,
            offence_community_threshold=True,
            guilt=GuiltStatus.PLEADED_GUILTY,
            requires_treatment=True,
            not_hospital_order=True,
            arrangements_in_place=True,
            tier=Tier.PRIMARY,
            gp=GpStatus.REGISTERED,
            willing=True,
            outcome=outcome,
            recorded_by=self.by,
            recorded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(15))),
        )

    def court(self, episode: Episode, day: datetime.date, *, order: bool = True) -> None:
        extra = (
            dict(
                order_type=OrderType.COMMUNITY_ORDER,
                treatment_type=TreatmentType.PRACTITIONER,
                starts_on=day,
                months=6,
                ends_on=day + datetime.timedelta(days=180),
                tier=Tier.PRIMARY,
                planned_sessions=12,
            )
            if order
            else {"sentence_given": "Unpaid work"}
        )
        CourtOutcome.objects.create(
            episode=episode,
            order_made=order,
            court="North Staffordshire Justice Centre",
            sentenced_on=day,
            recorded_by=self.by,
            **extra,
        )

    def session(self, episode: Episode, day: datetime.date, outcome: str) -> TreatmentSession:
        session = TreatmentSession.objects.create(
            episode=episode,
            on=day,
            at=datetime.time(10),
            mode=SessionMode.IN_PERSON,
            practitioner="Jo Practitioner",
            outcome=outcome,
            created_by=self.by,
        )
        if outcome in (S.DID_NOT_ATTEND, S.CANCELLED_UNACCEPTABLE):
            ComplianceNotice.objects.create(
                episode=episode, session=session, due_on=day, created_by=self.by
            )
        return session


def build_mhtr_known(*, team_name: str = "Staffordshire MHTR") -> MhtrKnown:
    b = Month.current().previous()
    a = b.previous()
    region = RegionFactory(name="Staffordshire")
    other_region = RegionFactory(name="Cheshire")
    ld_team = TeamFactory(name="Stoke custody L&D", region=region)
    team = TeamFactory(name=team_name, region=region, pathway=Pathway.MHTR)
    team_2 = TeamFactory(name="South Staffordshire MHTR", region=region, pathway=Pathway.MHTR)
    team_3 = TeamFactory(name="Cheshire MHTR", region=other_region, pathway=Pathway.MHTR)
    leader = staff(Role.TEAM_LEADER, team=team)
    x = _Builder(leader)
    src = ReferralSource
    e: dict[str, Episode] = {}

    e["e1"] = x.episode(
        team,
        at(a, 2),
        src.LIAISON_DIVERSION,
        date_of_birth=on(a, 2).replace(year=on(a, 2).year - 30),
        sex="2",
        ethnic_category=_white_british(),
    )
    x.history(
        e["e1"],
        (Stage.SUITABILITY_ASSESSED, at(a, 3)),
        (Stage.PSR_VIEW_GIVEN, at(a, 4)),
        (Stage.AWAITING_SENTENCE, at(a, 5)),
        (Stage.ORDER_MADE, at(a, 10)),
        (Stage.IN_TREATMENT, at(a, 12)),
        (Stage.CLOSED, at(b, 25), ClosureReason.ORDER_COMPLETED),
    )
    x.suitability(e["e1"], on(a, 3), Suitability.SUITABLE)
    x.court(e["e1"], on(a, 10))
    for day, outcome in (
        (on(a, 12), S.ATTENDED),
        (on(a, 19), S.DID_NOT_ATTEND),
        (on(b, 3), S.ATTENDED),
        (on(b, 10), S.CANCELLED_UNACCEPTABLE),
        (on(b, 17), S.CANCELLED_ACCEPTABLE),
        (on(b, 20), S.CANCELLED_BY_SERVICE),
    ):
        x.session(e["e1"], day, outcome)

    e["e2"] = x.episode(team, at(a, 5), src.COURT_STAFF)
    MhtrReferral.objects.create(
        episode=e["e2"], route=ReferralRoute.PROBATION, reason="Probation asked", made_by=leader
    )
    x.history(
        e["e2"],
        (Stage.SUITABILITY_ASSESSED, at(a, 6)),
        (Stage.PSR_VIEW_GIVEN, at(a, 7)),
        (Stage.ORDER_MADE, at(a, 15)),
        (Stage.IN_TREATMENT, at(a, 25)),
        (Stage.CLOSED, at(b, 12), ClosureReason.ORDER_REVOKED),
    )
    x.suitability(e["e2"], on(a, 6), Suitability.SUITABLE)
    x.court(e["e2"], on(a, 15))
    x.session(e["e2"], on(a, 20), S.DID_NOT_ATTEND)
    x.session(e["e2"], on(a, 25), S.ATTENDED)
    x.session(e["e2"], on(b, 5), S.ATTENDED)

    e["e3"] = x.episode(team, at(a, 8), src.SELF)
    x.history(
        e["e3"],
        (Stage.SUITABILITY_ASSESSED, at(a, 9)),
        (Stage.CLOSED, at(a, 10), ClosureReason.NOT_SUITABLE),
    )
    x.suitability(e["e3"], on(a, 9), Suitability.NOT_SUITABLE)

    e["e9"] = x.episode(team, at(a, 1), src.LIAISON_DIVERSION)
    x.history(
        e["e9"],
        (Stage.SUITABILITY_ASSESSED, at(a, 5)),
        (Stage.PSR_VIEW_GIVEN, at(a, 6)),
        (Stage.ORDER_MADE, at(a, 12)),
        (Stage.IN_TREATMENT, at(a, 14)),
        (Stage.CLOSED, at(b, 5), ClosureReason.ORDER_TRANSFERRED),
    )
    x.suitability(e["e9"], on(a, 5), Suitability.SUITABLE)
    x.court(e["e9"], on(a, 12))
    x.session(e["e9"], on(a, 14), S.ATTENDED)

    e["e4"] = x.episode(team, at(b, 2), src.POLICE)
    x.history(
        e["e4"],
        (Stage.SUITABILITY_ASSESSED, at(b, 3)),
        (Stage.PSR_VIEW_GIVEN, at(b, 4)),
        (Stage.CLOSED, at(b, 14, 16), ClosureReason.NO_ORDER_MADE),
    )
    x.suitability(e["e4"], on(b, 3), Suitability.SUITABLE)
    x.court(e["e4"], on(b, 14), order=False)

    e["e5"] = x.episode(team, at(b, 6), src.PROBATION)
    x.history(
        e["e5"],
        (Stage.SUITABILITY_ASSESSED, at(b, 7)),
        (Stage.PSR_VIEW_GIVEN, at(b, 10)),
        (Stage.ORDER_MADE, at(b, 20)),
        (Stage.IN_TREATMENT, at(b, 24)),
    )
    x.suitability(e["e5"], on(b, 7), Suitability.NOT_SUITABLE)
    x.suitability(e["e5"], on(b, 9), Suitability.SUITABLE)
    x.court(e["e5"], on(b, 20))
    x.session(e["e5"], on(b, 24), S.ATTENDED)

    e["e6"] = x.episode(team, at(b, 8), src.DEFENCE_SOLICITOR)
    x.history(
        e["e6"],
        (Stage.SUITABILITY_ASSESSED, at(b, 9)),
        (Stage.ORDER_MADE, at(b, 15)),
    )
    x.suitability(e["e6"], on(b, 9), Suitability.SUITABLE)
    x.court(e["e6"], on(b, 15))

    e["e7"] = x.episode(team, at(b, 10), src.COURT_STAFF)
    x.history(e["e7"])

    e["e8"] = x.episode(team, at(b, 11), src.SELF)
    x.history(
        e["e8"],
        (Stage.SUITABILITY_ASSESSED, at(b, 12)),
        (Stage.PSR_VIEW_GIVEN, at(b, 13)),
    )
    x.suitability(e["e8"], on(b, 12), Suitability.NOT_SUITABLE)

    old = a.previous().previous().previous()
    e["old"] = x.episode(team, at(old, 3), src.PROBATION)
    x.history(e["old"], (Stage.CLOSED, at(old, 4), ClosureReason.DECLINED))

    e["e10"] = x.episode(team_2, at(b, 15), src.LIAISON_DIVERSION)
    x.history(e["e10"])
    e["e11"] = x.episode(team_3, at(b, 15), src.LIAISON_DIVERSION)
    x.history(e["e11"])
    ld = Episode.objects.create(
        person=PersonFactory(team=ld_team),
        team=ld_team,
        pathway=Pathway.LIAISON_DIVERSION,
        setting=EpisodeSetting.POLICE_CUSTODY,
        referral_source=src.POLICE,
        referred_at=at(b, 15),
    )
    EpisodeStatus.objects.create(episode=ld, seq=1, stage=Stage.IDENTIFIED, at=at(b, 15))
    return MhtrKnown(a, b, region, other_region, team, team_2, team_3, leader, e)
