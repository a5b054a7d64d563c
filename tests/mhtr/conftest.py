from types import SimpleNamespace

import pytest

from healthjustice.organisations.roles import Role
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.mhtr.factories import mhtr_team


@pytest.fixture
def mw(db):
    """An L&D team and an MHTR team in one region, a worker in each, and a person."""
    region = RegionFactory(name="Staffordshire")
    ld_team = TeamFactory(name="Stoke custody L&D", region=region)
    ld_worker = staff(Role.PRACTITIONER, team=ld_team)
    team = mhtr_team(like=ld_team)
    worker = staff(Role.PRACTITIONER, team=team)
    person = PersonFactory(team=ld_team)
    return SimpleNamespace(
        region=region, ld_team=ld_team, ld_worker=ld_worker, team=team, worker=worker, person=person
    )
