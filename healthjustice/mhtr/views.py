"""The MHTR pages: thin views over services.py and selectors.py, scoped through
journeys.selectors.episode_for_user and the selectors of this app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import episode_for_user
from healthjustice.journeys.stages import skipped_stages
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission

from . import selectors, services
from .forms import (
    NoOrderForm,
    NoticeSendForm,
    OrderForm,
    ProbationResponseForm,
    ReferralForm,
    SessionForm,
    SessionOutcomeForm,
    SuitabilityForm,
)

if TYPE_CHECKING:
    from healthjustice.journeys.selectors import StagedEpisode

GET_POST = require_http_methods(["GET", "POST"])


def _episode_url(episode: Episode) -> str:
    return reverse("journeys:detail", kwargs={"public_id": episode.public_id})


def _episode(request: AuthenticatedRequest, public_id: Any) -> StagedEpisode:
    return episode_for_user(request.user, public_id, request=request)


def _context(episode: Episode, title: str, **more: Any) -> dict[str, Any]:
    stage = getattr(episode, "current_stage", None)
    return {
        "title": title,
        "episode": episode,
        "person": episode.person,
        "episode_url": _episode_url(episode),
        "stage_label": Stage(stage).label if stage else "",
        "is_mhtr": episode.pathway == Pathway.MHTR,
        "is_closed": stage == Stage.CLOSED,
        "today": timezone.localdate(),
        **more,
    }


def _form_data(request: AuthenticatedRequest) -> Any:
    return request.POST if request.method == "POST" else None


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def refer(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = ReferralForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_from_ld(
                actor=request.user,
                from_episode=episode,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"Referred to {referral.episode.team.name} for an MHTR assessment."
            )
            return redirect(_episode_url(episode))
    team = selectors.mhtr_team_for(episode.team.region)
    return render(
        request,
        "mhtr/refer.html",
        _context(
            episode,
            "Refer for an MHTR assessment",
            form=form,
            mhtr_team=team,
            is_ld=episode.pathway == Pathway.LIAISON_DIVERSION,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def suitability(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = SuitabilityForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.suitability_record(
                actor=request.user, episode=episode, data=form.to_input(), request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The suitability assessment is recorded.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "mhtr/suitability.html",
        _context(
            episode,
            "MHTR suitability assessment",
            form=form,
            can_record=episode.current_stage in services.BEFORE_SENTENCE,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def order(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    stage = episode.current_stage
    needs_skip = bool(skipped_stages(stage, Stage.ORDER_MADE, episode.pathway))
    defaults = {"planned_sessions": selectors.settings_for(episode.team).planned_sessions}
    form = OrderForm(_form_data(request), initial=defaults, needs_skip_reason=needs_skip)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_record(
                actor=request.user, episode=episode, data=form.to_input(), request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The order is recorded. The episode is at 'order made'.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "mhtr/order.html",
        _context(
            episode,
            "Record the order",
            form=form,
            needs_skip_reason=needs_skip,
            suitable=selectors.is_suitable(episode),
            outcome=selectors.court_outcome_of(episode),
            can_record=stage in services.BEFORE_SENTENCE,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def no_order(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = NoOrderForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.no_order_record(
                actor=request.user, episode=episode, **form.cleaned_data, request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "No order was made: the episode is closed.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "mhtr/no_order.html",
        _context(
            episode,
            "Record that no order was made",
            form=form,
            can_record=episode.current_stage in services.BEFORE_SENTENCE,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def session_create(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = SessionForm(_form_data(request), initial={"practitioner": request.user.display_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_schedule(
                actor=request.user, episode=episode, **form.cleaned_data, request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The session is booked.")
            return redirect(_episode_url(episode))
    order_made = selectors.court_outcome_of(episode)
    return render(
        request,
        "mhtr/session_form.html",
        _context(
            episode,
            "Book a session",
            form=form,
            order=order_made,
            can_record=bool(order_made and order_made.order_made)
            and episode.current_stage in services.UNDER_ORDER,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def session_outcome(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    session = selectors.session_for_user(request.user, public_id, request=request)
    form = SessionOutcomeForm(
        _form_data(request),
        initial={
            "version": session.version,
            "outcome": session.outcome,
            "absence_reason": session.absence_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_outcome_record(
                actor=request.user,
                session=session,
                expected_version=form.cleaned_data["version"],
                outcome=form.cleaned_data["outcome"],
                absence_reason=form.cleaned_data["absence_reason"],
                request=request,
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The outcome of the session is recorded.")
            return redirect(_episode_url(session.episode))
    episode = episode_for_user(request.user, session.episode.public_id, request=request)
    return render(
        request,
        "mhtr/session_outcome.html",
        _context(episode, "What happened at the session", form=form, session=session),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def notice_send(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    notice = selectors.notice_for_user(request.user, public_id, request=request)
    order_made = selectors.court_outcome_of(notice.episode)
    initial = {"recipient": order_made.probation_practitioner if order_made else ""}
    form = NoticeSendForm(_form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_send(
                actor=request.user, notice=notice, **form.cleaned_data, request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The compliance notice is recorded as sent to probation.")
            return redirect(_episode_url(notice.episode))
    episode = episode_for_user(request.user, notice.episode.public_id, request=request)
    return render(
        request,
        "mhtr/notice_send.html",
        _context(
            episode,
            "Send the compliance notice",
            form=form,
            notice=notice,
            already_sent=hasattr(notice, "disclosure"),
            content=services.notice_content(notice, order_made),
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def probation_response(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    notice = selectors.notice_for_user(request.user, public_id, request=request)
    form = ProbationResponseForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.probation_response_record(
                actor=request.user, notice=notice, **form.cleaned_data, request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "What probation did is recorded.")
            return redirect(_episode_url(notice.episode))
    episode = episode_for_user(request.user, notice.episode.public_id, request=request)
    return render(
        request,
        "mhtr/probation_response.html",
        _context(episode, "What probation did", form=form, notice=notice),
    )
