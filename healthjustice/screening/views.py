from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.form_errors import apply_errors
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import episode_for_user
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from . import selectors, services
from .forms import (
    AlertAcknowledgeForm,
    ExternalScreenForm,
    InstrumentAnswersForm,
    InstrumentChoiceForm,
    RiskAlertRaiseForm,
    ScreeningForm,
)
from .instruments import EXTERNAL_SCORES, INSTRUMENTS


def _is_closed(episode) -> bool:
    return getattr(episode, "current_stage", None) == Stage.CLOSED


def _instrument_or_404(code: str):
    instrument = INSTRUMENTS.get(code)
    if instrument is None:
        raise Http404("No such questionnaire")
    return instrument


@permission_required(Permission.EPISODE_VIEW)
def episode_overview(request: AuthenticatedRequest, episode_id) -> HttpResponse:
    episode = episode_for_user(request.user, episode_id, request=request)
    return render(
        request,
        "screening/episode.html",
        {
            "title": "Screening",
            "episode": episode,
            "screenings": list(selectors.screenings_for_episode(episode)),
            "results": selectors.latest_results(episode),
            "administrations": list(selectors.administrations_for_episode(episode)),
            "external_screens": list(selectors.external_screens_for_episode(episode)),
            "alerts": list(selectors.alerts_for_episode(episode)),
            "vulnerability_labels": selectors.vulnerability_labels,
            "instrument_name": selectors.instrument_name,
            "can_manage": has_permission(request.user, Permission.EPISODE_MANAGE)
            and not _is_closed(episode),
        },
    )


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def screening_record(request: AuthenticatedRequest, episode_id) -> HttpResponse:
    episode = episode_for_user(request.user, episode_id, request=request)
    form = ScreeningForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.screening_record(
                actor=request.user,
                episode=episode,
                vulnerabilities=data["vulnerabilities"],
                risk_level=data["risk_level"],
                urgency=data["urgency"],
                full_assessment_needed=data["full_assessment_needed"] == "yes",
                notes=data["notes"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The screening has been recorded.")
            return redirect("screening:episode", episode_id=episode.public_id)
    return render(
        request,
        "screening/record.html",
        {
            "title": "Record a screening",
            "form": form,
            "episode": episode,
            "closed": _is_closed(episode),
        },
    )


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def instrument_choose(request: AuthenticatedRequest, episode_id) -> HttpResponse:
    episode = episode_for_user(request.user, episode_id, request=request)
    form = InstrumentChoiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect(
            "screening:instrument_administer",
            episode_id=episode.public_id,
            code=form.cleaned_data["instrument"],
        )
    return render(
        request,
        "screening/instrument_choose.html",
        {
            "title": "Choose a questionnaire",
            "form": form,
            "episode": episode,
            "closed": _is_closed(episode),
        },
    )


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def instrument_administer(request: AuthenticatedRequest, episode_id, code: str) -> HttpResponse:
    instrument = _instrument_or_404(code)
    episode = episode_for_user(request.user, episode_id, request=request)
    form = InstrumentAnswersForm(
        request.POST if request.method == "POST" else None, instrument=instrument
    )
    if request.method == "POST" and form.is_valid():
        try:
            administration = services.instrument_administer(
                actor=request.user,
                episode=episode,
                instrument_code=instrument.code,
                answers=form.answers(),
                session_number=form.cleaned_data["session_number"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if administration.risk_flag:
                messages.warning(
                    request,
                    "A risk item was answered: a risk alert has been raised on this episode.",
                )
            return redirect("screening:administration", public_id=administration.public_id)
    return render(
        request,
        "screening/instrument_administer.html",
        {
            "title": instrument.name,
            "form": form,
            "episode": episode,
            "instrument": instrument,
            "item_fields": [form[f"item_{item.number}"] for item in instrument.items],
            "closed": _is_closed(episode),
        },
    )


@permission_required(Permission.EPISODE_VIEW)
def administration_detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    administration = selectors.administration_for_user(request.user, public_id, request=request)
    instrument = INSTRUMENTS.get(administration.instrument_code)
    cutoff = instrument.cutoff if instrument else None
    return render(
        request,
        "screening/administration.html",
        {
            "title": f"{selectors.instrument_name(administration.instrument_code)} result",
            "administration": administration,
            "episode": administration.episode,
            "instrument": instrument,
            "above_cutoff": None if cutoff is None else administration.total >= cutoff,
            "items": selectors.item_answers(administration),
            "alerts": list(administration.alerts.select_related("acknowledged_by")),
        },
    )


@permission_required(Permission.EPISODE_VIEW)
def instrument_history(request: AuthenticatedRequest, episode_id, code: str) -> HttpResponse:
    instrument = _instrument_or_404(code)
    episode = episode_for_user(request.user, episode_id, request=request)
    return render(
        request,
        "screening/instrument_history.html",
        {
            "title": f"{instrument.name} history",
            "episode": episode,
            "instrument": instrument,
            "rows": selectors.instrument_history(request.user, episode.person, instrument),
        },
    )


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def external_record(request: AuthenticatedRequest, episode_id) -> HttpResponse:
    episode = episode_for_user(request.user, episode_id, request=request)
    form = ExternalScreenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            screen = services.external_screen_record(
                actor=request.user,
                episode=episode,
                tool_code=data["tool_code"],
                value=data["value"],
                administered_on=data["administered_on"],
                administered_elsewhere_by=data["administered_elsewhere_by"],
                notes=data["notes"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"{EXTERNAL_SCORES[screen.tool_code].name} recorded: {screen.outcome}."
            )
            return redirect("screening:episode", episode_id=episode.public_id)
    return render(
        request,
        "screening/external_record.html",
        {
            "title": "Record a licensed screening tool",
            "form": form,
            "episode": episode,
            "tools": list(EXTERNAL_SCORES.values()),
            "closed": _is_closed(episode),
        },
    )


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def alert_raise(request: AuthenticatedRequest, episode_id) -> HttpResponse:
    episode = episode_for_user(request.user, episode_id, request=request)
    form = RiskAlertRaiseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_alert_raise(
                actor=request.user,
                episode=episode,
                concern=form.cleaned_data["concern"],
                details=form.cleaned_data["details"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                "The risk alert has been raised. It shows on the episode and the worklist "
                "until someone acknowledges it.",
            )
            return redirect("screening:episode", episode_id=episode.public_id)
    return render(
        request,
        "screening/alert_raise.html",
        {
            "title": "Raise a risk alert",
            "form": form,
            "episode": episode,
            "closed": _is_closed(episode),
        },
    )


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def alert_acknowledge(request: AuthenticatedRequest, public_id) -> HttpResponse:
    alert = selectors.alert_for_user(request.user, public_id, request=request)
    form = AlertAcknowledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_alert_acknowledge(
                actor=request.user, alert=alert, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The risk alert has been acknowledged.")
            return redirect("screening:episode", episode_id=alert.episode.public_id)
    return render(
        request,
        "screening/alert_acknowledge.html",
        {
            "title": "Acknowledge a risk alert",
            "form": form,
            "alert": alert,
            "episode": alert.episode,
        },
    )
