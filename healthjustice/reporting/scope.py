"""Whose figures a leader may see: the teams they lead, and the regions they manage.

A team leader sees the teams they lead (and, together, those of their teams in one region).
A service manager sees every team of the pathway (Liaison and Diversion, or MHTR) in the regions
their teams are in.
The monthly data return may be taken for any region where the user holds the permission
through a current membership of a team in that region.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from healthjustice.accounts.models import User
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Membership, Region, Team
from healthjustice.organisations.roles import Permission, Role, permissions_for_role

LEADER_ROLES = (Role.TEAM_LEADER, Role.SERVICE_MANAGER)


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    team_ids: tuple[int, ...]
    region_ids: tuple[int, ...]


def _pathway_teams(pathway: str, **filters: Any) -> list[Team]:
    return list(
        Team.objects.filter(pathway=pathway, is_active=True, **filters)
        .select_related("region")
        .order_by("region__name", "name")
    )


def dashboard_scopes(user: User, *, pathway: str = Pathway.LIAISON_DIVERSION) -> list[Scope]:
    """The choices of team or region a leader may look at, widest first, for one pathway.

    A leader of a team of another pathway is not given this pathway's teams, even in a
    region they manage.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = list(
        Membership.objects.current()
        .filter(user=user, role__in=LEADER_ROLES, team__pathway=pathway)
        .select_related("team", "team__region")
    )
    managed_regions = {m.team.region_id for m in memberships if m.role == Role.SERVICE_MANAGER}
    led: dict[int, Team] = {m.team_id: m.team for m in memberships}
    if managed_regions:
        for team in _pathway_teams(pathway, region_id__in=managed_regions):
            led.setdefault(team.id, team)
    by_region: dict[int, list[Team]] = {}
    for team in led.values():
        by_region.setdefault(team.region_id, []).append(team)
    scopes: list[Scope] = []
    for region_id, teams in sorted(by_region.items(), key=lambda kv: kv[1][0].region.name):
        region = teams[0].region
        if region_id in managed_regions or len(teams) > 1:
            label = (
                f"{region.name} (all teams)"
                if region_id in managed_regions
                else f"{region.name} (the teams you lead)"
            )
            scopes.append(
                Scope(
                    key=f"region:{region.public_id}",
                    label=label,
                    team_ids=tuple(sorted(t.id for t in teams)),
                    region_ids=(region_id,),
                )
            )
    for team in sorted(led.values(), key=lambda t: (t.region.name, t.name)):
        scopes.append(
            Scope(
                key=f"team:{team.public_id}",
                label=team.name,
                team_ids=(team.id,),
                region_ids=(team.region_id,),
            )
        )
    return scopes


def _export_roles() -> list[str]:
    return [str(r) for r in Role if Permission.DATA_RETURN_EXPORT in permissions_for_role(r)]


def export_regions(user: User) -> list[Region]:
    """Regions whose monthly data return the user may take."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    region_ids = (
        Membership.objects.current()
        .filter(user=user, role__in=_export_roles())
        .values_list("team__region_id", flat=True)
    )
    return list(Region.objects.filter(id__in=region_ids).order_by("name"))


def may_export_region(user: User, region: Region) -> bool:
    return any(r.pk == region.pk for r in export_regions(user))
