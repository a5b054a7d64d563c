"""Information-governance pages: who looked at a person, what a user looked at, break-glass
reviews and subject access exports. Every page is itself audited."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action, ChainHead
from healthjustice.audit.services import audit_record
from healthjustice.core.form_errors import apply_errors
from healthjustice.core.pagination import paginate, pagination_params
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from . import selectors
from .access_changes import recent_access_changes
from .forms import (
    BreakGlassFilterForm,
    BreakGlassReviewForm,
    DateRangeForm,
    EventFilterForm,
    PersonLookupForm,
    UserLookupForm,
)
from .reviews import break_glass_review as review_grant
from .subject_access import (
    person_for_subject_access,
    subject_access_filename,
)
from .subject_access import (
    subject_access_export as export_document,
)

_FILTER_KEYS = ("date_from", "date_to", "status", "access_basis")
_EXPORT_TYPES = {"pdf": "application/pdf", "json": "application/json; charset=utf-8"}
# A trail is counted up to this many events: beyond it the newest are listed and the page says
# that earlier ones are reached by dates (counting an account's hundred million would take
# seconds; a page of them takes a millisecond).
EVENTS_LISTED = 10_000


def _filters(
    request: AuthenticatedRequest, form_class: type[DateRangeForm]
) -> tuple[Any, dict | None]:
    """A filter form from the query string, and its values (None while it has errors)."""
    submitted = any(key.startswith(_FILTER_KEYS) for key in request.GET)
    form = form_class(request.GET if submitted else None)
    if not submitted:
        return form, {}
    if not form.is_valid():
        return form, None
    return form, {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}


class EventFilters(TypedDict, total=False):
    date_from: date | None
    date_to: date | None
    access_basis: str


def _event_filters(values: dict[str, Any]) -> EventFilters:
    filters = EventFilters()
    if "date_from" in values:
        filters["date_from"] = values["date_from"]
    if "date_to" in values:
        filters["date_to"] = values["date_to"]
    if "access_basis" in values:
        filters["access_basis"] = values["access_basis"]
    return filters


def _audit_page(
    request: AuthenticatedRequest, object_type: str, object_id: str = "", **detail: Any
) -> None:
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type=object_type,
        object_id=object_id,
        detail={"purpose": selectors.IG_PURPOSE, **detail},
    )


@permission_required(Permission.AUDIT_READ)
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    rows = ChainHead.objects.aggregate(rows=Sum("length"))["rows"] or 0
    can_review = has_permission(request.user, Permission.AUDIT_REVIEW_BREAK_GLASS)
    return render(
        request,
        "audit/home.html",
        {
            "title": "Audit trail",
            "rows": rows,
            "can_review": can_review,
            "awaiting": selectors.break_glass_awaiting_count(request.user) if can_review else 0,
            "verification": selectors.last_verification(),
            "access_changes": recent_access_changes(),
        },
    )


@permission_required(Permission.AUDIT_READ)
@require_http_methods(["GET", "POST"])
def person_lookup(request: AuthenticatedRequest) -> HttpResponse:
    form = PersonLookupForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = selectors.people_for_information_governance(
            actor=request.user, request=request, **form.cleaned_data
        )
    return render(
        request,
        "audit/person_lookup.html",
        {"title": "Who looked at this person", "form": form, "results": results},
    )


@permission_required(Permission.AUDIT_READ)
@require_GET
def person_events(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = selectors.person_summary(request.user, public_id, request=request)
    form, values = _filters(request, EventFilterForm)
    page = rows = pages = None
    if values is not None:
        events = selectors.events_about_person(public_id, **_event_filters(values))
        page = paginate(request, events, up_to=EVENTS_LISTED)
        rows = selectors.describe_events(list(page.object_list))
        pages = pagination_params(request, page)
    _audit_page(request, "audit_person_events", str(person.public_id))
    return render(
        request,
        "audit/person_events.html",
        {
            "title": "Who looked at this person",
            "person": person,
            "form": form,
            "page": page,
            "rows": rows,
            "pages": pages,
            "can_export": has_permission(request.user, Permission.SUBJECT_ACCESS_EXPORT),
        },
    )


@permission_required(Permission.SUBJECT_ACCESS_EXPORT)
@require_POST
def subject_access_export(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = person_for_subject_access(request.user, public_id, request=request)
    export_format = "pdf" if request.POST.get("format") == "pdf" else "json"
    content = export_document(
        actor=request.user, person=person, export_format=export_format, request=request
    )
    response = HttpResponse(content, content_type=_EXPORT_TYPES[export_format])
    filename = subject_access_filename(person, export_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required(Permission.AUDIT_READ)
@require_GET
def user_lookup(request: AuthenticatedRequest) -> HttpResponse:
    form = UserLookupForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_bound and form.is_valid():
        results = list(selectors.users_for_information_governance(form.cleaned_data["q"]))
        audit_record(
            actor=request.user,
            request=request,
            action=Action.SEARCH,
            object_type="user",
            detail={"purpose": selectors.IG_PURPOSE, "results": len(results)},
        )
    return render(
        request,
        "audit/user_lookup.html",
        {"title": "What did this user look at", "form": form, "results": results},
    )


@permission_required(Permission.AUDIT_READ)
@require_GET
def user_detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    subject = selectors.user_by_public_id(public_id)
    form, values = _filters(request, EventFilterForm)
    page = rows = pages = None
    if values is not None:
        events = selectors.events_by_user(subject.public_id, **_event_filters(values))
        page = paginate(request, events, up_to=EVENTS_LISTED)
        rows = selectors.describe_events(list(page.object_list))
        pages = pagination_params(request, page)
    _audit_page(request, "audit_user_events", str(subject.public_id))
    return render(
        request,
        "audit/user_events.html",
        {
            "title": "What this user looked at",
            "subject": subject,
            "form": form,
            "page": page,
            "rows": rows,
            "pages": pages,
        },
    )


@permission_required(Permission.AUDIT_REVIEW_BREAK_GLASS)
@require_GET
def break_glass(request: AuthenticatedRequest) -> HttpResponse:
    form, values = _filters(request, BreakGlassFilterForm)
    page = pages = None
    if values is not None:
        page = paginate(request, selectors.break_glass_grants(request.user, **values))
        pages = pagination_params(request, page)
    _audit_page(request, "audit_break_glass")
    return render(
        request,
        "audit/break_glass.html",
        {
            "title": "Break-glass reviews",
            "form": form,
            "page": page,
            "pages": pages,
            "awaiting": selectors.break_glass_awaiting_count(request.user),
            "can_read_audit": has_permission(request.user, Permission.AUDIT_READ),
        },
    )


@permission_required(Permission.AUDIT_REVIEW_BREAK_GLASS)
@require_http_methods(["GET", "POST"])
def break_glass_review(request: AuthenticatedRequest, public_id) -> HttpResponse:
    grant = selectors.break_glass_grant(request.user, public_id, request=request)
    form = BreakGlassReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            review_grant(
                actor=request.user,
                grant=grant,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            grant = selectors.break_glass_grant(request.user, public_id, request=request)
        else:
            messages.success(
                request,
                f"Review recorded: {grant.get_review_outcome_display()} "
                f"for {grant.person.full_name}.",
            )
            return redirect("audit:break_glass")
    if request.method == "GET":
        audit_record(
            actor=request.user,
            request=request,
            action=Action.VIEW,
            object_type="break_glass",
            object_id=str(grant.public_id),
            detail={"purpose": selectors.IG_PURPOSE, "person": str(grant.person.public_id)},
        )
    return render(
        request,
        "audit/break_glass_review.html",
        {
            "title": "Review break-glass access",
            "grant": grant,
            "form": form,
            "can_read_audit": has_permission(request.user, Permission.AUDIT_READ),
        },
    )
