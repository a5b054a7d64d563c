"""Shares made without consent to review (team leaders), and the Triangle of Care report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.form_errors import apply_errors
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission

from . import selectors, services
from .forms import ReportForm, ReviewForm
from .rendering import render
from .report import report_teams, triangle_of_care


@permission_required(Permission.CARER_SHARE_REVIEW)
@require_GET
def flagged(request: AuthenticatedRequest) -> HttpResponse:
    contacts = list(selectors.flagged_contacts(request.user))
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="carer_flagged_shares",
        detail={"count": len(contacts)},
    )
    return render(
        request,
        "carers/flagged.html",
        {"title": "Shares without consent to review", "contacts": contacts},
    )


@permission_required(Permission.CARER_SHARE_REVIEW)
@require_http_methods(["GET", "POST"])
def flagged_review(request: AuthenticatedRequest, public_id) -> HttpResponse:
    contact = selectors.flagged_contact_for_user(request.user, public_id, request=request)
    assert contact.relationship is not None  # the selector returns only contacts with one
    patient = contact.relationship.patient
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="carer_contact",
        object_id=str(contact.public_id),
        detail={"person": str(patient.public_id)},
    )
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and contact.reviewed_at is None and form.is_valid():
        try:
            services.contact_review(
                actor=request.user,
                contact=contact,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Your review has been recorded.")
            return redirect("carers:flagged")
    return render(
        request,
        "carers/flagged_review.html",
        {
            "title": "Review a share without consent",
            "contact": contact,
            "patient": patient,
            "form": form,
        },
    )


# Aggregates only, never names: every member of a team that supports carers (key workers
# included) may see their own team's Triangle of Care figures.
@permission_required(Permission.CARERS_MANAGE)
@require_GET
def report(request: AuthenticatedRequest) -> HttpResponse:
    teams = report_teams(request.user)
    form = ReportForm(request.GET or None, teams=teams)
    chosen, days = teams, 90
    if form.is_bound and form.is_valid():
        days = form.cleaned_data["period"]
        if form.cleaned_data["team"]:
            chosen = [form.cleaned_data["team"]]
    result = triangle_of_care(chosen, days)
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="carers_report",
        detail={"teams": [str(t.public_id) for t in chosen], "days": days},
    )
    return render(
        request,
        "carers/report.html",
        {"title": "Triangle of Care report", "form": form, "report": result, "teams": teams},
    )
