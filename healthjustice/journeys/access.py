"""Which episodes a member of staff may see: those of people they may see, held by teams whose
care relationships give them that sight (their own and data-sharing partners'), or every
episode of a person they have broken the glass for."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Membership
from healthjustice.organisations.roles import Permission, roles_with
from healthjustice.people.access import glass_in_force, reachable_team_ids, visible_people

from .models import Episode


def visible_episodes(user: User, episodes: QuerySet[Episode] | None = None) -> QuerySet[Episode]:
    """The episodes (of `episodes`, or all) the user may see.

    Narrow `episodes` first (a team, the open ones): each remaining episode's person is then
    checked against `visible_people` on its own, which is cheaper than listing everyone the
    user may see when the list is long.
    """
    base = Episode.objects.all() if episodes is None else episodes
    teams = reachable_team_ids(user)
    if not teams:
        return base.none()
    glass = glass_in_force(user).filter(person=OuterRef("person"))
    person_visible = visible_people(user).filter(pk=OuterRef("person_id"))
    return base.filter(Exists(person_visible)).filter(Q(team_id__in=teams) | Exists(glass))


def working_roles() -> list[str]:
    """Roles whose holders work on episodes (open, move, take, be allocated)."""
    return roles_with(Permission.EPISODE_MANAGE)


def working_team_ids(user: User) -> set[int]:
    """Teams whose episodes the user may take or be allocated: current membership in a working
    role (sight of a partner team's episodes through data sharing does not count)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(
        Membership.objects.current()
        .filter(user=user, role__in=working_roles())
        .values_list("team_id", flat=True)
    )
