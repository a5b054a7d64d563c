"""Demo people, registered through the people services as the demo staff would register them."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from faker import Faker

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Membership, Team
from healthjustice.organisations.roles import Role
from healthjustice.people.choices import RestrictionReason
from healthjustice.people.models import (
    CareRelationship,
    EthnicCategory,
    Person,
    PersonAlias,
    PersonChange,
)
from healthjustice.people.services import person_details, person_register, restriction_set

from .generator import Draft, PersonGenerator, Pools
from .identifiers import demo_nhs_numbers
from .reference import BLACK_COUNTRY, STAFFS

REGION_SHARES = {STAFFS: 60, BLACK_COUNTRY: 40}
FIRST_TEAM_SHARES = {"custody": 40, "court": 25, "mhtr": 15, "reconnect": 20}
# Where a person goes next when a second team also works with them.
ONWARD = {
    "custody": ("court", "mhtr"),
    "court": ("mhtr", "reconnect"),
    "mhtr": ("court",),
    "reconnect": ("mhtr",),
}
SECOND_TEAM_SHARE = 0.3
HISTORY_DAYS = 540
RESTRICTED_TEAM = f"{STAFFS}.custody"
RESTRICTING_USER = f"team_leader.{STAFFS}"
RESTRICTIONS = [
    (RestrictionReason.STAFF_RELATIVE, "Relative of a member of the custody team"),
    (RestrictionReason.HIGH_PROFILE, "Case reported in the local press"),
]
REGISTERING_ROLES = [Role.PRACTITIONER, Role.TEAM_LEADER, Role.SERVICE_MANAGER]


@dataclass
class DemoPeople:
    people: list[Person]
    # Each team's people, leaving out restricted records (only their named staff may open them).
    by_team: dict[str, list[Person]]
    restricted: list[Person]


def demo_people():
    """Demo people are those the demo staff registered."""
    return Person.objects.filter(created_by__is_demo=True)


def _registering_users(teams: dict[str, Team]) -> dict[str, User]:
    """For each team, the demo account that registers its people: a practitioner if it has one."""
    chosen: dict[str, User] = {}
    memberships = Membership.objects.filter(
        user__is_demo=True, role__in=REGISTERING_ROLES, team__in=teams.values()
    ).select_related("user")
    rank = {str(r): i for i, r in enumerate(REGISTERING_ROLES)}
    by_team_id = {team.id: key for key, team in teams.items()}
    best: dict[str, tuple[int, str]] = {}
    for m in memberships:
        key = by_team_id[m.team_id]
        order = (rank[m.role], m.user.username)
        if key not in best or order < best[key]:
            best[key], chosen[key] = order, m.user
    return chosen


def register_draft(
    draft: Draft,
    *,
    actor: User,
    team: Team,
    categories: dict[str, EthnicCategory],
    today: datetime.date,
) -> Person:
    """Register a generated person through the people services, as a demo account would."""
    data = dict(draft.fields)
    data["ethnic_category"] = categories.get(draft.ethnic_code)
    data["ethnicity_recorded_on"] = today if data["ethnic_category"] else None
    person = person_register(
        actor=actor,
        team=team,
        data=person_details(data),
        aliases=[(g, f) for g, f, _ in draft.aliases],
    )
    if draft.aliases:
        aliases = list(person.aliases.order_by("pk"))
        for alias, (_, _, kind) in zip(aliases, draft.aliases, strict=True):
            alias.kind = kind
        PersonAlias.objects.bulk_update(aliases, ["kind"])
    return person


def backdate_registration(person: Person, started: datetime.date, rng: random.Random) -> None:
    """Move a registration back to `started` (at a random working hour), so the record and its
    timeline look lived-in."""
    at = timezone.make_aware(
        datetime.datetime.combine(started, datetime.time(rng.randint(8, 19), rng.randint(0, 59)))
    )
    Person.objects.filter(pk=person.pk).update(
        created_at=at,
        updated_at=at,
        ethnicity_recorded_on=started if person.ethnic_category_id else None,
    )
    CareRelationship.objects.filter(person=person).update(started_on=started)
    PersonChange.objects.filter(person=person).update(at=at)


@transaction.atomic
def seed_people(
    *,
    teams: dict[str, Team],
    users: dict[str, User],
    count: int,
    rng: random.Random,
    faker: Faker,
) -> DemoPeople:
    today = timezone.localdate()
    categories = {c.code: c for c in EthnicCategory.objects.filter(code_list__is_current=True)}
    taken = Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True)
    generator = PersonGenerator(
        rng, Pools.build(faker, rng, size=400), iter(demo_nhs_numbers(count, taken)), today
    )
    registrars = _registering_users(teams)
    by_team: dict[str, list[Person]] = {key: [] for key in teams}
    people: list[Person] = []
    for _ in range(count):
        region = rng.choices(list(REGION_SHARES), list(REGION_SHARES.values()))[0]
        kind = rng.choices(list(FIRST_TEAM_SHARES), list(FIRST_TEAM_SHARES.values()))[0]
        key = f"{region}.{kind}"
        person = register_draft(
            generator.draft(region),
            actor=registrars[key],
            team=teams[key],
            categories=categories,
            today=today,
        )
        started = today - datetime.timedelta(days=rng.randint(0, HISTORY_DAYS))
        backdate_registration(person, started, rng)
        by_team[key].append(person)
        if rng.random() < SECOND_TEAM_SHARE:
            onward = f"{region}.{rng.choice(ONWARD[kind])}"
            later = started + datetime.timedelta(
                days=rng.randint(0, min(60, (today - started).days))
            )
            CareRelationship.objects.create(
                person=person,
                team=teams[onward],
                started_on=later,
                reason=f"Referred on by {teams[key].name}",
            )
            by_team[onward].append(person)
        people.append(person)
    restricted = _restrict(by_team[RESTRICTED_TEAM], users[RESTRICTING_USER])
    saved = Person.objects.select_related("ethnic_category").in_bulk([p.pk for p in people])
    hidden = {p.pk for p in restricted}
    return DemoPeople(
        [saved[p.pk] for p in people],
        {key: [saved[p.pk] for p in group if p.pk not in hidden] for key, group in by_team.items()},
        [saved[pk] for pk in hidden],
    )


def _restrict(candidates: list[Person], leader: User) -> list[Person]:
    chosen = candidates[-len(RESTRICTIONS) :]
    for person, (reason, note) in zip(chosen, RESTRICTIONS, strict=False):
        restriction_set(
            actor=leader, person=person, reason=reason, note=note, allowed_users=[leader]
        )
    return chosen
