"""A carer's relationship with a patient and the sharing agreements on it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.form_errors import apply_errors
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission

from .. import selectors, services
from ..forms import (
    AgreementForm,
    RelationshipForm,
    WithdrawForm,
)
from ..rendering import render

GET_POST = ["GET", "POST"]


@permission_required(Permission.CARERS_MANAGE)
@require_GET
def relationship(request: AuthenticatedRequest, public_id) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, public_id, request=request)
    return render(
        request,
        "carers/relationship.html",
        {
            "title": "Sharing with a carer",
            "rel": rel,
            "agreement": selectors.agreement_in_force(rel),
            "history": selectors.agreement_history(rel),
            "items": selectors.shared_items_of(rel),
            "contacts": selectors.contacts_about(rel),
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def relationship_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, public_id, request=request)
    if request.method == "POST":
        form = RelationshipForm(request.POST)
        if form.is_valid():
            services.relationship_update(
                actor=request.user,
                relationship=rel,
                data=services.relationship_details(form.cleaned_data),
                request=request,
            )
            messages.success(request, "The relationship has been saved.")
            return redirect("carers:relationship", public_id=rel.public_id)
    else:
        fields = (*services.RELATIONSHIP_FIELDS, "ended_on")
        form = RelationshipForm(initial={name: getattr(rel, name) for name in fields})
    return render(
        request,
        "carers/relationship_edit.html",
        {"title": "Change the relationship", "form": form, "rel": rel},
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def agreement_record(request: AuthenticatedRequest, public_id) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, public_id, request=request)
    current = selectors.agreement_in_force(rel)
    if request.method == "POST":
        form = AgreementForm(request.POST)
        if form.is_valid():
            try:
                services.agreement_record(
                    actor=request.user, relationship=rel, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The information-sharing agreement has been recorded.")
                return redirect("carers:relationship", public_id=rel.public_id)
    else:
        initial: dict[str, Any] = {"review_on": timezone.localdate() + timedelta(days=182)}
        if current:
            initial.update(
                categories=current.categories,
                capacity=current.capacity,
                advance_statement=current.advance_statement,
            )
        form = AgreementForm(initial=initial)
    return render(
        request,
        "carers/agreement_form.html",
        {
            "title": "Record what the person agrees to share",
            "form": form,
            "rel": rel,
            "current": current,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def agreement_withdraw(request: AuthenticatedRequest, public_id) -> HttpResponse:
    agreement = selectors.agreement_for_user(request.user, public_id, request=request)
    rel = agreement.relationship
    if not agreement.in_force:
        messages.error(request, "This agreement is no longer in force.")
        return redirect("carers:relationship", public_id=rel.public_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_withdraw(
                actor=request.user,
                agreement=agreement,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"The agreement has been withdrawn. {rel.carer.full_name} can no longer see "
                "anything about the patient in the carers' portal.",
            )
            return redirect("carers:relationship", public_id=rel.public_id)
    return render(
        request,
        "carers/agreement_withdraw.html",
        {"title": "Withdraw the agreement", "form": form, "agreement": agreement, "rel": rel},
    )
