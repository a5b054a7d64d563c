"""Pages for structured assessments, and an episode's assessments-and-reports overview."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.dates import format_datetime
from healthjustice.core.form_errors import apply_errors
from healthjustice.core.meta import model_field
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import episode_for_user, team_workers
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from . import selectors, services
from .choices import REPORT_RECIPIENTS, ConsentPurpose
from .forms import AssessmentForm
from .models import ASSESSMENT_TEXT_FIELDS, Assessment

ASSESSMENT_ERROR_FIELDS = {"assessed_at": "assessed_time"}


def assessment_rows(assessment: Assessment) -> list[dict]:
    """The assessment as summary-list rows, in the order it was written."""
    rows = [
        {
            "key": {"text": "Date and time"},
            "value": {"text": format_datetime(assessment.assessed_at)},
        },
        {"key": {"text": "How"}, "value": {"text": assessment.get_mode_display()}},
        {"key": {"text": "Assessor"}, "value": {"text": assessment.assessor.display_name}},
    ]
    for name in ASSESSMENT_TEXT_FIELDS:
        label = str(model_field(Assessment, name).verbose_name)
        rows.append(
            {
                "key": {"text": label[0].upper() + label[1:]},
                "value": {"text": getattr(assessment, name) or "Not recorded"},
            }
        )
    return rows


@permission_required(Permission.EPISODE_VIEW)
def episode_overview(request: AuthenticatedRequest, episode_id) -> HttpResponse:
    episode = episode_for_user(request.user, episode_id, request=request)
    person = episode.person
    consent_rows = [
        (recipient, selectors.consent_in_force(person, recipient))
        for recipient in REPORT_RECIPIENTS
    ]
    return render(
        request,
        "assessments/episode.html",
        {
            "title": "Assessment and reports",
            "episode": episode,
            "assessments": list(selectors.assessments_for_episode(episode)),
            "reports": list(selectors.reports_for_episode(episode)),
            "consent_rows": consent_rows,
            "closed": episode.current_stage == Stage.CLOSED,
            "can_manage": has_permission(request.user, Permission.EPISODE_MANAGE),
            "can_report": has_permission(request.user, Permission.REPORT_ISSUE),
        },
    )


def _assessment_consent_url(episode) -> str:
    back = reverse("assessments:new", kwargs={"episode_id": episode.public_id})
    url = reverse("assessments:consent_record", kwargs={"person_id": episode.person.public_id})
    return f"{url}?{urlencode({'purpose': ConsentPurpose.ASSESSMENT, 'next': back})}"


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def assessment_new(request: AuthenticatedRequest, episode_id) -> HttpResponse:
    episode = episode_for_user(request.user, episode_id, request=request)
    at_identified = episode.current_stage == Stage.IDENTIFIED
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        assessors=team_workers([episode.team_id]),
        at_identified=at_identified,
        initial={"assessor": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                actor=request.user,
                episode=episode,
                data=form.service_data(),
                skip_reason=form.cleaned_data.get("skip_reason", ""),
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc, ASSESSMENT_ERROR_FIELDS)
        else:
            messages.success(request, "The assessment has been recorded.")
            return redirect("assessments:detail", public_id=assessment.public_id)
    needs_consent = selectors.consent_in_force(episode.person, ConsentPurpose.ASSESSMENT) is None
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "title": "Record an assessment",
            "heading": "Record an assessment",
            "consent_url": _assessment_consent_url(episode) if needs_consent else "",
            "no_consent_message": services.no_assessment_consent_message(episode.person),
            "form": form,
            "episode": episode,
            "closed": episode.current_stage == Stage.CLOSED,
            "at_identified": at_identified,
            "text_fields": [form[name] for name in ASSESSMENT_TEXT_FIELDS],
        },
    )


@permission_required(Permission.EPISODE_VIEW)
def assessment_detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    assessment = selectors.assessment_for_user(request.user, public_id, request=request)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "title": "Assessment",
            "assessment": assessment,
            "episode": assessment.episode,
            "rows": assessment_rows(assessment),
            "can_manage": has_permission(request.user, Permission.EPISODE_MANAGE),
        },
    )


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def assessment_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    assessment = selectors.assessment_for_user(request.user, public_id, request=request)
    episode = assessment.episode
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        assessors=team_workers([episode.team_id]),
        initial=AssessmentForm.initial_from(assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                actor=request.user,
                assessment=assessment,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"] or 0,
                request=request,
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc, ASSESSMENT_ERROR_FIELDS)
        else:
            messages.success(request, "The assessment has been saved.")
            return redirect("assessments:detail", public_id=assessment.public_id)
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "title": "Change the assessment",
            "heading": "Change the assessment",
            "form": form,
            "episode": episode,
            "assessment": assessment,
            "closed": False,
            "at_identified": False,
            "text_fields": [form[name] for name in ASSESSMENT_TEXT_FIELDS],
        },
    )
