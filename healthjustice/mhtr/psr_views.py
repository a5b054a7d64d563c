"""The page recording when the pre-sentence report is due (the adjourned hearing)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.form_errors import apply_errors
from healthjustice.journeys.selectors import cj_context_for_user
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission

from . import selectors, services
from .forms import PsrDueForm
from .views import GET_POST, _context, _episode, _episode_url, _form_data


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def psr_due(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    cj = cj_context_for_user(request.user, episode, request=request)
    form = PsrDueForm(
        _form_data(request), initial={"due_on": cj.psr_due_on if cj is not None else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.psr_due_record(
                actor=request.user,
                episode=episode,
                due_on=form.cleaned_data["due_on"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The pre-sentence report's due date has been recorded.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "mhtr/psr_due.html",
        _context(
            episode,
            "When is the pre-sentence report due?",
            form=form,
            can_record=episode.current_stage in services.BEFORE_SENTENCE
            and selectors.court_outcome_of(episode) is None,
        ),
    )
