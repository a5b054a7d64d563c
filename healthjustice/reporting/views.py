from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys.choices import EpisodeSetting
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from . import services
from .dashboard import dashboard_sections
from .forms import DashboardFilterForm, ExportRequestForm, MhtrDashboardFilterForm
from .mhtr_dashboard import mhtr_sections
from .models import DataReturnExport, ExportStatus, ReturnKind
from .periods import Month
from .reconnect_dashboard import reconnect_sections
from .scope import dashboard_scopes, export_regions
from .selectors import (
    Filters,
    export_for_user,
    mhtr_dashboard_facts,
    recent_exports,
    reconnect_dashboard_facts,
    service_figures,
)

# What a row of each return is, and the dashboard it is asked for from.
ROWS_ARE = {
    ReturnKind.LIAISON_DIVERSION: "one for each episode referred in the month",
    ReturnKind.MHTR: "one for each MHTR episode active in the month",
    ReturnKind.RECONNECT: "one for each RECONNECT episode active in the month",
}
DASHBOARD_FOR = {
    ReturnKind.LIAISON_DIVERSION: ("reporting:dashboard", "Service dashboard"),
    ReturnKind.MHTR: ("reporting:mhtr_dashboard", "MHTR dashboard"),
    ReturnKind.RECONNECT: ("reporting:reconnect_dashboard", "RECONNECT dashboard"),
}


def _export_form(request: AuthenticatedRequest, data=None) -> ExportRequestForm | None:
    if not has_permission(request.user, Permission.DATA_RETURN_EXPORT):
        return None
    regions = export_regions(request.user)
    return ExportRequestForm(data, regions=regions) if regions else None


def _filter_summary(filters: Filters, site_name: str) -> str:
    period = (
        f"in {filters.first.label}"
        if filters.first == filters.last
        else f"from {filters.first.label} to {filters.last.label}"
    )
    parts = [f"Episodes referred {period}"]
    if site_name:
        parts.append(f"at {site_name}")
    if filters.setting:
        parts.append(f"in the setting {EpisodeSetting(filters.setting).label.lower()}")
    return ", ".join(parts) + "."


@permission_required(Permission.TEAM_REPORTS)
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    scopes = dashboard_scopes(request.user)
    form = DashboardFilterForm(request.GET, scopes=scopes)
    sections, scope, summary = [], None, ""
    if scopes and form.is_valid():
        scope = form.chosen_scope
        site = form.chosen_site
        filters = Filters(
            team_ids=scope.team_ids,
            first=Month.parse(form.cleaned_data["first_month"]),
            last=Month.parse(form.cleaned_data["last_month"]),
            site_id=site.pk if site else None,
            setting=form.cleaned_data["setting"],
        )
        sections = dashboard_sections(service_figures(filters))
        summary = _filter_summary(filters, site.name if site else "")
        audit_record(
            actor=request.user,
            request=request,
            action=Action.VIEW,
            object_type="service_dashboard",
            detail={
                "scope": scope.key,
                "from": filters.first.key,
                "to": filters.last.key,
                "site": form.cleaned_data["site"],
                "setting": filters.setting,
            },
        )
    return render(
        request,
        "reporting/dashboard.html",
        {
            "title": "Service dashboard",
            "form": form,
            "scopes": scopes,
            "scope": scope,
            "sections": sections,
            "filter_summary": summary,
            "export_form": _export_form(request),
            "recent_exports": recent_exports(request.user, kind=ReturnKind.LIAISON_DIVERSION),
        },
    )


def _period_summary(first: Month, last: Month) -> str:
    return f"in {first.label}" if first == last else f"from {first.label} to {last.label}"


@permission_required(Permission.TEAM_REPORTS)
def mhtr_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """The MHTR figures for a team or region the user leads, by month of each event."""
    scopes = dashboard_scopes(request.user, pathway=Pathway.MHTR)
    form = MhtrDashboardFilterForm(request.GET, scopes=scopes)
    sections, scope, summary = [], None, ""
    if scopes and form.is_valid():
        scope = form.chosen_scope
        first = Month.parse(form.cleaned_data["first_month"])
        last = Month.parse(form.cleaned_data["last_month"])
        facts = mhtr_dashboard_facts(scope.team_ids, first, last)
        sections = mhtr_sections(facts, first, last)
        summary = f"Events {_period_summary(first, last)}, each counted in the month it happened."
        audit_record(
            actor=request.user,
            request=request,
            action=Action.VIEW,
            object_type="mhtr_dashboard",
            detail={"scope": scope.key, "from": first.key, "to": last.key},
        )
    return render(
        request,
        "reporting/mhtr_dashboard.html",
        {
            "title": "MHTR dashboard",
            "form": form,
            "scopes": scopes,
            "scope": scope,
            "sections": sections,
            "filter_summary": summary,
            "export_form": _export_form(request),
            "recent_exports": recent_exports(request.user, kind=ReturnKind.MHTR),
        },
    )


