"""The standard world the access matrix runs in: one person, a care team, and every role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from healthjustice.accounts.models import User
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import DataSharingAgreement, Organisation, Region, Team
from healthjustice.organisations.roles import Role
from healthjustice.people.models import Person
from tests.factories import (
    AgreementFactory,
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


@dataclass
class Sharing:
    """A data-sharing agreement around the world and the viewers its rule must refuse.

    The first trust (the world's) and a second trust are parties to an agreement covering
    Staffordshire and the L&D pathway. Everyone below belongs to a team other than the one
    caring for the world's person, so only the agreement could ever let them see that person.
    """

    agreement: DataSharingAgreement
    second_trust: Organisation
    partner_team: Team
    unshared_person: Person  # held only by the first trust, in a region the agreement omits


# The viewers added by `add_sharing`, and how each stands to the world's person.
PARTNER = "practitioner_partner"  # second trust, L&D, Staffordshire: sees by agreement
OTHER_REGION = "practitioner_other_region"  # second trust, L&D, the Black Country
NON_PARTY = "practitioner_non_party"  # a trust not party to the agreement, L&D, Staffordshire
OTHER_PATHWAY = "practitioner_other_pathway"  # second trust, RECONNECT, Staffordshire
PARTNER_IG = "ig_auditor_partner"  # the second trust's information-governance auditor
OUTSIDERS = (OTHER_REGION, NON_PARTY, OTHER_PATHWAY)


def add_sharing(world: World) -> Sharing:
    """Add the agreement, its teams and viewers to a world (a dozen rows; the matrix of every
    role does not build them, only the tests that need them)."""
    staffordshire = world.team.region
    black_country = RegionFactory(name="Black Country")
    first_trust = world.team.organisation
    second_trust = OrganisationFactory(
        name="North Staffordshire Combined Healthcare NHS Trust", ods_code="RLY"
    )
    non_party = OrganisationFactory(name="A trust not party to the agreement", ods_code="RXX")
    agreement = AgreementFactory(
        title="Staffordshire L&D information sharing",
        reference="DSA-STAFFS-LD",
        purposes=[Pathway.LIAISON_DIVERSION],
    )
    agreement.organisations.set([first_trust, second_trust])
    agreement.regions.set([staffordshire])

    def team(
        name: str, organisation: Organisation, region: Region, pathway=Pathway.LIAISON_DIVERSION
    ):
        return TeamFactory(name=name, organisation=organisation, region=region, pathway=pathway)

    partner_team = team("Stafford court L&D", second_trust, staffordshire)
    teams = {
        PARTNER: partner_team,
        PARTNER_IG: partner_team,
        OTHER_REGION: team("Black Country custody L&D", second_trust, black_country),
        NON_PARTY: team("Non-party custody L&D", non_party, staffordshire),
        OTHER_PATHWAY: team("Stafford RECONNECT", second_trust, staffordshire, Pathway.RECONNECT),
    }
    for username, member_of in teams.items():
        role = Role.IG_AUDITOR if username == PARTNER_IG else Role.PRACTITIONER
        world.users[username] = staff(role, team=member_of, user__username=username)
    first_trust_black_country = team("Walsall custody L&D", first_trust, black_country)
    return Sharing(
        agreement=agreement,
        second_trust=second_trust,
        partner_team=partner_team,
        unshared_person=PersonFactory(team=first_trust_black_country),
    )
