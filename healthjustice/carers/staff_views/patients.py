"""The carers service's home page, a patient's page and their secure-service stays."""

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
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.selectors import person_for_user

from .. import selectors, services
from ..forms import (
    StayForm,
)
from ..rendering import render

GET_POST = ["GET", "POST"]


@permission_required(Permission.CARERS_MANAGE)
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The staff work list: messages from carers, my carers, reviews due, patients."""
    work = selectors.work_list(request.user)
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="carers_work_list",
        detail={"messages": len(work.my_messages) + len(work.team_messages)},
    )
    return render(
        request,
        "carers/home.html",
        {
            "title": "Carers",
            "work": work,
            "can_review": has_permission(request.user, Permission.CARER_SHARE_REVIEW),
            "can_report": has_permission(request.user, Permission.CARERS_MANAGE),
            "can_edit_pages": has_permission(request.user, Permission.CARER_CONTENT_EDIT),
            "can_search": has_permission(request.user, Permission.PERSON_SEARCH),
        },
    )


# Patients ----------------------------------------------------------------------------------


@permission_required(Permission.CARERS_MANAGE)
@require_GET
def patient(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = person_for_user(request.user, public_id, request=request)
    relationships = selectors.carers_of_patient(person)
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="patient_carers",
        object_id=str(person.public_id),
        detail={"person": str(person.public_id), "carers": len(relationships)},
    )
    rows = [(rel, selectors.agreement_in_force(rel)) for rel in relationships]
    return render(
        request,
        "carers/patient.html",
        {
            "title": "Carers and secure services",
            "person": person,
            "stays": selectors.stays_of(person),
            "rows": rows,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def stay_add(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = person_for_user(request.user, public_id, request=request)
    teams = list(selectors.user_teams(request.user))
    form = StayForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        staff=selectors.team_staff([t.id for t in teams]),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        try:
            services.stay_record(
                actor=request.user, person=person, team=team, data=data, request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The secure-service stay has been recorded.")
            return redirect("carers:patient", public_id=person.public_id)
    return render(
        request,
        "carers/stay_form.html",
        {
            "title": "Record a secure-service stay",
            "form": form,
            "person": person,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def stay_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    stay = selectors.stay_for_user(request.user, public_id, request=request)
    person = stay.person
    teams = list(selectors.user_teams(request.user))
    if stay.team not in teams:
        teams.append(stay.team)
    staff = selectors.team_staff([t.id for t in teams])
    if request.method == "POST":
        form = StayForm(request.POST, teams=teams, staff=staff)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("team")
            try:
                services.stay_update(actor=request.user, stay=stay, data=data, request=request)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The stay has been updated.")
                return redirect("carers:patient", public_id=person.public_id)
    else:
        initial = {name: getattr(stay, name) for name in services.STAY_FIELDS}
        initial["team"] = str(stay.team.public_id)
        for name in ("key_worker", "ward_manager"):
            user = getattr(stay, name)
            initial[name] = str(user.public_id) if user else ""
        form = StayForm(initial=initial, teams=teams, staff=staff)
    return render(
        request,
        "carers/stay_form.html",
        {
            "title": "Change a secure-service stay",
            "form": form,
            "person": person,
            "stay": stay,
        },
    )
