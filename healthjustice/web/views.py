from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Membership
from healthjustice.organisations.permissions import user_permissions
from healthjustice.organisations.roles import PERMISSION_DESCRIPTIONS, ROLES

from .navigation import navigation


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.kind == User.Kind.CARER:
        return redirect("carers:portal")
    memberships = (
        Membership.objects.current()
        .filter(user=request.user)
        .select_related("team", "team__organisation", "team__region")
    )
    roles = [{"membership": m, "definition": ROLES[m.role]} for m in memberships]
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
