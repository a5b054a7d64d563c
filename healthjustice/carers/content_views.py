"""Staff write and publish the general information pages carers read in the portal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission

from . import selectors, services
from .forms import InformationPageForm
from .models import CarerInformationPage
from .rendering import render


@permission_required(Permission.CARER_CONTENT_EDIT)
@require_GET
def pages(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "carers/pages.html",
        {"title": "Information pages for carers", "pages": list(selectors.all_pages())},
    )


def _save(request: AuthenticatedRequest, page: CarerInformationPage | None) -> HttpResponse:
    if request.method == "POST":
        form = InformationPageForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                saved = services.information_page_save(
                    actor=request.user,
                    page=page,
                    data=data,
                    expected_version=version,
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                state = "published" if saved.is_published else "saved as a draft"
                messages.success(request, f"“{saved.title}” has been {state}.")
                return redirect("carers:pages")
    elif page is not None:
        initial = {name: getattr(page, name) for name in services.PAGE_FIELDS}
        initial["version"] = page.version
        form = InformationPageForm(initial=initial)
    else:
        form = InformationPageForm()
    return render(
        request,
        "carers/page_form.html",
        {
            "title": f"Change “{page.title}”" if page else "Add an information page",
            "form": form,
            "page": page,
        },
    )


@permission_required(Permission.CARER_CONTENT_EDIT)
@require_http_methods(["GET", "POST"])
def page_add(request: AuthenticatedRequest) -> HttpResponse:
    return _save(request, None)


@permission_required(Permission.CARER_CONTENT_EDIT)
@require_http_methods(["GET", "POST"])
def page_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    page = get_object_or_404(CarerInformationPage, public_id=public_id)
    return _save(request, page)
