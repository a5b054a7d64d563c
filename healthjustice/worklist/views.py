"""The worklist page: open episodes in priority order, with the reason for each place."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.mhtr.team_settings import settings_teams
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission
from healthjustice.reconnect import team_settings as reconnect_settings

from .page import worklist_page


@permission_required(Permission.EPISODE_VIEW)
@require_GET
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    context = worklist_page(request)
    htmx = request.headers.get("HX-Request") == "true"
    template = "worklist/_worklist_results.html" if htmx else "worklist/worklist.html"
    if not htmx:
        context["leads_mhtr_team"] = settings_teams(request.user).exists()
        context["leads_reconnect_team"] = reconnect_settings.settings_teams(request.user).exists()
    return render(request, template, context)
