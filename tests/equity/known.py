"""A small region whose equity figures are known.

Region "Staffordshire and Stoke-on-Trent": Stoke-on-Trent and Staffordshire, TS021 loaded
(Stoke: White British 100,000, African 2,000, Pakistani 5,000, other categories 100;
Staffordshire: every category 200). Team A (L&D) last month:
- 20 White British people: all screened (2 hours after referral), 10 assessed, 5 referred on;
- 8 Black African people: 6 screened (4 hours), 2 assessed;
- 3 Pakistani people (a small number), 2 people not stated, 5 not known (no category).
Team B (L&D, same region): 1 White British person, not self-reported.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from healthjustice.equity.services import census_ethnicity_load, local_authority_map
from healthjustice.interventions.choices import ReferralOutcome, ServiceType
from healthjustice.journeys.choices import Stage
from healthjustice.organisations.models import Region, Team
from healthjustice.organisations.roles import Role
from healthjustice.people.models import EthnicCategory, EthnicCodeList
from healthjustice.screening.models import Screening
from tests.equity import census_file
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.interventions.factories import OnwardReferralFactory, make_episode

H = datetime.timedelta(hours=1)


@dataclass
class Known:
    region: Region
    team_a: Team
    team_b: Team
    equality_lead: object
    leader_a: object
    month: str
    people: list


CODES = {
    "A": ("British", "White", EthnicCategory.Kind.CATEGORY),
    "N": ("African", "Black or Black British", EthnicCategory.Kind.CATEGORY),
    "J": ("Pakistani", "Asian or Asian British", EthnicCategory.Kind.CATEGORY),
    "Z": ("Not stated", "Not stated", EthnicCategory.Kind.NOT_STATED),
    "B": ("Irish", "White", EthnicCategory.Kind.CATEGORY),
    "C": ("Any other White background", "White", EthnicCategory.Kind.CATEGORY),
    "H": ("Indian", "Asian or Asian British", EthnicCategory.Kind.CATEGORY),
    "M": ("Caribbean", "Black or Black British", EthnicCategory.Kind.CATEGORY),
    "R": ("Chinese", "Other ethnic groups", EthnicCategory.Kind.CATEGORY),
    "S": ("Any other ethnic group", "Other ethnic groups", EthnicCategory.Kind.CATEGORY),
    "99": ("Not known", "Not known", EthnicCategory.Kind.NOT_KNOWN),
}


def _category(code: str) -> EthnicCategory:
    """The 2001 list's code (loaded by a migration; transactional tests flush it)."""
    code_list, _ = EthnicCodeList.objects.get_or_create(
        version="2001",
        defaults={
            "name": "Ethnic category (2001 census)",
            "in_force_from": datetime.date(2001, 4, 1),
            "is_current": True,
        },
    )
    label, group, kind = CODES[code]
    category, _ = EthnicCategory.objects.get_or_create(
        code_list=code_list, code=code, defaults={"label": label, "group": group, "kind": kind}
    )
    return category


def build_known() -> Known:
    region = RegionFactory(name="Staffordshire and Stoke-on-Trent")
    local_authority_map(actor=None, gss_code="E06000021", name="Stoke-on-Trent", region=region)
    local_authority_map(actor=None, gss_code="E10000028", name="Staffordshire", region=region)
    stoke = {
        "English, Welsh, Scottish, Northern Irish or British": 100_000,
        "African": 2_000,
        "Pakistani": 5_000,
    }
    census_ethnicity_load(
        actor=None,
        text=census_file.text(
            [
                census_file.row("Stoke-on-Trent", "E06000021", stoke),
                census_file.row("Staffordshire", "E10000028", base=200),
            ]
        ),
    )
    team_a = TeamFactory(name="Stoke custody L&D", region=region)
    team_b = TeamFactory(name="Stafford court L&D", region=region)
    equality_lead = staff(Role.EQUALITY_LEAD, team=team_a)
    leader_a = staff(Role.TEAM_LEADER, team=team_a)
    worker = staff(Role.PRACTITIONER, team=team_a)
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    base = timezone.make_aware(datetime.datetime.combine(first, datetime.time(9)))
    people = []

    def episode(team, code, *, screened=None, assessed=False, referred=False, self_reported=True):
        category = _category(code) if code else None
        person = PersonFactory(
            team=team, ethnic_category=category, ethnicity_self_reported=self_reported
        )
        people.append(person)
        referred_at = base + datetime.timedelta(days=len(people) % 20)
        history = [(Stage.IDENTIFIED, referred_at)]
        if screened:
            history.append((Stage.SCREENED, referred_at + screened * H))
        if assessed:
            history.append((Stage.ASSESSED, referred_at + 30 * H))
        ep = make_episode(team=team, person=person, referred_at=referred_at, history=history)
        if screened:
            Screening.objects.create(
                episode=ep,
                screened_at=referred_at + screened * H,
                screened_by=worker,
                vulnerabilities=["mental_health"],
                risk_level="medium",
                urgency="soon",
                full_assessment_needed=True,
            )
        if referred:
            OnwardReferralFactory(
                episode=ep,
                created_by=worker,
                service_type=ServiceType.MENTAL_HEALTH,
                service_name="Community mental health",
                referred_on=(referred_at + 40 * H).date(),
                attended=True,
                outcome=ReferralOutcome.ENGAGED,
            )

    for i in range(20):
        episode(team_a, "A", screened=2, assessed=i < 10, referred=i < 5)
    for i in range(8):
        episode(team_a, "N", screened=4 if i < 6 else None, assessed=i < 2)
    for _ in range(3):
        episode(team_a, "J", screened=3)
    for _ in range(2):
        episode(team_a, "Z")
    for _ in range(5):
        episode(team_a, None)
    episode(team_b, "A", self_reported=False)
    return Known(region, team_a, team_b, equality_lead, leader_a, f"{first:%Y-%m}", people)
