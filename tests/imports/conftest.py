from types import SimpleNamespace

import pytest

from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.models import Site
from healthjustice.organisations.roles import Role
from tests.factories import RegionFactory, TeamFactory, staff
from tests.reconnect.factories import prison, reconnect_team


@pytest.fixture
def lw(db):
    """An L&D team with a custody suite and a court, the region's RECONNECT team with a
    prison, their staff, and an L&D team elsewhere in the region."""
    region = RegionFactory(name="Staffordshire")
    team = TeamFactory(name="Stoke custody L&D", region=region)
    other_team = TeamFactory(name="Cannock court L&D", region=region)
    suite = Site.objects.create(
        name="Northern Area Custody", kind=SiteKind.CUSTODY_SUITE, region=region, code="NAC"
    )
    court = Site.objects.create(
        name="North Staffordshire Justice Centre", kind=SiteKind.COURT, region=region
    )
    for site in (suite, court):
        site.teams.add(team)
    practitioner = staff(Role.PRACTITIONER, team=team)
    leader = staff(Role.TEAM_LEADER, team=team)
    other = staff(Role.PRACTITIONER, team=other_team)
    rc_team = reconnect_team(like=team)
    rc_worker = staff(Role.PRACTITIONER, team=rc_team)
    jail = prison(rc_team)
    return SimpleNamespace(
        region=region,
        team=team,
        other_team=other_team,
        suite=suite,
        court=court,
        practitioner=practitioner,
        leader=leader,
        other=other,
        rc_team=rc_team,
        rc_worker=rc_worker,
        prison=jail,
    )
