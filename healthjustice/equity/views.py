"""The race-equity (PCREF) figures page and its CSV export: aggregates only, suppressed."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.csv_cells import safe_cell
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .figures import Section, csv_rows, sections
from .forms import EquityFilterForm, month_end, month_keys, month_label, month_start
from .pathways import BY_KEY, LIAISON_DIVERSION, PathwayFigures
from .related import pages_for
from .scope import Scope, equity_scopes
from .selectors import Population, pathway_figures, region_population, revolving_door
from .suppression import small_number_limit

# Equality leads (their one permission) and the leaders who see service figures.
PAGE_PERMISSIONS = (Permission.EQUALITY_AGGREGATES, Permission.TEAM_REPORTS)


def equity_access(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not any(has_permission(request.user, p) for p in PAGE_PERMISSIONS):
            audit_record(
                actor=request.user,
                request=request,
                action=Action.DENIED,
                object_type="page",
                detail={"path": request.path[:200], "permission": str(PAGE_PERMISSIONS[0])},
            )
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@dataclass
class Shown:
    """What the page and the CSV show: the filters, and the figures when the filters hold."""

    form: EquityFilterForm
    pathway: PathwayFigures
    scopes: list[Scope]
    scope: Scope | None = None
    sections: list[Section] = field(default_factory=list)
    population: Population | None = None
    period: str = ""


def _pathway(request: HttpRequest) -> PathwayFigures:
    return BY_KEY.get(request.GET.get("pathway", ""), LIAISON_DIVERSION)


def _figures(request: AuthenticatedRequest) -> Shown:
    pathway = _pathway(request)
    scopes = equity_scopes(request.user, pathway.key)
    form = EquityFilterForm(request.GET, scopes=scopes, pathway=pathway.key)
    shown = Shown(form, pathway, scopes)
    if not scopes or not form.is_valid():
        return shown
    scope = form.chosen_scope
    first, last = form.cleaned_data["first_month"], form.cleaned_data["last_month"]
    starts, ends = month_start(first), month_end(last)
    figures = pathway_figures(pathway.key, scope.team_ids, starts, ends)
    revolving = (
        revolving_door(pathway.key, scope.team_ids, starts, ends, timezone.now())
        if pathway.safeguards
        else None
    )
    shown.scope = scope
    shown.population = region_population(scope.region) if scope.whole_region else None
    shown.sections = sections(figures, shown.population, revolving, month_keys(first, last))
    shown.period = (
        f"in {month_label(first)}"
        if first == last
        else f"from {month_label(first)} to {month_label(last)}"
    )
    return shown


def _audit(request: AuthenticatedRequest, action: Action, form: EquityFilterForm) -> None:
    audit_record(
        actor=request.user,
        request=request,
        action=action,
        object_type="equity_figures",
        detail={k: str(v) for k, v in form.cleaned_data.items()},
    )


@equity_access
def home(request: AuthenticatedRequest) -> HttpResponse:
    shown = _figures(request)
    if shown.scope is not None:
        _audit(request, Action.VIEW, shown.form)
    return render(
        request,
        "equity/home.html",
        {
            "title": "Race equity figures",
            "shown": shown,
            "form": shown.form,
            "pathways": list(BY_KEY.values()),
            "limit": small_number_limit(),
            "query": request.GET.urlencode(),
            "related": pages_for(request.user),
        },
    )


@equity_access
def export_csv(request: AuthenticatedRequest) -> HttpResponse:
    shown = _figures(request)
    scope = shown.scope
    if scope is None:
        raise PermissionDenied
    _audit(request, Action.EXPORT, shown.form)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(scope.label)[:60]
    response["Content-Disposition"] = (
        f'attachment; filename="equity-{shown.pathway.key}-{name}.csv"'
    )
    begun = "identified" if shown.pathway.cases == "carers" else "referred"
    writer = csv.writer(response)
    writer.writerow(
        [
            safe_cell(
                f"{shown.pathway.name}, {scope.label}, {shown.pathway.cases} {begun} {shown.period}"
            )
        ]
    )
    for row in csv_rows(shown.sections):
        writer.writerow([safe_cell(cell) for cell in row])
    return response
