"""The one chokepoint for reaching a person's record.

A member of staff may see a person when, and only when, one of these holds:
1. a team they belong to (in a role that may view records) has a current care relationship
   with the person;
2. a team of another organisation has a current care relationship with the person, and a data-
   sharing agreement in force between the two organisations covers that team's region and the
   viewing team's pathway;
3. they hold an unexpired break-glass grant for the person.
A restricted record overrides all three: only the staff named on the restriction may see it.
A record merged into another (a duplicate) is seen by no one: its page leads to the kept record.
Views never query `Person` directly; they call these functions (a test enforces it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from healthjustice.organisations.models import DataSharingAgreement, Membership, Team
from healthjustice.organisations.roles import ROLES, Permission

from .models import BreakGlassAccess, CareRelationship, Person, RecordRestriction


def _viewing_roles() -> list[str]:
    return [str(r) for r, d in ROLES.items() if Permission.PERSON_VIEW in d.permissions]


# Team lookups are cached on the user object, which lives for one request (as the permission
# cache in organisations.permissions is); clear_permission_cache drops both.
VIEWING_CACHE_ATTR = "_hj_viewing_team_ids"
REACHABLE_CACHE_ATTR = "_hj_reachable_team_ids"


def viewing_team_ids(user: Any) -> list[int]:
    """Teams through which the user may view records."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, VIEWING_CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.current()
            .filter(user=user, role__in=_viewing_roles())
            .values_list("team_id", flat=True)
            .distinct()
        )
        setattr(user, VIEWING_CACHE_ATTR, cached)
    return list(cached)


def _shared_team_ids(own_team_ids: list[int]) -> set[int]:
    """Teams of partner organisations whose people the user's teams may see by agreement."""
    today = timezone.localdate()
    shared: set[int] = set()
    own_teams = list(Team.objects.filter(id__in=own_team_ids).values("organisation_id", "pathway"))
    for agreement in DataSharingAgreement.objects.in_force(today).prefetch_related(
        "organisations", "regions"
    ):
        party_ids = {o.id for o in agreement.organisations.all()}
        region_ids = {r.id for r in agreement.regions.all()}
        for team in own_teams:
            if team["organisation_id"] in party_ids and team["pathway"] in agreement.purposes:
                shared.update(
                    Team.objects.filter(
                        organisation_id__in=party_ids - {team["organisation_id"]},
                        region_id__in=region_ids,
                    ).values_list("id", flat=True)
                )
    return shared


def reachable_team_ids(user: Any) -> set[int]:
    """Teams whose care relationships let the user see a person: their own and sharing partners'."""
    cached = getattr(user, REACHABLE_CACHE_ATTR, None)
    if cached is None:
        team_ids = viewing_team_ids(user)
        cached = set(team_ids) | _shared_team_ids(team_ids) if team_ids else set()
        if getattr(user, "is_authenticated", False):
            setattr(user, REACHABLE_CACHE_ATTR, cached)
    return set(cached)


def _restriction_permits(user: Any) -> Q:
    """Unrestricted, or restricted with this user named."""
    restricted = RecordRestriction.objects.filter(person=OuterRef("pk"))
    named = RecordRestriction.objects.filter(person=OuterRef("pk"), allowed_users=user)
    return ~Exists(restricted) | Exists(named)


def _cared_for_by(reachable: set[int]) -> Exists:
    return Exists(
        CareRelationship.objects.current().filter(person=OuterRef("pk"), team_id__in=reachable)
    )


def visible_people(user: Any) -> QuerySet[Person]:
    """Every person the user may see. Restricted people appear only to their named staff."""
    reachable = reachable_team_ids(user)
    if not reachable:
        return Person.objects.none()
    glass = BreakGlassAccess.objects.filter(
        person=OuterRef("pk"), user=user, expires_at__gt=timezone.now()
    )
    return Person.objects.filter(
        (_cared_for_by(reachable) | Exists(glass)) & _restriction_permits(user),
        merged_into__isnull=True,
    )


def person_is_visible_to(user: Any, person: Person) -> bool:
    return visible_people(user).filter(pk=person.pk).exists()


def break_glass_candidates(user: Any) -> QuerySet[Person]:
    """People a practitioner may break the glass to: all but restricted records not naming them."""
    return Person.objects.filter(_restriction_permits(user), merged_into__isnull=True)


def active_break_glass(user: Any, person: Person) -> BreakGlassAccess | None:
    return (
        BreakGlassAccess.objects.filter(user=user, person=person, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def is_within_relationships(user: Any, person: Person) -> bool:
    """True when the user sees the person through care or sharing, not break-glass alone."""
    reachable = reachable_team_ids(user)
    if not reachable:
        return False
    return Person.objects.filter(
        _cared_for_by(reachable) & _restriction_permits(user),
        pk=person.pk,
        merged_into__isnull=True,
    ).exists()


__all__ = [
    "active_break_glass",
    "break_glass_candidates",
    "is_within_relationships",
    "person_is_visible_to",
    "reachable_team_ids",
    "viewing_team_ids",
    "visible_people",
]
