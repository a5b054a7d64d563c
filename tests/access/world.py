"""The standard world the access matrix runs in: one person, a care team, and every role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Team
from healthjustice.organisations.roles import Role
from healthjustice.people.models import Person
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RegionFactory,
    TeamFactory,
    UserFactory,
    staff,
)

ROLE_FOR = {
    "practitioner": Role.PRACTITIONER,
    "team_leader": Role.TEAM_LEADER,
    "service_manager": Role.SERVICE_MANAGER,
    "equality_lead": Role.EQUALITY_LEAD,
    "ig_auditor": Role.IG_AUDITOR,
    "system_admin": Role.SYSTEM_ADMIN,
}


@dataclass
class World:
    team: Team
    other_team: Team
    person: Person
    users: dict[str, User]
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, build) -> Any:
        """An object built once per world, for cases that need more than a person."""
        if key not in self.extra:
            self.extra[key] = build(self)
        return self.extra[key]


def build_world() -> World:
    region = RegionFactory(name="Staffordshire and Stoke-on-Trent")
    trust = OrganisationFactory(
        name="Midlands Partnership University NHS Foundation Trust", ods_code="RRE"
    )
    team = TeamFactory(name="Stoke custody L&D", organisation=trust, region=region)
    other_team = TeamFactory(name="Cannock court L&D", organisation=trust, region=region)
    person = PersonFactory(team=team)
    users: dict[str, User] = {
        role: staff(ROLE_FOR[role], team=team, user__username=role) for role in ROLE_FOR
    }
    users["practitioner_other_team"] = staff(
        Role.PRACTITIONER, team=other_team, user__username="practitioner_other_team"
    )
    users["carer"] = UserFactory(username="carer", kind=User.Kind.CARER)
    return World(team=team, other_team=other_team, person=person, users=users)
