"""A small data set whose figures were worked out by hand (see the tests that use it).

Region "Staffordshire", month M (last month), team A:
- episodes a0..a9 screened 1, 2, 3, 4, 5, 6, 7, 8, 9 and 30 hours after referral:
  median (5 + 6) / 2 = 5.5 hours; 90th percentile, nearest rank ceil(0.9 × 10) = 9th = 9 hours.
- a0..a5 assessed 10, 20, 30, 40, 50 and 100 hours after referral:
  median (30 + 40) / 2 = 35 hours; 90th percentile ceil(0.9 × 6) = 6th = 100 hours.
- a0..a4 moved to intervention; a0 closed (declined). a10..a15 only identified.
  Stage now: identified 6, screened 4, assessed 1, intervention 4, closed 1; 16 episodes.
- Vulnerabilities: mental health a0..a9 (10), drugs a0..a5 (6), alcohol a0..a2 (3),
  housing a0 (1, at a second screening).
- Onward referrals: a0 mental health (attended, supported) and housing (attended);
  a1 mental health (attended); a2 mental health (did not attend); a3 drugs and alcohol
  (attended); a4 housing (not known yet). 6 referrals, 5 episodes referred on.
Team B (same region): 2 episodes, identified only.
Team C (region "Cheshire"): 3 episodes, never counted for Staffordshire.
Also: a team A episode referred the month before M, and an MHTR team's episode (not counted).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from healthjustice.interventions.choices import ReferralOutcome, ServiceType
from healthjustice.journeys.choices import Stage
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Region, Team
from healthjustice.organisations.roles import Role
from healthjustice.people.models import EthnicCategory, EthnicCodeList
from healthjustice.reporting.periods import Month
from healthjustice.screening.models import Screening
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.interventions.factories import OnwardReferralFactory, make_episode

H = datetime.timedelta(hours=1)
SCREEN_HOURS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 30]
ASSESS_HOURS = [10, 20, 30, 40, 50, 100]


@dataclass
class Known:
    month: Month
    region: Region
    other_region: Region
    team_a: Team
    team_b: Team
    team_c: Team
    episodes_a: list
    leader_a: object


def screen(episode, at, vulnerabilities, by) -> Screening:
    return Screening.objects.create(
        episode=episode,
        screened_at=at,
        screened_by=by,
        vulnerabilities=vulnerabilities,
        risk_level="medium",
        urgency="soon",
        full_assessment_needed=True,
    )


def _born(years_before: datetime.date, years: int, days_after: int = 0) -> datetime.date:
    return years_before.replace(year=years_before.year - years) + datetime.timedelta(
        days=days_after
    )


def _white_british() -> EthnicCategory:
    """Code A of the 2001 list (loaded by a migration; transactional tests flush it)."""
    code_list, _ = EthnicCodeList.objects.get_or_create(
        version="2001",
        defaults={
            "name": "Ethnic category (2001 census)",
            "in_force_from": datetime.date(2001, 4, 1),
            "is_current": True,
        },
    )
    category, _ = EthnicCategory.objects.get_or_create(
        code_list=code_list, code="A", defaults={"label": "British", "group": "White"}
    )
    return category


def build_known() -> Known:
    month = Month.current().previous()
    region = RegionFactory(name="Staffordshire")
    other_region = RegionFactory(name="Cheshire")
    team_a = TeamFactory(name="Stoke custody L&D", region=region)
    team_b = TeamFactory(name="Stafford court L&D", region=region)
    team_c = TeamFactory(name="Chester custody L&D", region=other_region)
    leader_a = staff(Role.TEAM_LEADER, team=team_a)
    worker = staff(Role.PRACTITIONER, team=team_a)
    base = month.starts_at + datetime.timedelta(days=1, hours=9)
    white_british = _white_british()

    episodes = []
    for i in range(16):
        referred = base + datetime.timedelta(days=i)
        history = [(Stage.IDENTIFIED, referred)]
        if i < 10:
            history.append((Stage.SCREENED, referred + SCREEN_HOURS[i] * H))
        if i < 6:
            history.append((Stage.ASSESSED, referred + ASSESS_HOURS[i] * H))
        if i < 5:
            history.append((Stage.INTERVENTION, referred + 110 * H))
        if i == 0:
            history.append((Stage.CLOSED, referred + 200 * H))
        person = None
        if i == 0:
            # 24 at referral: born 24 years and one day before the referral date.
            person = PersonFactory(
                team=team_a,
                date_of_birth=_born(referred.date(), 24, -1),
                sex="2",
                ethnic_category=white_british,
            )
        elif i == 1:
            # 18 tomorrow: still under 18 on the day of referral.
            person = PersonFactory(team=team_a, date_of_birth=_born(referred.date(), 18, 1))
        elif i == 2:
            person = PersonFactory(team=team_a, date_of_birth=None, sex="")
        elif i == 3:
            person = PersonFactory(team=team_a, date_of_birth=_born(referred.date(), 65))
        episode = make_episode(
            team=team_a,
            person=person,
            referred_at=referred,
            history=history,
            closure_reason="declined",
        )
        episodes.append(episode)
        if i < 10:
            found = ["mental_health"]
            if i < 6:
                found.append("drugs")
            if i < 3:
                found.append("alcohol")
            screen(episode, referred + SCREEN_HOURS[i] * H, found, worker)
    screen(episodes[0], base + 50 * H, ["housing", "mental_health"], worker)

    def refer(i, service_type, attended, outcome, supported=None):
        OnwardReferralFactory(
            episode=episodes[i],
            created_by=worker,
            service_type=service_type,
            service_name=f"{service_type} service",
            referred_on=(base + datetime.timedelta(days=i, hours=111)).date(),
            attended=attended,
            outcome=outcome,
            supported_to_first_appointment=supported,
        )

    refer(0, ServiceType.MENTAL_HEALTH, True, ReferralOutcome.ENGAGED, supported=True)
    refer(0, ServiceType.HOUSING, True, ReferralOutcome.ENGAGED)
    refer(1, ServiceType.MENTAL_HEALTH, True, ReferralOutcome.ENGAGED)
    refer(2, ServiceType.MENTAL_HEALTH, False, ReferralOutcome.DID_NOT_ATTEND)
    refer(3, ServiceType.DRUGS_ALCOHOL, True, ReferralOutcome.ENGAGED)
    refer(4, ServiceType.HOUSING, None, ReferralOutcome.PENDING)

    for i in range(2):
        make_episode(team=team_b, referred_at=base + datetime.timedelta(days=i))
    for i in range(3):
        make_episode(team=team_c, referred_at=base + datetime.timedelta(days=i))
    make_episode(team=team_a, referred_at=month.starts_at - datetime.timedelta(hours=1))
    mhtr = TeamFactory(region=region, pathway=Pathway.MHTR)
    make_episode(team=mhtr, referred_at=base)
    return Known(month, region, other_region, team_a, team_b, team_c, episodes, leader_a)
