"""A carer's pages: adding, details, support, the portal invitation and sign-in reset."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission
from healthjustice.people.selectors import person_for_user

from .. import selectors, services
from ..forms import (
    CarerAddForm,
    CarerEditForm,
    SupportForm,
)
from ..models import Carer
from ..rendering import render

GET_POST = ["GET", "POST"]


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def carer_add(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = person_for_user(request.user, public_id, request=request)
    teams = list(selectors.teams_for_patient(request.user, person))
    form = CarerAddForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        staff=selectors.team_staff([t.id for t in teams]),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        relationship = {k: data.pop(k) for k in services.RELATIONSHIP_FIELDS}
        try:
            carer = services.carer_register(
                actor=request.user,
                patient=person,
                team=team,
                data=services.carer_details(data),
                relationship=services.relationship_details(relationship),
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{carer.full_name} has been added as a carer.")
            return redirect("carers:carer_detail", public_id=carer.public_id)
    return render(
        request,
        "carers/carer_add.html",
        {
            "title": "Add a carer",
            "form": form,
            "person": person,
            "teams": teams,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_GET
def carer_detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    carer = selectors.carer_for_user(request.user, public_id, request=request)
    relationships = selectors.relationships_of(request.user, carer)
    support = selectors.support_of(carer)
    return render(
        request,
        "carers/carer_detail.html",
        {
            "title": "Carer",
            "carer": carer,
            "contact": selectors.named_contact_for(carer),
            "rows": [(rel, selectors.agreement_in_force(rel)) for rel in relationships],
            "support": support,
            "contacts": selectors.contacts_of(request.user, carer),
            "messages_list": selectors.messages_of(carer, limit=20),
            "invitation": carer.invitations.order_by("-created_at").first(),
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def carer_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    carer = selectors.carer_for_user(request.user, public_id, request=request)
    staff = selectors.team_staff([carer.team_id])
    if request.method == "POST":
        form = CarerEditForm(request.POST, staff=staff)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.carer_update(
                    actor=request.user,
                    carer=carer,
                    data=services.carer_details(data),
                    expected_version=data.pop("version"),
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The carer's details have been saved.")
                return redirect("carers:carer_detail", public_id=carer.public_id)
    else:
        initial = {name: getattr(carer, name) for name in services.CARER_FIELDS}
        initial["named_contact"] = str(carer.named_contact.public_id) if carer.named_contact else ""
        initial["version"] = carer.version
        form = CarerEditForm(initial=initial, staff=staff)
    return render(
        request,
        "carers/carer_edit.html",
        {"title": "Change a carer's details", "form": form, "carer": carer},
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def support_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    carer = selectors.carer_for_user(request.user, public_id, request=request)
    support = selectors.support_of(carer)
    if request.method == "POST":
        form = SupportForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.support_update(
                    actor=request.user,
                    carer=carer,
                    data=services.support_details(data),
                    expected_version=data.pop("version"),
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The carer's support has been saved.")
                return redirect("carers:carer_detail", public_id=carer.public_id)
    else:
        initial = {name: getattr(support, name) for name in services.SUPPORT_FIELDS}
        initial["version"] = support.version
        form = SupportForm(initial=initial)
    return render(
        request,
        "carers/support_form.html",
        {"title": "Support for a carer", "form": form, "carer": carer},
    )


def _link_page(
    request: AuthenticatedRequest,
    carer: Carer,
    *,
    issue: Callable[..., services.IssuedInvitation],
    refusal: str,
    template: str,
    title: str,
) -> HttpResponse:
    """A page that makes a single-use portal link on POST and shows it once, on that response."""
    issued = None
    error = refusal
    if request.method == "POST":
        try:
            issued = issue(actor=request.user, carer=carer, request=request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    link = (
        request.build_absolute_uri(
            reverse("carers:portal_invitation", kwargs={"token": issued.token})
        )
        if issued
        else ""
    )
    return render(
        request,
        template,
        {"title": title, "carer": carer, "issued": issued, "link": link, "error": error},
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def invite(request: AuthenticatedRequest, public_id) -> HttpResponse:
    """Make a single-use invitation. The link is shown once, on this response only."""
    carer = selectors.carer_for_user(request.user, public_id, request=request)
    return _link_page(
        request,
        carer,
        issue=services.carer_invite,
        refusal="",
        template="carers/invite.html",
        title="Invite a carer to the carers' portal",
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def sign_in_reset(request: AuthenticatedRequest, public_id) -> HttpResponse:
    """Stop the carer's password working and make a link to choose a new one, shown once."""
    carer = selectors.carer_for_user(request.user, public_id, request=request)
    return _link_page(
        request,
        carer,
        issue=services.carer_sign_in_reset,
        refusal=services.sign_in_reset_refusal(carer),
        template="carers/sign_in_reset.html",
        title="Reset a carer's sign-in to the carers' portal",
    )
