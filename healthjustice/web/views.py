import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from healthjustice.accounts.models import User
from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.organisations.permissions import current_memberships, user_permissions
from healthjustice.organisations.roles import PERMISSION_DESCRIPTIONS, ROLES, Role

from .navigation import navigation

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return False
    return True


def _pages_ok(request: HttpRequest) -> bool:
    """Render a page through the full layout, static files included: what breaks every page
    (a template error, a file missing from the static manifest) breaks this too."""
    try:
        render_to_string("web/healthz.html", {"title": "Service status"}, request=request)
    except Exception:
        logger.exception("Health check: a page cannot be rendered")
        return False
    return True


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "pages": _pages_ok(request)}
    body = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **body}, status=200 if healthy else 503
    )


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.kind == User.Kind.CARER:
        return redirect("carers:portal")
    memberships = current_memberships(request.user)
    roles = [{"membership": m, "definition": ROLES[Role(m.role)]} for m in memberships]
    perms = sorted(user_permissions(request.user))
    return render(
        request,
        "web/home.html",
        {
            "title": "Home",
            "roles": roles,
            "links": navigation(request),
            "permission_descriptions": [PERMISSION_DESCRIPTIONS[p] for p in perms],
        },
    )


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html", {"title": "Accessibility statement"})


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy.html", {"title": "How we use information"})
