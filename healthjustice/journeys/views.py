"""Episode pages: opening an episode, the episode itself and its changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.selectors import person_for_user

from . import selectors, services
from .choices import Stage
from .forms import (
    CUSTODY_FIELD_TO_FORM,
    SERVICE_FIELD_TO_FORM,
    AssignForm,
    CriminalJusticeForm,
    CustodyEventForm,
    EpisodeMoveForm,
    EpisodeOpenForm,
    ReopenForm,
    TakeForm,
)
from .sections import episode_sections
from .stages import REOPEN_WITHIN, IllegalMove, machine_for

if TYPE_CHECKING:
    from .selectors import StagedEpisode


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _safe_next(request: HttpRequest, value: str | None, default: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def open_episode(request: AuthenticatedRequest, person_id) -> HttpResponse:
    person = person_for_user(request.user, person_id, request=request)
    teams = selectors.teams_opening_here(request.user)
    sites = selectors.team_sites([t.id for t in teams])
    include_cj = has_permission(request.user, Permission.CJ_CONTEXT_VIEW)
    if request.method == "POST":
        form = EpisodeOpenForm(request.POST, teams=teams, sites=sites, include_cj=include_cj)
        if form.is_valid():
            data = form.cleaned_data
            try:
                episode = services.episode_open(
                    actor=request.user,
                    person=person,
                    team=data["team"],
                    setting=data["setting"],
                    site=data["site"],
                    referral_source=data["referral_source"],
                    referred_at=data["referred_at"],
                    reason=data["reason"].strip(),
                    cj_details=form.cj_details(),
                    request=request,
                )
            except ValidationError as exc:
                apply_errors(form, exc, SERVICE_FIELD_TO_FORM)
            else:
                messages.success(request, f"An episode has been opened for {person.full_name}.")
                return redirect("journeys:detail", public_id=episode.public_id)
    else:
        now = timezone.localtime()
        initial = {"referred_date": now.date(), "referred_time": now.strftime("%H:%M")}
        initial.update(CriminalJusticeForm.initial_from(None))
        form = EpisodeOpenForm(initial=initial, teams=teams, sites=sites, include_cj=include_cj)
    return render(
        request,
        "journeys/open.html",
        {"title": "Open an episode", "form": form, "person": person, "teams": teams},
    )


def _reopen_state(request: AuthenticatedRequest, episode: StagedEpisode, history: list) -> str:
    """'allowed', 'too_late' or '' (not closed, or not a team leader of the episode's team)."""
    if episode.current_stage != Stage.CLOSED or not history:
        return ""
    leader = has_permission(request.user, Permission.TEAM_ALLOCATE) and services.is_team_worker(
        request.user, episode.team_id
    )
    if not leader:
        return ""
    return "allowed" if timezone.now() - history[-1].at <= REOPEN_WITHIN else "too_late"


def _detail_context(
    request: AuthenticatedRequest,
    episode: StagedEpisode,
    *,
    move_form: EpisodeMoveForm | None = None,
    reopen_form: ReopenForm | None = None,
) -> dict[str, Any]:
    user = request.user
    stage = episode.current_stage
    is_open = stage != Stage.CLOSED
    can_manage = has_permission(user, Permission.EPISODE_MANAGE)
    if move_form is None and can_manage and is_open:
        move_form = EpisodeMoveForm(
            current=stage or machine_for(episode.pathway).first, pathway=episode.pathway
        )
    works_here = services.is_team_worker(user, episode.team_id)
    can_assign = is_open and works_here and has_permission(user, Permission.TEAM_ALLOCATE)
    cj = selectors.cj_context_for_user(user, episode, request=request)
    history = selectors.stage_history(episode)
    reopen = _reopen_state(request, episode, history)
    if reopen == "allowed" and reopen_form is None:
        reopen_form = ReopenForm()
    return {
        "title": f"{episode.get_pathway_display()} episode",
        "episode": episode,
        "person": episode.person,
        "stage": Stage(stage) if stage else None,
        "is_open": is_open,
        "history": history,
        "reopen": reopen,
        "reopen_form": reopen_form if reopen == "allowed" else None,
        "can_see_cj": has_permission(user, Permission.CJ_CONTEXT_VIEW),
        "cj": cj,
        "clock": selectors.custody_clock(episode, cj),
        "can_manage": can_manage,
        "move_form": move_form if can_manage and is_open else None,
        # `form` lets the layout put "Error:" in the page title when the move was refused.
        "form": (move_form if can_manage and is_open else None)
        or (reopen_form if reopen == "allowed" else None),
        "can_take": is_open and can_manage and works_here and episode.allocated_worker_id is None,
        "assign_form": AssignForm(
            initial={"version": episode.version},
            workers=selectors.team_workers([episode.team_id]),
        )
        if can_assign
        else None,
        "sections": episode_sections(request, episode),
    }


@permission_required(Permission.EPISODE_VIEW)
@require_GET
def detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    episode = selectors.episode_for_user(request.user, public_id, request=request)
    return render(request, "journeys/detail.html", _detail_context(request, episode))


@permission_required(Permission.EPISODE_MANAGE)
@require_POST
def move(request: AuthenticatedRequest, public_id) -> HttpResponse:
    episode = selectors.episode_for_user(request.user, public_id, request=request)
    form = EpisodeMoveForm(
        request.POST,
        current=episode.current_stage or machine_for(episode.pathway).first,
        pathway=episode.pathway,
    )
    if episode.current_stage == Stage.CLOSED:
        messages.error(request, "This episode is closed; open a new episode instead.")
        return redirect("journeys:detail", public_id=episode.public_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            status = services.episode_move(
                actor=request.user,
                episode=episode,
                to_stage=data["to_stage"],
                note=data["note"],
                closure_reason=data["closure_reason"],
                skip_reason=data["skip_reason"],
                request=request,
            )
        except IllegalMove as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            done = (
                "The episode has been closed."
                if status.stage == Stage.CLOSED
                else f"The episode has moved to {status.get_stage_display().lower()}."
            )
            messages.success(request, done)
            return redirect("journeys:detail", public_id=episode.public_id)
    return render(
        request, "journeys/detail.html", _detail_context(request, episode, move_form=form)
    )


@permission_required(Permission.EPISODE_MANAGE)
@permission_required(Permission.CJ_CONTEXT_VIEW)
@require_http_methods(["GET", "POST"])
def cj_context_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    episode = selectors.episode_for_user(request.user, public_id, request=request)
    context = selectors.cj_context_for_user(request.user, episode, request=request)
    if request.method == "POST":
        form = CriminalJusticeForm(request.POST, referred_at=episode.referred_at)
        if form.is_valid():
            try:
                services.cj_context_save(
                    actor=request.user,
                    episode=episode,
                    details=form.cj_details(),
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc, SERVICE_FIELD_TO_FORM)
            else:
                messages.success(request, "The criminal-justice details have been saved.")
                return redirect("journeys:detail", public_id=episode.public_id)
    else:
        form = CriminalJusticeForm(initial=CriminalJusticeForm.initial_from(context))
    return render(
        request,
        "journeys/cj_context.html",
        {
            "title": "Criminal-justice details",
            "form": form,
            "episode": episode,
        },
    )


@permission_required(Permission.TEAM_ALLOCATE)
@require_POST
def reopen(request: AuthenticatedRequest, public_id) -> HttpResponse:
    episode = selectors.episode_for_user(request.user, public_id, request=request)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.episode_reopen(
                actor=request.user,
                episode=episode,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except IllegalMove as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, "The episode has been reopened.")
            return redirect("journeys:detail", public_id=episode.public_id)
    return render(
        request, "journeys/detail.html", _detail_context(request, episode, reopen_form=form)
    )


@permission_required(Permission.EPISODE_MANAGE)
@permission_required(Permission.CJ_CONTEXT_VIEW)
@require_http_methods(["GET", "POST"])
def custody_clock(request: AuthenticatedRequest, public_id) -> HttpResponse:
    episode = selectors.episode_for_user(request.user, public_id, request=request)
    context = selectors.cj_context_for_user(request.user, episode, request=request)
    if request.method == "POST":
        form = CustodyEventForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                event = services.custody_event_record(
                    actor=request.user,
                    episode=episode,
                    kind=data["kind"],
                    at=data["at"],
                    limit_hours=data["limit_hours"],
                    authorised_by=data["authorised_by"],
                    rank=data["rank"],
                    outcome=data["outcome"],
                    note=data["note"],
                    request=request,
                )
            except ValidationError as exc:
                apply_errors(form, exc, CUSTODY_FIELD_TO_FORM)
            else:
                messages.success(request, f"{event.get_kind_display()} has been recorded.")
                return redirect("journeys:detail", public_id=episode.public_id)
    else:
        form = CustodyEventForm()
    clock = selectors.custody_clock(episode, context)
    return render(
        request,
        "journeys/custody_clock.html",
        {
            "title": "Custody clock",
            "form": form,
            "episode": episode,
            "clock": clock,
        },
    )


def _allocation_done(
    request: HttpRequest, *, ok: bool, message: str, next_url: str | None
) -> HttpResponse:
    """Tell the user what happened: a status fragment for htmx, otherwise a redirect back."""
    if _is_htmx(request):
        response = render(
            request, "journeys/_allocation_status.html", {"ok": ok, "message": message}
        )
        response["HX-Trigger"] = "worklist-changed"
        return response
    (messages.success if ok else messages.error)(request, message)
    return redirect(_safe_next(request, next_url, reverse("worklist:home")))


@permission_required(Permission.EPISODE_MANAGE)
@require_POST
def take(request: AuthenticatedRequest, public_id) -> HttpResponse:
    episode = selectors.episode_for_user(request.user, public_id, request=request)
    form = TakeForm(request.POST)
    next_url = request.POST.get("next")
    if not form.is_valid():
        return _allocation_done(
            request, ok=False, message="Reload the page and try again.", next_url=next_url
        )
    try:
        services.episode_take(
            actor=request.user,
            episode=episode,
            expected_version=form.cleaned_data["version"],
            request=request,
        )
    except StaleEditError as exc:
        return _allocation_done(request, ok=False, message=str(exc), next_url=next_url)
    return _allocation_done(
        request,
        ok=True,
        message=f"You have taken the episode for {episode.person.full_name}.",
        next_url=next_url,
    )


@permission_required(Permission.TEAM_ALLOCATE)
@require_POST
def assign(request: AuthenticatedRequest, public_id) -> HttpResponse:
    episode = selectors.episode_for_user(request.user, public_id, request=request)
    form = AssignForm(request.POST, workers=selectors.team_workers([episode.team_id]))
    next_url = request.POST.get("next")
    if not form.is_valid():
        problem = (
            "Choose who to assign the episode to."
            if "worker" in form.errors
            else "Reload the page and try again."
        )
        return _allocation_done(request, ok=False, message=problem, next_url=next_url)
    worker = form.cleaned_data["worker"]
    try:
        services.episode_assign(
            actor=request.user,
            episode=episode,
            worker=worker,
            expected_version=form.cleaned_data["version"],
            request=request,
        )
    except StaleEditError as exc:
        return _allocation_done(request, ok=False, message=str(exc), next_url=next_url)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        return _allocation_done(request, ok=False, message=message, next_url=next_url)
    who = "yourself" if worker.pk == request.user.pk else worker.display_name
    return _allocation_done(
        request,
        ok=True,
        message=f"The episode for {episode.person.full_name} is assigned to {who}.",
        next_url=next_url,
    )
