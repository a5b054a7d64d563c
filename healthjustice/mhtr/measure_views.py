"""The MHTR measures pages: recording PHQ-9, GAD-7 and CORE-10 at the assessment, at an attended
session and at the end of treatment, and the trajectory of each with what it shows. Thin views
over measures.py and outcomes.py, scoped through the access selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.dates import format_date
from healthjustice.core.form_errors import apply_errors
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import episode_for_user
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.screening.change import change_from_baseline
from healthjustice.screening.instruments import get_instrument

from . import measures, selectors
from .charts import trajectory_chart
from .choices import MeasureOccasion, SessionOutcome
from .measure_forms import MeasuresForm
from .outcomes import MEASURE_CODES, outcomes_from_series, summarise
from .services import UNDER_ORDER
from .views import GET_POST, _context, _episode, _form_data


def _trajectory_url(episode: Episode) -> str:
    return reverse("mhtr:measures", kwargs={"public_id": episode.public_id})


def _require_mhtr(episode: Episode) -> None:
    if episode.pathway != Pathway.MHTR:
        raise Http404("Not an MHTR episode")


def _record(
    request: AuthenticatedRequest,
    episode: Any,
    occasion: measures.Occasion | None,
    *,
    title: str,
    refusal: str = "",
    **more: Any,
) -> HttpResponse:
    """The form for one occasion; on success, back to the trajectory."""
    already = measures.recorded_codes(occasion, episode) if occasion else set()
    codes = [c for c in MEASURE_CODES if c not in already]
    form = MeasuresForm(_form_data(request), codes=codes)
    if request.method == "POST" and occasion is not None and not refusal and form.is_valid():
        try:
            made = measures.measures_record(
                actor=request.user,
                episode=episode,
                occasion=occasion,
                answers=form.answers(),
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            recorded = ", ".join(get_instrument(m.instrument_code).name for m in made)
            messages.success(request, f"Recorded: {recorded}.")
            return redirect(_trajectory_url(episode))
    return render(
        request,
        "mhtr/measures_form.html",
        _context(
            episode,
            title,
            form=form,
            occasion=occasion,
            already=[get_instrument(c).name for c in MEASURE_CODES if c in already],
            refusal=refusal,
            trajectory_url=_trajectory_url(episode),
            **more,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def measures_assessment(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    _require_mhtr(episode)
    occasion = measures.assessment_occasion(episode)
    refusal = "" if occasion else "Record the suitability assessment before its measures."
    return _record(
        request, episode, occasion, title="Measures at the suitability assessment", refusal=refusal
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def measures_session(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    session = selectors.session_for_user(request.user, public_id, request=request)
    episode = episode_for_user(request.user, session.episode.public_id, request=request)
    refusal = (
        ""
        if session.outcome == SessionOutcome.ATTENDED
        else "Measures are recorded at a session the person attended: record the session as "
        "attended first."
    )
    return _record(
        request,
        episode,
        measures.session_occasion(session),
        title="Measures at the session",
        refusal=refusal,
        session=session,
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def measures_end(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    _require_mhtr(episode)
    refusal = (
        ""
        if episode.current_stage in UNDER_ORDER
        else "End-of-treatment measures are recorded under an order, before the episode is closed."
    )
    return _record(
        request,
        episode,
        measures.end_occasion(),
        title="Measures at the end of treatment",
        refusal=refusal,
    )


@permission_required(Permission.EPISODE_MANAGE)
@require_GET
def trajectory(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    _require_mhtr(episode)
    recorded = measures.measures_of(episode)
    series = measures.trajectory_of(episode)
    outcomes = outcomes_from_series(series)
    charts = []
    for code in MEASURE_CODES:
        instrument = get_instrument(code)
        mine = [m for m in recorded if m.instrument_code == code]
        first = mine[0].administration.total if mine else 0
        rows = [
            (m, change_from_baseline(code, first, m.administration.total) if i else None)
            for i, m in enumerate(mine)
        ]
        points = series.get(code, [])
        outcome = outcomes.get(code)
        description = (
            f"{len(points)} scores from {format_date(points[0].measured_on)} to "
            f"{format_date(points[-1].measured_on)}, first {points[0].total}, latest "
            f"{points[-1].total}, out of {instrument.max_total}; clinical cut-off "
            f"{instrument.cutoff}. The numbers are in the table below."
            if points
            else f"No {instrument.name} scores yet."
        )
        svg = trajectory_chart(
            f"chart-{code}",
            f"{instrument.name} scores over time",
            description,
            points,
            maximum=instrument.max_total,
            cutoff=instrument.cutoff,
            date_labels=[f"{p.measured_on.day} {p.measured_on:%b}" for p in points],
        )
        charts.append({"instrument": instrument, "svg": svg, "rows": rows, "outcome": outcome})
    stage = episode.current_stage
    open_episode = stage != Stage.CLOSED
    return render(
        request,
        "mhtr/trajectory.html",
        _context(
            episode,
            "Measures over time",
            charts=charts,
            summary=summarise(outcomes),
            has_pair=any(c in outcomes for c in ("phq9", "gad7")),
            can_manage=has_permission(request.user, Permission.EPISODE_MANAGE),
            can_record=open_episode,
            assessment=measures.assessment_occasion(episode),
            sessions_to_measure=measures.sessions_to_measure(episode) if open_episode else [],
            can_end=stage in UNDER_ORDER,
            occasions=MeasureOccasion,
        ),
    )
