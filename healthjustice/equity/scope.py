"""Whose equity figures a user may see. Aggregates only: no scope ever names a person.

For each pathway (Liaison and Diversion, MHTR, RECONNECT, carers' support):
- An equality lead sees every team of the pathway in the regions their teams are in, region by
  region and team by team (PCREF is the trust's duty, so they see across teams).
- A service manager sees the same for the regions their teams are in.
- A team leader sees the teams of the pathway they lead.
Rates per head of population need the population an area's teams serve, which is recorded for
a region (its local authorities), not for a team: rates are worked out for region scopes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from healthjustice.accounts.models import User
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Membership, Region, Team
from healthjustice.organisations.roles import Permission, Role, roles_with

# Feedback figures are about every team, whatever its pathway.
FEEDBACK_SCOPE = "feedback"
WIDE_ROLES = (Role.SERVICE_MANAGER, *roles_with(Permission.EQUALITY_AGGREGATES))


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    team_ids: tuple[int, ...]
    region: Region
    whole_region: bool


def equity_scopes(user: User, pathway: str = Pathway.LIAISON_DIVERSION) -> list[Scope]:
    """The regions and teams of `pathway` a user may see figures for, regions first. Feedback
    is about any team, so its scopes are every team."""
    every_team = pathway == FEEDBACK_SCOPE
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    memberships = list(
        Membership.objects.current()
        .filter(user=user, role__in=[*WIDE_ROLES, Role.TEAM_LEADER])
        .select_related("team", "team__region")
    )
    wide_regions = {m.team.region_id for m in memberships if m.role in WIDE_ROLES}
    teams: dict[int, Team] = {
        m.team_id: m.team
        for m in memberships
        if m.role == Role.TEAM_LEADER and (m.team.pathway == pathway or every_team)
    }
    regional = list(
        Team.objects.filter(is_active=True, region_id__in=wide_regions)
        .filter(Q() if every_team else Q(pathway=pathway))
        .select_related("region")
    )
    for team in regional:
        teams.setdefault(team.id, team)
    scopes: list[Scope] = []
    for region in sorted({t.region for t in regional}, key=lambda r: r.name):
        ids = tuple(sorted(t.id for t in regional if t.region_id == region.id))
        scopes.append(
            Scope(f"region:{region.public_id}", f"{region.name} (all teams)", ids, region, True)
        )
    for team in sorted(teams.values(), key=lambda t: (t.region.name, t.name)):
        scopes.append(Scope(f"team:{team.public_id}", team.name, (team.id,), team.region, False))
    return scopes
