from types import SimpleNamespace

import pytest

from healthjustice.organisations.roles import Role
from healthjustice.people.models import CareRelationship
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.reconnect.factories import prison, reconnect_team


@pytest.fixture
def rw(db):
    """An L&D team and a RECONNECT team in one region, a prison, workers, a leader, a person."""
    region = RegionFactory(name="Staffordshire")
    ld_team = TeamFactory(name="Stoke custody L&D", region=region)
    ld_worker = staff(Role.PRACTITIONER, team=ld_team)
    team = reconnect_team(like=ld_team)
    worker = staff(Role.PRACTITIONER, team=team)
    leader = staff(Role.TEAM_LEADER, team=team)
    site = prison(team)
    person = PersonFactory(team=team)
    # Known to both teams: the L&D team saw them in custody.
    CareRelationship.objects.get_or_create(person=person, team=ld_team)
    return SimpleNamespace(
        region=region,
        ld_team=ld_team,
        ld_worker=ld_worker,
        team=team,
        worker=worker,
        leader=leader,
        site=site,
        person=person,
    )
