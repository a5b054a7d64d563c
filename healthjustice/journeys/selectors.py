"""Reading episodes: scoped by journeys.access, with the current stage derived from status rows."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, cast

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.reading import record_view
from healthjustice.audit.services import deny_as_not_found
from healthjustice.organisations.models import Membership, Site, Team
from healthjustice.organisations.permissions import current_memberships, has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.access import viewing_team_ids
from healthjustice.people.models import Person

from .access import (
    episode_sight,
    person_visible_episode_list,
    working_roles,
    working_team_ids,
)
from .choices import Stage
from .custody import CustodyClock
from .models import CriminalJusticeContext, CustodyEvent, Episode, EpisodeStatus
from .stages import opened_by_referral

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class StageAnnotations(TypedDict):
        current_stage: str | None
        stage_since: datetime | None

    # An episode read through `with_current_stage`: it carries its current stage.
    StagedEpisode: TypeAlias = WithAnnotations[Episode, StageAnnotations]

    class CurrentStageAnnotation(TypedDict):
        current_stage: str | None

    # An episode read through `with_stage`: its current stage, not since when.
    EpisodeWithStage: TypeAlias = WithAnnotations[Episode, CurrentStageAnnotation]

    class CaseloadAnnotations(TypedDict):
        open_caseload: int

    # A member of staff with the number of open episodes allocated to them.
    Worker: TypeAlias = WithAnnotations[User, CaseloadAnnotations]


def current_stage_of() -> NullIf:
    """An episode's current stage in a query: its copy of its newest status row's stage, None
    before the first."""
    return NullIf(F("stage"), Value(""))


def with_current_stage(episodes: QuerySet[Episode]) -> QuerySet[StagedEpisode]:
    """Annotate `current_stage` (`current_stage_of`) and `stage_since` (the newest status
    row's time)."""
    latest = EpisodeStatus.objects.filter(episode=OuterRef("pk")).order_by("-seq")
    return episodes.annotate(
        current_stage=current_stage_of(),
        stage_since=Subquery(latest.values("at")[:1]),
    )


def with_stage(episodes: QuerySet[Episode]) -> QuerySet[EpisodeWithStage]:
    """Annotate `current_stage` alone, as `with_current_stage` does, for a page that does not
    show since when (which takes a subquery of the status rows)."""
    return episodes.annotate(current_stage=current_stage_of())


def open_only(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """Episodes whose current stage is not closed.

    An episode is closed when its newest status row is 'closed' (a team leader may reopen a
    mistaken closure, so a closed row is not always the last): the episode's `stage`, which
    the database keeps as that row's copy, with partial indexes of the open episodes by team
    and by worker.
    """
    return episodes.exclude(stage=Stage.CLOSED)


def at_stage(episodes: QuerySet[Episode], stage: Stage | str) -> QuerySet[Episode]:
    """Episodes whose current stage (their newest status row) is `stage`."""
    return episodes.filter(stage=Stage(stage))


def current_stage(episode: Episode) -> str | None:
    """The stage of one episode, from its newest status row."""
    return (
        EpisodeStatus.objects.filter(episode=episode)
        .order_by("-seq")
        .values_list("stage", flat=True)
        .first()
    )


def episode_for_user(user: User, public_id: Any, *, request: HttpRequest) -> StagedEpisode:
    """The episode, if the user may see it; a 404 (audited as a denial) otherwise.

    Read by its public id with its person, then decided as `visible_episodes` decides
    (`access.episode_sight`, the person's side once for the request). A GET records the view,
    naming the person, once per request (`audit.reading`)."""
    episode = (
        with_current_stage(Episode.objects.filter(public_id=public_id))
        .select_related("person", "person__restriction", "team", "site", "allocated_worker")
        .first()
    )
    sight = episode_sight(user, episode) if episode is not None else None
    if episode is None or sight is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="episode",
            object_id=public_id,
            message="No such episode",
        )
    record_view(
        request,
        actor=user,
        object_type="episode",
        object_id=str(episode.public_id),
        detail={"person": str(episode.person.public_id)},
        access_basis=str(sight.basis.basis),
    )
    return episode


def cj_context_for_user(
    user: User, episode: Episode, *, request: HttpRequest
) -> CriminalJusticeContext | None:
    """The episode's criminal-justice details, only for holders of CJ_CONTEXT_VIEW.

    Article 10 data: a GET records the view on its own ("cj_context", once per episode and
    request), apart from the view of the episode or person.
    """
    context = cj_context_unrecorded(user, episode)
    if context is not None:
        record_view(
            request,
            actor=user,
            object_type="cj_context",
            object_id=str(episode.public_id),
            detail={"person": str(episode.person.public_id)},
            once_per=("cj_context", episode.pk),
        )
    return context


def cj_context_unrecorded(user: User, episode: Episode) -> CriminalJusticeContext | None:
    """`cj_context_for_user` without recording a view: for services that quote the details
    into a record they write (a report), never for a page (tests/security/test_chokepoint.py).
    """
    if not has_permission(user, Permission.CJ_CONTEXT_VIEW):
        return None
    return (
        CriminalJusticeContext.objects.filter(episode=episode)
        .select_related("court", "updated_by")
        .first()
    )


def custody_clock(
    episode: Episode, context: CriminalJusticeContext | None, *, now: datetime | None = None
) -> CustodyClock | None:
    """The PACE clock of an episode whose criminal-justice details the caller already read
    through `cj_context_for_user` (so the view is audited); None without a relevant time."""
    if context is None or context.arrived_in_custody_at is None:
        return None
    events = CustodyEvent.objects.filter(episode=episode).order_by("at", "pk")
    return CustodyClock(
        relevant_time=context.arrived_in_custody_at,
        events=tuple(events),
        now=now or timezone.now(),
    )


def stage_history(episode: Episode) -> list[EpisodeStatus]:
    return list(episode.statuses.select_related("by").order_by("seq"))


def person_episodes(user: User, person: Person) -> list[EpisodeWithStage]:
    """Every episode of the person the user may see, across teams, newest referral first,
    with its team and current stage."""
    return person_visible_episode_list(
        user,
        person,
        with_stage(Episode.objects.all()).select_related("team").order_by("-referred_at"),
    )


def _open_caseload() -> Coalesce:
    """Per user row: how many open episodes are allocated to them."""
    allocated = (
        open_only(Episode.objects.filter(allocated_worker=OuterRef("pk")))
        .order_by()
        .values("allocated_worker")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(allocated, output_field=IntegerField()), Value(0))


def team_workers(team_ids: list[int]) -> QuerySet[Worker]:
    """Staff who may be allocated the teams' episodes: current members in a working role,
    each with `open_caseload`, the number of open episodes allocated to them."""
    members = Membership.objects.current().filter(team_id__in=team_ids, role__in=working_roles())
    return (
        User.objects.filter(id__in=members.values("user_id"), is_active=True)
        .annotate(open_caseload=_open_caseload())
        .order_by("first_name", "last_name", "username")
    )


def working_teams(user: User) -> list[Team]:
    """Active teams whose episodes the user works on, by name (from the memberships read once
    for the request, with their teams)."""
    ids = working_team_ids(user)
    teams = {m.team_id: m.team for m in current_memberships(user) if m.team_id in ids}
    return sorted((t for t in teams.values() if t.is_active), key=lambda t: (t.name, t.pk))


def teams_opening_here(user: User) -> list[Team]:
    """The user's working teams whose episodes the general "Open an episode" page may open: not
    those of a pathway opened through its own referral pages (`stages.opened_by_referral`)."""
    return [t for t in working_teams(user) if not opened_by_referral(t.pathway)]


def team_sites(team_ids: list[int]) -> list[Site]:
    """Active sites where any of the teams works, by name."""
    return list(Site.objects.filter(teams__in=team_ids, is_active=True).distinct().order_by("name"))


def worklist_teams(user: User) -> list[Team]:
    """Teams whose worklists the user may choose: current teams in a role that sees episodes."""
    return list(Team.objects.filter(id__in=viewing_team_ids(user)).order_by("name"))


def workers_by_team(team_ids: list[int]) -> dict[int, list[Worker]]:
    """Staff who may be allocated each team's episodes, in one query."""
    members = (
        Membership.objects.current()
        .filter(team_id__in=team_ids, role__in=working_roles(), user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    result: dict[int, list[Worker]] = {team_id: [] for team_id in team_ids}
    rows = list(members)
    caseloads = dict(
        User.objects.filter(id__in={m.user_id for m in rows})
        .annotate(n=_open_caseload())
        .values_list("id", "n")
    )
    for membership in rows:
        worker = cast("Worker", membership.user)  # given its caseload on the next line
        worker.open_caseload = caseloads.get(membership.user_id, 0)
        people = result[membership.team_id]
        if all(u.pk != membership.user_id for u in people):
            people.append(worker)
    return result
