"""Which episodes a member of staff may see: those of people they may see, held by teams whose
care relationships give them that sight (their own and data-sharing partners'), or every
episode of a person they have broken the glass for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from healthjustice.accounts.models import User
from healthjustice.organisations.permissions import current_memberships
from healthjustice.organisations.roles import Permission, roles_with
from healthjustice.people.access import (
    Sight,
    glass_in_force,
    person_sight,
    reachable_team_ids,
    visible_people,
)
from healthjustice.people.models import Person

from .models import Episode

_Row = TypeVar("_Row", bound=Model)
_Episode = TypeVar("_Episode", bound=Episode)


def visible_episodes(user: User, episodes: QuerySet[Episode] | None = None) -> QuerySet[Episode]:
    """The episodes (of `episodes`, or all) the user may see.

    Narrow `episodes` first (a team, the open ones): each remaining episode's person is then
    checked against `visible_people` on its own, which is cheaper than listing everyone the
    user may see when the list is long.
    """
    return visible_rows(user, Episode.objects.all() if episodes is None else episodes)


def visible_rows(
    user: User,
    rows: QuerySet[_Row],
    *,
    known_visible: Callable[[set[int]], Q] | None = None,
) -> QuerySet[_Row]:
    """`visible_episodes` for any rows that carry an episode's `person` and `team` (the
    episodes themselves, or a read model's copy of them): the one statement of the rule.

    `known_visible(teams)`, given the teams the user reaches, is a cheaper condition that
    only ever holds for rows this rule lets the user see (a read model's stored "held by a
    team caring for an unrestricted person"): rows meeting it are not checked again, the rest
    are checked in full, so the rows returned are the same."""
    teams = reachable_team_ids(user)
    if not teams:
        return rows.none()
    glass = glass_in_force(user).filter(person=OuterRef("person_id"))
    person_visible = visible_people(user).filter(pk=OuterRef("person_id"))
    rule = Q(Exists(person_visible)) & (Q(team_id__in=teams) | Exists(glass))
    if known_visible is not None:
        rule = known_visible(teams) | rule
    return rows.filter(rule)


def person_visible_episodes(user: User, person: Person) -> QuerySet[Episode]:
    """The person's episodes the user may see: `visible_episodes(user).filter(person=person)`,
    with the person's side decided once for the request (`people.access.person_sight`)
    instead of repeating the access rules inside the SQL of every read of the page.

    None when the user may not see the person; every one under a break-glass grant in force;
    otherwise those held by teams whose care relationships give the user sight."""
    sight = person_sight(user, person)
    if sight is None:
        return Episode.objects.none()
    episodes = Episode.objects.filter(person_id=person.pk)
    if sight.glass is not None:
        return episodes
    return episodes.filter(team_id__in=sorted(sight.reachable))


def episode_sight(user: User, episode: Episode) -> Sight | None:
    """Whether the user may see the episode, decided from the episode as read (with its person
    and its person's restriction): `visible_episodes`'s rule, with the person's side decided
    once for the request (`people.access.person_sight`, which says why, for the audit trail)
    instead of in SQL. The person's sight when they may; None when they may not."""
    sight = person_sight(user, episode.person)
    if sight is None or not sight.sees_episodes_of(episode.team_id):
        return None
    return sight


def person_visible_episode_list(
    user: User, person: Person, episodes: QuerySet[_Episode]
) -> list[_Episode]:
    """`person_visible_episodes` as a list, read from `episodes` (ordered or annotated as the
    caller needs): the person's episodes are read with the person's side decided once, as
    there, and kept when held by one of the user's own teams (or all under break-glass); only
    when one is held by another team are the sharing agreements read to decide it."""
    sight = person_sight(user, person)
    if sight is None:
        return []
    return [e for e in episodes.filter(person_id=person.pk) if sight.sees_episodes_of(e.team_id)]


def working_roles() -> list[str]:
    """Roles whose holders work on episodes (open, move, take, be allocated)."""
    return roles_with(Permission.EPISODE_MANAGE)


def working_team_ids(user: User) -> set[int]:
    """Teams whose episodes the user may take or be allocated: current membership in a working
    role (sight of a partner team's episodes through data sharing does not count)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    # From the memberships read once for the request (organisations.permissions).
    working = set(working_roles())
    return {m.team_id for m in current_memberships(user) if m.role in working}
