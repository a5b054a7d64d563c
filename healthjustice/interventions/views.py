from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import episode_for_user
from healthjustice.journeys.stages import machine_for, skipped_stages
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from . import selectors, services
from .forms import ClosureForm, OutcomeForm, ReferralForm
from .links import episode_page_url


def _episode_context(episode) -> dict:
    stage = getattr(episode, "current_stage", None)
    return {
        "episode": episode,
        "person": episode.person,
        "episode_url": episode_page_url(episode),
        "stage_label": Stage(stage).label if stage else "",
        "today": timezone.localdate(),
    }


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def referral_create(request: AuthenticatedRequest, public_id) -> HttpResponse:
    episode = episode_for_user(request.user, public_id, request=request)
    stage = episode.current_stage
    needs_skip = bool(skipped_stages(stage, Stage.INTERVENTION, episode.pathway))
    form = ReferralForm(
        request.POST if request.method == "POST" else None, needs_skip_reason=needs_skip
    )
    if request.method == "POST" and stage != Stage.CLOSED and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_record(
                actor=request.user,
                episode=episode,
                service_type=data["service_type"],
                service_name=data["service_name"],
                referred_on=data["referred_on"],
                first_appointment_on=data["first_appointment_on"],
                supported_to_first_appointment=data["supported_to_first_appointment"],
                skip_reason=data.get("skip_reason", ""),
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            moved = (
                " The episode is now at the intervention stage." if stage != "intervention" else ""
            )
            messages.success(
                request, f"The referral to {referral.service_name} has been recorded.{moved}"
            )
            return redirect(episode_page_url(episode))
    return render(
        request,
        "interventions/referral_form.html",
        {
            "title": "Refer on to another service",
            **_episode_context(episode),
            "form": form,
            "stage": stage,
            "is_closed": stage == Stage.CLOSED,
            "needs_skip_reason": needs_skip,
        },
    )


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def referral_outcome(request: AuthenticatedRequest, public_id) -> HttpResponse:
    referral = selectors.referral_for_user(request.user, public_id, request=request)
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.referral_update_outcome(
                    actor=request.user,
                    referral=referral,
                    expected_version=data["version"],
                    first_appointment_on=data["first_appointment_on"],
                    supported_to_first_appointment=data["supported_to_first_appointment"],
                    attended=data["attended"],
                    attended_on=data["attended_on"],
                    outcome=data["outcome"],
                    outcome_notes=data["outcome_notes"],
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"The outcome for {referral.service_name} is saved.")
                return redirect(episode_page_url(referral.episode))
    else:
        form = OutcomeForm(initial=OutcomeForm.initial_for(referral))
    return render(
        request,
        "interventions/outcome_form.html",
        {
            "title": f"Outcome of the referral to {referral.service_name}",
            **_episode_context(referral.episode),
            "referral": referral,
            "form": form,
        },
    )


def _safe_next(request: AuthenticatedRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@permission_required(Permission.EPISODE_MANAGE)
@require_POST
def follow_up_done(request: AuthenticatedRequest, public_id) -> HttpResponse:
    referral = selectors.referral_for_user(request.user, public_id, request=request)
    try:
        services.referral_follow_up_done(actor=request.user, referral=referral, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"The follow-up of the referral to {referral.service_name} is marked as done."
        )
    return redirect(_safe_next(request, "interventions:follow_ups"))


@permission_required(Permission.EPISODE_VIEW)
def follow_ups(request: AuthenticatedRequest) -> HttpResponse:
    scope = "team" if request.GET.get("scope") == "team" else "mine"
    due = list(selectors.follow_ups_due(request.user, scope=scope))
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="follow_up_list",
        # Which records were shown, as the worklist does, so each person's views can be traced.
        detail={
            "scope": scope,
            "rows": len(due),
            "episodes": sorted({str(r.episode.public_id) for r in due}),
            "people": sorted({str(r.episode.person.public_id) for r in due}),
        },
    )
    return render(
        request,
        "interventions/follow_ups.html",
        {
            "title": "Follow-ups due",
            "scope": scope,
            "due": due,
            "today": timezone.localdate(),
            "can_manage": has_permission(request.user, Permission.EPISODE_MANAGE),
        },
    )


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def episode_close(request: AuthenticatedRequest, public_id) -> HttpResponse:
    episode = episode_for_user(request.user, public_id, request=request)
    is_closed = episode.current_stage == Stage.CLOSED
    form = ClosureForm(
        request.POST if request.method == "POST" else None,
        reasons=machine_for(episode.pathway).closure_choices(episode.current_stage),
    )
    if request.method == "POST" and not is_closed and form.is_valid():
        try:
            services.closure_record(
                actor=request.user,
                episode=episode,
                closure_reason=form.cleaned_data["closure_reason"],
                summary=form.cleaned_data["summary"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The episode is closed.")
            return redirect(episode_page_url(episode))
    open_follow_ups = [
        r for r in selectors.referrals_of_episode(episode) if r.follow_up_done_at is None
    ]
    return render(
        request,
        "interventions/close.html",
        {
            "title": "Close the episode",
            **_episode_context(episode),
            "form": form,
            "is_closed": is_closed,
            "open_follow_ups": open_follow_ups,
        },
    )
