"""The contact log and the items written for a carer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.form_errors import apply_errors
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission

from .. import selectors, services
from ..forms import (
    ContactForm,
    RetractForm,
    SharedItemForm,
)
from ..rendering import render

GET_POST = ["GET", "POST"]


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def contact_add(request: AuthenticatedRequest, public_id) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, public_id, request=request)
    staff = list(selectors.team_staff([rel.carer.team_id]))
    if request.user not in staff:
        staff.insert(0, request.user)
    now = timezone.localtime()
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        staff=staff,
        initial={
            "staff": str(request.user.public_id),
            "occurred_on": now.date(),
            "occurred_time": now.strftime("%H:%M"),
        },
    )
    agreement = selectors.agreement_in_force(rel)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_record(
                actor=request.user,
                carer=rel.carer,
                relationship=rel,
                staff=data["staff"],
                occurred_at=data["occurred_at"],
                mode=data["mode"],
                direction=data["direction"],
                summary=data["summary"],
                categories_shared=data["categories_shared"],
                lawful_basis=data["lawful_basis"],
                lawful_basis_detail=data["lawful_basis_detail"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The contact has been added to the log.")
            return redirect("carers:relationship", public_id=rel.public_id)
    return render(
        request,
        "carers/contact_form.html",
        {
            "title": "Log a contact with a carer",
            "form": form,
            "rel": rel,
            "agreement": agreement,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def shared_item_add(request: AuthenticatedRequest, public_id) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, public_id, request=request)
    agreement = selectors.agreement_in_force(rel)
    agreed = agreement.categories if agreement else []
    form = SharedItemForm(request.POST if request.method == "POST" else None, categories=agreed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.shared_item_write(
                actor=request.user,
                relationship=rel,
                category=data["category"],
                title=data["title"],
                body=data["body"],
                meeting_kind=data["meeting_kind"],
                meeting_at=data["meeting_at"],
                meeting_place=data["meeting_place"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "It has been shared with the carer.")
            return redirect("carers:relationship", public_id=rel.public_id)
    return render(
        request,
        "carers/shared_item_form.html",
        {
            "title": "Write something for a carer",
            "form": form,
            "rel": rel,
            "agreement": agreement,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def shared_item_retract(request: AuthenticatedRequest, public_id) -> HttpResponse:
    item = selectors.shared_item_for_user(request.user, public_id, request=request)
    rel = item.relationship
    if item.retracted_at:
        messages.error(request, "This has already been taken back.")
        return redirect("carers:relationship", public_id=rel.public_id)
    form = RetractForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shared_item_retract(
                actor=request.user, item=item, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "It has been taken back. The carer can no longer see it.")
            return redirect("carers:relationship", public_id=rel.public_id)
    return render(
        request,
        "carers/shared_item_retract.html",
        {"title": "Take back something shared", "form": form, "item": item, "rel": rel},
    )
