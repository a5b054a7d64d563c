"""Everything the worklist page shows, in a constant number of queries whatever its length."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys import selectors
from healthjustice.journeys.access import working_team_ids
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .forms import MINE, UNALLOCATED, WorklistFilterForm
from .models import WorklistEntry
from .ordering import entries_filtered, entries_in_order, shown_episodes
from .planning import short_query_plans
from .selectors import (
    Reason,
    explain,
    hearing_window,
    uses_cj_details,
)

PAGE_SIZE = 25
REFRESH_SECONDS = 60


@dataclass
class Row:
    position: int
    episode: Episode
    reasons: list[Reason]
    can_take: bool
    workers: Sequence[User] = field(default_factory=list)


def _page_number(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1


def _worklist_page(
    ordered: QuerySet[WorklistEntry],
    filtered: QuerySet[WorklistEntry],
    asked: int,
    shown_as: Callable[[list[int]], list[Episode]],
) -> Page:
    """The page numbered `asked` (as `Paginator.get_page`: a number past the end, or below 1,
    gives the last page). Its episodes' ids, in order, come from the read model in one query:
    each row carries the number of rows in the whole list (`COUNT(*) OVER ()`), which the
    database works out while it orders them, so the list is not counted in a query of its own.
    Only a page past the end (a list that has shrunk since the link was made) counts the list
    on its own, then reads the last page. `shown_as` turns the ids into the episodes shown.
    """
    counted = ordered.annotate(wl_total=Window(Count("pk"))).values_list("episode_id", "wl_total")

    def rows(number: int) -> list[tuple[int, int]]:
        start = (number - 1) * PAGE_SIZE
        return list(counted[start : start + PAGE_SIZE])

    shown = rows(asked) if asked >= 1 else []
    paginator = Paginator(shown, PAGE_SIZE)
    if shown:
        paginator.count = shown[0][1]
    elif asked == 1:
        paginator.count = 0  # an empty first page is an empty list: nothing to count
    else:
        paginator.count = filtered.count()
    number = asked if shown or asked == 1 else paginator.num_pages
    if not shown and number != 1:
        shown = rows(number)
    return Page(shown_as([episode_id for episode_id, _ in shown]), number, paginator)


def _page_url(request: HttpRequest, query: QueryDict, number: int) -> str:
    params = query.copy()
    params["page"] = str(number)
    return f"{request.path}?{params.urlencode()}"


def worklist_page(request: AuthenticatedRequest) -> dict[str, Any]:
    user = request.user
    teams = selectors.worklist_teams(user)
    team_ids = [t.id for t in teams]
    sites = selectors.team_sites(team_ids)
    by_team = selectors.workers_by_team(team_ids)
    workers = sorted(
        {w.pk: w for members in by_team.values() for w in members}.values(),
        key=lambda w: (w.first_name, w.last_name, w.username),
    )
    query = request.GET.copy()
    query.pop("page", None)
    if not query.get("team"):
        query["team"] = str(teams[0].public_id) if teams else MINE
    form = WorklistFilterForm(query, teams=teams, sites=sites, workers=workers)
    form.is_valid()
    team_key = form.value("team") or (str(teams[0].public_id) if teams else MINE)
    mine = team_key == MINE
    team = None if mine else form.teams.get(team_key)
    site = form.sites.get(form.value("site"))
    worker_key = form.value("worker")
    worker = form.workers.get(worker_key)
    include_cj = has_permission(user, Permission.CJ_CONTEXT_VIEW)

    filtered = entries_filtered(
        user,
        team_id=team.id if team else None,
        mine=mine,
        pathway=form.value("pathway"),
        setting=form.value("setting"),
        site_id=site.id if site else None,
        stage=form.value("stage"),
        worker_id=worker.id if worker and not mine else None,
        unallocated=worker_key == UNALLOCATED and not mine,
    )
    now = timezone.now()
    # Another pathway's team (or pathway filter) has no RECONNECT rows: its query carries none
    # of RECONNECT's rules.
    chosen = {team.pathway} if team else set()
    if form.value("pathway"):
        chosen.add(form.value("pathway"))
    reconnect = all(p == Pathway.RECONNECT for p in chosen)
    ordered = entries_in_order(filtered, include_cj=include_cj, now=now, reconnect=reconnect)

    def shown_as(ids: list[int]) -> list[Episode]:
        return shown_episodes(ids, include_cj=include_cj, now=now, reconnect=reconnect)

    with short_query_plans():
        page = _worklist_page(ordered, filtered, _page_number(request.GET.get("page")), shown_as)
        on_page = list(page.object_list)
    can_manage = has_permission(user, Permission.EPISODE_MANAGE)
    can_allocate = has_permission(user, Permission.TEAM_ALLOCATE)
    works_in = working_team_ids(user)
    rows = [
        Row(
            position=page.start_index() + i,
            episode=e,
            reasons=explain(e, now=now),
            can_take=can_manage and e.team_id in works_in and e.allocated_worker_id is None,
            workers=by_team.get(e.team_id, []) if can_allocate and e.team_id in works_in else [],
        )
        for i, e in enumerate(on_page)
    ]

    shown = [str(r.episode.public_id) for r in rows]
    audit_record(
        actor=user,
        request=request,
        action=Action.VIEW,
        object_type="worklist",
        detail={"list": "mine" if mine else team_key, "page": page.number, "episodes": shown},
    )
    with_cj = [str(r.episode.public_id) for r in rows if uses_cj_details(r.episode)]
    if with_cj:
        audit_record(
            actor=user,
            request=request,
            action=Action.VIEW,
            object_type="cj_context",
            detail={"via": "worklist", "episodes": with_cj},
        )
    return {
        "title": "Worklist",
        "filters": form,
        "mine": mine,
        "team": team,
        "rows": rows,
        "page": page,
        "previous_url": _page_url(request, query, page.previous_page_number())
        if page.has_previous()
        else None,
        "next_url": _page_url(request, query, page.next_page_number()) if page.has_next() else None,
        "refresh_url": request.get_full_path(),
        "refresh_seconds": REFRESH_SECONDS,
        "updated_at": now,
        "hearing_hours": int(hearing_window().total_seconds() // 3600),
        "include_cj": include_cj,
        "mhtr_deadlines": any(t.pathway == Pathway.MHTR for t in teams),
        "reconnect_rules": any(t.pathway == Pathway.RECONNECT for t in teams),
        "can_allocate": can_allocate,
        "stage_labels": dict(Stage.choices),
    }
