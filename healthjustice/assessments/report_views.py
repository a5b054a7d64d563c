"""Pages for reports to criminal-justice partners: write and issue, view, download, correct."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healthjustice.journeys.selectors import episode_for_user
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.web.decorators import permission_required
from healthjustice.web.form_errors import apply_errors

from . import selectors, services
from .choices import REPORT_RECIPIENTS, ConsentStatus, LawfulBasis, ReportType
from .forms import ReportForm, ReportTypeForm
from .pdf import report_pdf
from .report_sections import sections_for, starting_text


def _consent_by_recipient(person) -> list[tuple[str, bool]]:
    return [
        (recipient.label, selectors.consent_in_force(person, recipient) is not None)
        for recipient in REPORT_RECIPIENTS
    ]


@permission_required(Permission.REPORT_ISSUE)
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, episode_id) -> HttpResponse:
    episode = episode_for_user(
        request.user, episode_id, request=request, audit=request.method == "GET"
    )
    form = ReportTypeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect(
            "assessments:report_write",
            episode_id=episode.public_id,
            report_type=form.cleaned_data["report_type"],
        )
    return render(
        request,
        "assessments/report_new.html",
        {"title": "Write a report", "form": form, "episode": episode},
    )


def _issue(request: HttpRequest, form: ReportForm, episode, report_type: str, supersedes=None):
    data = form.cleaned_data
    return services.report_issue(
        actor=request.user,
        episode=episode,
        report_type=report_type,
        recipient=supersedes.recipient if supersedes else data["recipient"],
        sections=form.section_texts(),
        lawful_basis=data["lawful_basis"],
        justification=data["justification"],
        supersedes=supersedes,
        correction_reason=data.get("correction_reason", ""),
        request=request,
    )


@permission_required(Permission.REPORT_ISSUE)
@require_http_methods(["GET", "POST"])
def report_write(request: HttpRequest, episode_id, report_type: str) -> HttpResponse:
    if report_type not in ReportType.values:
        raise Http404("No such kind of report")
    episode = episode_for_user(
        request.user, episode_id, request=request, audit=request.method == "GET"
    )
    sections = sections_for(report_type)
    initial = {
        f"section_{k}": v
        for k, v in starting_text(sections, selectors.latest_assessment(episode)).items()
    }
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        sections=sections,
        initial={**initial, "lawful_basis": LawfulBasis.CONSENT},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = _issue(request, form, episode, report_type)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The report has been issued and recorded as a disclosure.")
            return redirect("assessments:report", public_id=report.public_id)
    return render(
        request,
        "assessments/report_write.html",
        {
            "title": ReportType(report_type).label,
            "heading": ReportType(report_type).label,
            "form": form,
            "episode": episode,
            "consent": _consent_by_recipient(episode.person),
            "correcting": None,
        },
    )


@permission_required(Permission.REPORT_ISSUE)
@require_http_methods(["GET", "POST"])
def report_correct(request: HttpRequest, public_id) -> HttpResponse:
    original = selectors.report_for_user(
        request.user, public_id, request=request, audit=request.method == "GET"
    )
    episode = original.episode
    newer = selectors.superseding_report(original)
    sections = sections_for(original.report_type)
    initial = {f"section_{s['key']}": s["text"] for s in original.content.get("sections", [])}
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        sections=sections,
        correction=True,
        initial={
            **initial,
            "recipient": original.recipient,
            "lawful_basis": original.lawful_basis,
            "justification": original.justification,
        },
    )
    if request.method == "POST" and newer is None and form.is_valid():
        try:
            report = _issue(request, form, episode, original.report_type, supersedes=original)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The correction has been issued. It replaces the report.")
            return redirect("assessments:report", public_id=report.public_id)
    return render(
        request,
        "assessments/report_write.html",
        {
            "title": "Correct a report",
            "heading": f"Correct: {original.get_report_type_display()}",
            "form": form,
            "episode": episode,
            "consent": _consent_by_recipient(episode.person),
            "correcting": original,
            "already_corrected": newer,
        },
    )


@permission_required(Permission.EPISODE_VIEW)
def report_detail(request: HttpRequest, public_id) -> HttpResponse:
    report = selectors.report_for_user(request.user, public_id, request=request)
    consent_now = selectors.current_event(report.consent) if report.consent else None
    return render(
        request,
        "assessments/report_detail.html",
        {
            "title": report.get_report_type_display(),
            "report": report,
            "content": report.content,
            "episode": report.episode,
            "superseded_by": selectors.superseding_report(report),
            "consent_since_ended": consent_now is not None
            and consent_now.status != ConsentStatus.GIVEN,
            "consent_now": consent_now,
            # Article 10 data: only those who issue reports see the criminal-justice details.
            "show_cj": has_permission(request.user, Permission.REPORT_ISSUE),
            "can_report": has_permission(request.user, Permission.REPORT_ISSUE),
        },
    )


@permission_required(Permission.REPORT_ISSUE)
def report_download(request: HttpRequest, public_id) -> HttpResponse:
    report = selectors.report_for_user(request.user, public_id, request=request, purpose="pdf")
    response = HttpResponse(report_pdf(report.content), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{report.content.get("reference", "report")}.pdf"'
    )
    return response
