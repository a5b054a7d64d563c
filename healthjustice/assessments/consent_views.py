"""Pages for a person's consent: what is in force, its history, recording and withdrawing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.form_errors import apply_errors
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.selectors import person_for_user

from . import selectors, services
from .choices import ConsentPurpose
from .forms import ConsentForm, ConsentWithdrawForm


@permission_required(Permission.PERSON_VIEW)
def consent_list(request: AuthenticatedRequest, person_id) -> HttpResponse:
    person = person_for_user(request.user, person_id, request=request)
    return render(
        request,
        "assessments/consent_list.html",
        {
            "title": "Consent",
            "person": person,
            "rows": selectors.consents_for_person(person),
            "carer_sharing": selectors.carer_sharing_for_person(person),
            "can_record": has_permission(request.user, Permission.CONSENT_RECORD),
            "can_manage_carers": has_permission(request.user, Permission.CARERS_MANAGE),
        },
    )


@permission_required(Permission.CONSENT_RECORD)
@require_http_methods(["GET", "POST"])
def consent_record(request: AuthenticatedRequest, person_id) -> HttpResponse:
    person = person_for_user(request.user, person_id, request=request)
    purpose = request.GET.get("purpose", "")
    initial = {"purpose": purpose} if purpose in ConsentPurpose.values else {}
    back = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    form = ConsentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(
                actor=request.user, person=person, request=request, **form.service_data()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The consent decision has been recorded. It applies now.")
            if back:
                return redirect(back)
            return redirect("assessments:consent", person_id=person.public_id)
    return render(
        request,
        "assessments/consent_record.html",
        {
            "title": "Record consent",
            "form": form,
            "person": person,
            "next": back,
        },
    )


def _safe_next(request: AuthenticatedRequest, url: str) -> str:
    """Where to go back to after recording: only a page of this app on this site."""
    if not url or not url.startswith("/assessments/"):
        return ""
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return url


@permission_required(Permission.CONSENT_RECORD)
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthenticatedRequest, person_id, consent_id) -> HttpResponse:
    person = person_for_user(request.user, person_id, request=request)
    consent = selectors.consent_for_user(request.user, consent_id, request=request)
    if consent.person_id != person.pk:
        raise Http404("No such consent")
    current = selectors.current_event(consent)
    form = ConsentWithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user, consent=consent, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"Consent withdrawn: {consent}. Nothing more can be shared on it from now.",
            )
            return redirect("assessments:consent", person_id=person.public_id)
    return render(
        request,
        "assessments/consent_withdraw.html",
        {
            "title": "Withdraw consent",
            "form": form,
            "person": person,
            "consent": consent,
            "current": current,
        },
    )