@permission_required(Permission.TEAM_REPORTS)
def reconnect_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """The RECONNECT figures for a team or region the user leads, by month of each event."""
    scopes = dashboard_scopes(request.user, pathway=Pathway.RECONNECT)
    form = MhtrDashboardFilterForm(request.GET, scopes=scopes)
    sections, scope, summary = [], None, ""
    if scopes and form.is_valid():
        scope = form.chosen_scope
        first = Month.parse(form.cleaned_data["first_month"])
        last = Month.parse(form.cleaned_data["last_month"])
        facts = reconnect_dashboard_facts(scope.team_ids, first, last)
        sections = reconnect_sections(facts, first, last)
        summary = f"Events {_period_summary(first, last)}, each counted in the month it happened."
        audit_record(
            actor=request.user,
            request=request,
            action=Action.VIEW,
            object_type="reconnect_dashboard",
            detail={"scope": scope.key, "from": first.key, "to": last.key},
        )
    return render(
        request,
        "reporting/reconnect_dashboard.html",
        {
            "title": "RECONNECT dashboard",
            "form": form,
            "scopes": scopes,
            "scope": scope,
            "sections": sections,
            "filter_summary": summary,
            "export_form": _export_form(request),
            "recent_exports": recent_exports(request.user, kind=ReturnKind.RECONNECT),
        },
    )


def _export_request(request: AuthenticatedRequest, kind: ReturnKind) -> HttpResponse:
    form = _export_form(request, request.POST)
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, "Choose a region and a month from the lists.")
        return redirect(DASHBOARD_FOR[kind][0])
    export = services.data_return_export_request(
        actor=request.user,
        region=form.chosen_region,
        month=form.chosen_month,
        kind=kind,
        request=request,
    )
    return redirect("reporting:export_detail", public_id=export.public_id)


@permission_required(Permission.DATA_RETURN_EXPORT)
@require_POST
def export_request(request: AuthenticatedRequest) -> HttpResponse:
    return _export_request(request, ReturnKind.LIAISON_DIVERSION)


@permission_required(Permission.DATA_RETURN_EXPORT)
@require_POST
def mhtr_export_request(request: AuthenticatedRequest) -> HttpResponse:
    return _export_request(request, ReturnKind.MHTR)


@permission_required(Permission.DATA_RETURN_EXPORT)
@require_POST
def reconnect_export_request(request: AuthenticatedRequest) -> HttpResponse:
    return _export_request(request, ReturnKind.RECONNECT)


def _status_context(export: DataReturnExport) -> dict:
    waited = timezone.now() - export.requested_at
    kind = ReturnKind(export.kind)
    return {
        "export": export,
        "rows_are": ROWS_ARE[kind],
        "dashboard_url": DASHBOARD_FOR[kind][0],
        "dashboard_title": DASHBOARD_FOR[kind][1],
        "dashboard_name": "the " + DASHBOARD_FOR[kind][1].replace("Service", "service"),
        "statuses": ExportStatus,
        "no_worker": export.status == ExportStatus.QUEUED
        and waited > timedelta(seconds=settings.HJ_EXPORT_WORKER_WAIT_SECONDS),
    }


@permission_required(Permission.DATA_RETURN_EXPORT)
def export_detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    export = export_for_user(request.user, public_id, request=request)
    return render(
        request,
        "reporting/export.html",
        {"title": f"Data return for {export.region.name}", **_status_context(export)},
    )


@permission_required(Permission.DATA_RETURN_EXPORT)
def export_status(request: AuthenticatedRequest, public_id) -> HttpResponse:
    """The progress panel alone, polled by the export page until the file is ready."""
    export = export_for_user(request.user, public_id, request=request)
    return render(request, "reporting/_export_status.html", _status_context(export))


@permission_required(Permission.DATA_RETURN_EXPORT)
def export_download(request: AuthenticatedRequest, public_id) -> FileResponse:
    export = export_for_user(request.user, public_id, request=request)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404("The file is not ready, or has been deleted")
    try:
        handle = default_storage.open(export.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404("The file has been deleted") from exc
    services.data_return_export_downloaded(actor=request.user, export=export, request=request)
    return FileResponse(
        handle, as_attachment=True, filename=export.download_name, content_type="text/csv"
    )
