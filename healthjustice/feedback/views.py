"""Public feedback pages: no sign-in, so a QR code on a leaflet leads straight to the form."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from healthjustice.core.form_errors import apply_errors

from . import selectors, services
from .forms import FeedbackForm
from .models import Relationship, Source

# Larger requests than this are refused before the form is read (two answers and the rest).
MAX_BODY = 12_000


def _contact_address() -> str:
    return str(getattr(settings, "HJ_PCREF_CONTACT_EMAIL", ""))


@login_not_required
@require_http_methods(["GET", "POST"])
def give(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
            form = FeedbackForm({})
            form.is_valid()
            form.errors.clear()
            form.add_error(None, "Your feedback is too long to send. Make your answers shorter")
            status = 400
        else:
            form = FeedbackForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                contact = (
                    {"name": data["name"], "contact": data["contact"]}
                    if data["wants_reply"]
                    else None
                )
                source = (
                    Source.CARER_PORTAL if request.GET.get("from") == "portal" else Source.PUBLIC
                )
                try:
                    services.give_feedback(
                        team=data["team"],
                        answers=data,
                        contact=contact,
                        source=source,
                        request=request,
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    return redirect("feedback:thanks")
            status = 400
    else:
        initial: dict[str, object] = {}
        team = selectors.team_by_public_id(request.GET.get("team"))
        if team is not None:
            initial["team"] = team.public_id
        if request.GET.get("relationship") in Relationship.values:
            initial["relationship"] = request.GET["relationship"]
        form = FeedbackForm(initial=initial)
    return render(
        request,
        "feedback/give.html",
        {
            "title": "Tell us about your experience",
            "form": form,
            "contact_email": _contact_address(),
        },
        status=status,
    )


@login_not_required
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "feedback/thanks.html",
        {"title": "Thank you for your feedback", "contact_email": _contact_address()},
    )


@login_not_required
@require_GET
def you_said_we_did(request: HttpRequest) -> HttpResponse:
    groups: dict[str, dict[str, list]] = {}
    for action in selectors.published_actions():
        groups.setdefault(action.team.name, {}).setdefault(action.theme.name, []).append(action)
    return render(
        request,
        "feedback/you_said_we_did.html",
        {"title": "You said, we did", "groups": groups, "contact_email": _contact_address()},
    )
