"""The race-equity (PCREF) figures page and its CSV export: aggregates only, suppressed."""

from __future__ import annotations

import csv
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.csv_cells import safe_cell
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .figures import Section, csv_rows, ld_sections
from .forms import EquityFilterForm, month_end, month_label, month_start
from .scope import Scope, equity_scopes
from .selectors import Population, ld_figures, region_population
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


def _figures(
    request: AuthenticatedRequest,
) -> tuple[EquityFilterForm, list[Scope], Scope | None, list[Section], Population | None, str]:
    scopes = equity_scopes(request.user)
    form = EquityFilterForm(request.GET, scopes=scopes)
    if not scopes or not form.is_valid():
        return form, scopes, None, [], None, ""
    scope = form.chosen_scope
    first, last = form.cleaned_data["first_month"], form.cleaned_data["last_month"]
    figures = ld_figures(scope.team_ids, month_start(first), month_end(last))
    population = region_population(scope.region) if scope.whole_region else None
    period = (
        f"in {month_label(first)}"
        if first == last
        else f"from {month_label(first)} to {month_label(last)}"
    )
    return form, scopes, scope, ld_sections(figures, population), population, period


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
    form, scopes, scope, sections, population, period = _figures(request)
    if scope is not None:
        _audit(request, Action.VIEW, form)
    return render(
        request,
        "equity/home.html",
        {
            "title": "Race equity figures",
            "form": form,
            "scopes": scopes,
            "scope": scope,
            "sections": sections,
            "population": population,
            "period": period,
            "limit": small_number_limit(),
            "query": request.GET.urlencode(),
        },
    )


@equity_access
def export_csv(request: AuthenticatedRequest) -> HttpResponse:
    form, _, scope, sections, _, period = _figures(request)
    if scope is None:
        raise PermissionDenied
    _audit(request, Action.EXPORT, form)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(scope.label)[:60]
    response["Content-Disposition"] = f'attachment; filename="equity-ld-{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [safe_cell(f"Liaison and Diversion, {scope.label}, episodes referred {period}")]
    )
    for row in csv_rows(sections):
        writer.writerow([safe_cell(cell) for cell in row])
    return response
