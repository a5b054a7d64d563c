"""Pages for reports to criminal-justice partners: write and issue, view, download, correct."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.form_errors import apply_errors
from healthjustice.journeys.selectors import cj_context_for_user, episode_for_user
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from . import selectors, services
from .choices import (
    REPORT_RECIPIENTS,
    Article6Basis,
    Article9Condition,
    Article10Condition,
    ConsentStatus,
    LawfulBasis,
    Recipient,
    ReportType,
)
from .forms import ReportForm, ReportTypeForm
from .pdf import report_pdf
from .report_content import criminal_justice_rows, disclosure_rows
from .report_sections import (
    ReportKind,
    kind_for,
    kinds_for,
    screening_summary,
    starting_text,
)


def _consent_by_recipient(person, recipients=REPORT_RECIPIENTS) -> list[tuple[str, str]]:
    """Each recipient and, in words, the decision in force for sharing with them."""
    labels = [Recipient(r).label for r in recipients]
    return list(zip(labels, selectors.decisions_in_words(person, recipients), strict=True))


def _kind(episode, report_type: str) -> ReportKind:
    """The kind of report, if it is written on this episode's pathway; 404 otherwise."""
    kind = kind_for(report_type) if report_type in ReportType.values else None
    if kind is None or kind not in kinds_for(episode.pathway):
        raise Http404("No such kind of report")
    return kind


def _draft_key(episode, report_type: str) -> str:
    return f"report_draft:{episode.public_id}:{report_type}"


# Fields of the report form kept while the author leaves to record consent.
_DRAFT_SKIP = {"csrfmiddlewaretoken", "confirm", "action"}


def _keep_draft(request: AuthenticatedRequest, episode, report_type: str) -> None:
    request.session[_draft_key(episode, report_type)] = {
        k: v for k, v in request.POST.items() if k not in _DRAFT_SKIP
    }


def _consent_url(episode, report_type: str, recipient: str) -> str:
    kind = kind_for(report_type)
    recipients = kind.recipients if kind else REPORT_RECIPIENTS
    purpose = selectors.purpose_for(recipient) if recipient in recipients else ""
    back = reverse(
        "assessments:report_write",
        kwargs={"episode_id": episode.public_id, "report_type": report_type},
    )
    query = urlencode({k: v for k, v in (("purpose", purpose), ("next", back)) if v})
    url = reverse("assessments:consent_record", kwargs={"person_id": episode.person.public_id})
    return f"{url}?{query}"


def _initial(request: AuthenticatedRequest, episode, kind: ReportKind) -> tuple[dict, bool]:
    """The starting answers: a kept draft, the kind's own first draft, or the assessment and
    screening."""
    report_type, sections = kind.report_type, kind.sections
    draft = request.session.get(_draft_key(episode, report_type))
    if draft:
        return dict(draft), True
    if kind.starting_text is not None:
        texts = kind.starting_text(request.user, episode)
    else:
        texts = starting_text(sections, selectors.latest_assessment(episode))
        summary = screening_summary(episode)
        needs = next((sec.key for sec in sections if sec.key in ("needs", "mental_health")), None)
        if summary and needs:
            texts[needs] = "\n\n".join(t for t in (texts.get(needs, ""), summary) if t)
    context = cj_context_for_user(request.user, episode, request=request)
    initial = {
        **{f"section_{k}": v for k, v in texts.items()},
        "lawful_basis": LawfulBasis.CONSENT,
        "article6_basis": Article6Basis.PUBLIC_TASK,
        "article9_condition": Article9Condition.HEALTH_CARE,
        "article10_condition": Article10Condition.HEALTH_CARE
        if criminal_justice_rows(context)
        else "",
        "courtroom": str(getattr(context, "courtroom", "") or ""),
    }
    if kind.default_recipient:
        initial["recipient"] = kind.default_recipient
    return initial, False


