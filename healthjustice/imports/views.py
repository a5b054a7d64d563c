"""The list pages: upload, the team's lists, one list with each row matched, and taking a
person on from a row. Who may is `Permission.LIST_IMPORT` in a team they work in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.reading import record_view
from healthjustice.core.form_errors import apply_errors
from healthjustice.core.pagination import paginate, pagination_params
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.access import visible_people

from . import selectors, services
from .choices import ListKind
from .formats import COLUMNS, max_bytes
from .forms import UploadForm
from .uploads import ListSizeLimit


@permission_required(Permission.LIST_IMPORT)
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    lists = selectors.lists_for_user(request.user)[:50]
    return render(
        request,
        "imports/home.html",
        {"title": "Custody, court and release lists", "lists": lists},
    )


@csrf_exempt
@permission_required(Permission.LIST_IMPORT)
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedRequest) -> HttpResponse:
    """The size limit goes in before anything reads the body (the CSRF check reads it), so
    the check is made by `_upload_page` once the limit is in place."""
    size_limit = ListSizeLimit(request)
    handlers = request.upload_handlers
    if not isinstance(handlers, list):
        raise RuntimeError("The upload handlers are fixed once the body has been read")
    handlers.insert(0, size_limit)
    return _upload_page(request, size_limit)


@csrf_protect
def _upload_page(request: AuthenticatedRequest, size_limit: ListSizeLimit) -> HttpResponse:
    teams = selectors.list_teams(request.user)
    posted = request.method == "POST"
    data, files = (request.POST, request.FILES) if posted else (None, None)
    form = UploadForm(data, files, teams=teams, upload_stopped=size_limit.stopped)
    errors: list = []
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.list_import(
                actor=request.user,
                team=form.cleaned_data["team"],
                kind=form.cleaned_data["kind"],
                file_name=upload.name or "list.csv",
                data=upload.read(),
                request=request,
            )
        except PermissionDenied as exc:
            form.add_error("team", str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if result.same_file:
                messages.info(request, "This file was imported before: nothing has changed.")
            else:
                messages.success(request, result.summary[:1].upper() + result.summary[1:] + ".")
            if result.imported_list is not None:
                return redirect("imports:list", public_id=result.imported_list.public_id)
            errors = result.errors
            if not errors:
                messages.info(request, "Every row of this file was imported before.")
    return render(
        request,
        "imports/upload.html",
        {
            "title": "Upload a list",
            "form": form,
            "row_errors": errors,
            "teams": teams,
            "columns": COLUMNS,
            "kinds": ListKind,
            "max_mb": max_bytes() // (1024 * 1024),
        },
    )


@permission_required(Permission.LIST_IMPORT)
@require_GET
def list_page(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    imported = selectors.list_for_user(request.user, public_id, request=request)
    # Matching runs for the rows shown, so a long list is read a page at a time.
    page = paginate(request, selectors.list_rows(imported))
    shown = selectors.rows_shown(request.user, page.object_list)
    visible_ids = set(
        visible_people(request.user)
        .filter(pk__in=[p.pk for s in shown for p in [*s.match.people, s.row.person] if p])
        .values_list("pk", flat=True)
    )
    record_view(
        request,
        actor=request.user,
        object_type="imported_list",
        object_id=str(imported.public_id),
        detail={"rows": len(shown), "people_shown": len(visible_ids)},
    )
    return render(
        request,
        "imports/list.html",
        {
            "title": imported.get_kind_display(),
            "imported": imported,
            "shown": shown,
            "pages": pagination_params(request, page),
            "visible_ids": visible_ids,
            "kinds": ListKind,
            # Offences are criminal-justice (Article 10) data.
            "show_cj": has_permission(request.user, Permission.CJ_CONTEXT_VIEW),
        },
    )


@permission_required(Permission.LIST_IMPORT)
@require_POST
def take_on(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    row = selectors.row_for_user(request.user, public_id, request=request)
    person = None
    chosen = request.POST.get("person", "")
    if chosen:
        person = visible_people(request.user).filter(public_id=chosen).first()
        if person is None:
            messages.error(request, "Choose one of the records the list row was matched to.")
            return redirect("imports:list", public_id=row.imported_list.public_id)
    try:
        taken = services.row_take_on(actor=request.user, row=row, person=person, request=request)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        assert taken.episode is not None
        messages.success(request, f"Episode opened from line {taken.line} of the list.")
        return redirect("journeys:detail", public_id=taken.episode.public_id)
    return redirect("imports:list", public_id=row.imported_list.public_id)