@permission_required(Permission.REPORT_ISSUE)
@require_http_methods(["GET", "POST"])
def report_new(request: AuthenticatedRequest, episode_id) -> HttpResponse:
    episode = episode_for_user(request.user, episode_id, request=request)
    form = ReportTypeForm(
        request.POST if request.method == "POST" else None,
        report_types=[k.report_type for k in kinds_for(episode.pathway)],
    )
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


def _issue(
    request: AuthenticatedRequest, form: ReportForm, episode, report_type: str, supersedes=None
):
    data = form.cleaned_data
    return services.report_issue(
        actor=request.user,
        episode=episode,
        report_type=report_type,
        recipient=supersedes.recipient if supersedes else data["recipient"],
        sections=form.section_texts(),
        lawful_basis=data["lawful_basis"],
        justification=data["justification"],
        article6_basis=data["article6_basis"],
        article9_condition=data["article9_condition"],
        article10_condition=data["article10_condition"],
        courtroom=data["courtroom"],
        supersedes=supersedes,
        correction_reason=data.get("correction_reason", ""),
        request=request,
    )


@permission_required(Permission.REPORT_ISSUE)
@require_http_methods(["GET", "POST"])
def report_write(request: AuthenticatedRequest, episode_id, report_type: str) -> HttpResponse:
    if report_type not in ReportType.values:
        raise Http404("No such kind of report")
    episode = episode_for_user(request.user, episode_id, request=request)
    kind = _kind(episode, report_type)
    sections = kind.sections
    if request.method == "POST" and request.POST.get("action") == "record_consent":
        # Leaving to record consent: keep what has been written, and come back to it.
        _keep_draft(request, episode, report_type)
        return redirect(_consent_url(episode, report_type, request.POST.get("recipient", "")))
    initial, from_draft = _initial(request, episode, kind)
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        sections=sections,
        recipients=kind.recipients,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = _issue(request, form, episode, report_type)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session.pop(_draft_key(episode, report_type), None)
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
            "consent": _consent_by_recipient(episode.person, kind.recipients),
            "unavailable": kind.unavailable(episode) if kind.unavailable else "",
            "correcting": None,
            "from_draft": from_draft and request.method == "GET",
            "can_keep_draft": True,
        },
    )


@permission_required(Permission.REPORT_ISSUE)
@require_http_methods(["GET", "POST"])
def report_correct(request: AuthenticatedRequest, public_id) -> HttpResponse:
    original = selectors.report_for_user(request.user, public_id, request=request)
    episode = original.episode
    newer = selectors.superseding_report(original)
    kind = kind_for(original.report_type)
    if kind is None:
        raise Http404("No such kind of report")
    sections = kind.sections
    initial = {f"section_{s['key']}": s["text"] for s in original.content.get("sections", [])}
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        sections=sections,
        correction=True,
        recipients=kind.recipients,
        initial={
            **initial,
            "recipient": original.recipient,
            "lawful_basis": original.lawful_basis,
            "justification": original.justification,
            "article6_basis": original.article6_basis or Article6Basis.PUBLIC_TASK,
            "article9_condition": original.article9_condition or Article9Condition.HEALTH_CARE,
            "article10_condition": original.article10_condition,
            "courtroom": (original.content.get("hearing") or {}).get("courtroom", ""),
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
            "consent": _consent_by_recipient(episode.person, kind.recipients),
            "correcting": original,
            "already_corrected": newer,
        },
    )


@permission_required(Permission.EPISODE_VIEW)
def report_detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    report = selectors.report_for_user(request.user, public_id, request=request)
    consent_now = selectors.current_event(report.consent) if report.consent else None
    return render(
        request,
        "assessments/report_detail.html",
        {
            "title": report.get_report_type_display(),
            "report": report,
            "content": report.content,
            "disclosure": [
                {"key": {"text": label}, "value": {"text": value}}
                for label, value in disclosure_rows(report.content)
            ],
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
def report_download(request: AuthenticatedRequest, public_id) -> HttpResponse:
    report = selectors.report_for_user(request.user, public_id, request=request, purpose="pdf")
    response = HttpResponse(report_pdf(report.content), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{report.content.get("reference", "report")}.pdf"'
    )
    return response
