"""The RECONNECT pages: thin views over services.py and selectors.py, scoped through
journeys.selectors.episode_for_user and people.selectors.person_for_user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors
from healthjustice.journeys.access import working_team_ids
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import cj_context_for_user, episode_for_user
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission
from healthjustice.people.selectors import person_for_user

from . import selectors, services
from .choices import AppointmentKind, EngagementCheckKind
from .forms import (
    AppointmentChangeForm,
    AppointmentForm,
    AttendanceForm,
    ContactForm,
    EligibilityForm,
    EngagementCheckForm,
    ExtensionForm,
    GateMeetForm,
    GatePlanForm,
    HandedOverForm,
    HandoverForm,
    PlanNeedForm,
    PlanNeedUpdateForm,
    PostReleaseForm,
    PreReleaseForm,
    RecallForm,
    ReferralForm,
    ReleaseDetailsForm,
    ReleaseForm,
    SupportWorkerForm,
)

if TYPE_CHECKING:
    from healthjustice.journeys.selectors import StagedEpisode

GET_POST = require_http_methods(["GET", "POST"])


def _episode_url(episode: Episode) -> str:
    return reverse("journeys:detail", kwargs={"public_id": episode.public_id})


def _episode(request: AuthenticatedRequest, public_id: Any) -> StagedEpisode:
    return episode_for_user(request.user, public_id, request=request)


def _context(episode: Episode, title: str, **more: Any) -> dict[str, Any]:
    stage = getattr(episode, "current_stage", None)
    return {
        "title": title,
        "episode": episode,
        "person": episode.person,
        "episode_url": _episode_url(episode),
        "stage_label": Stage(stage).label if stage else "",
        "is_reconnect": episode.pathway == Pathway.RECONNECT,
        "is_closed": stage == Stage.CLOSED,
        "today": timezone.localdate(),
        **more,
    }


def _form_data(request: AuthenticatedRequest) -> Any:
    return request.POST if request.method == "POST" else None


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def refer(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    """A RECONNECT worker takes a referral for a person into their team."""
    person = person_for_user(request.user, person_id, request=request)
    teams = selectors.reconnect_teams_of(working_team_ids(request.user))
    form = ReferralForm(_form_data(request), sites=list(selectors.establishments()), teams=teams)
    team = teams[0] if len(teams) == 1 else None
    if request.method == "POST" and teams and form.is_valid():
        team = form.chosen_team()
        assert team is not None  # a required choice among the user's teams
        try:
            referral = services.referral_record(
                actor=request.user,
                person=person,
                team=team,
                data=form.to_input(),
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"The referral to {team.name} is recorded.")
            return redirect(_episode_url(referral.episode))
    return render(
        request,
        "reconnect/refer.html",
        {
            "title": "Take a RECONNECT referral",
            "form": form,
            "person": person,
            "team": team,
            "teams": teams,
        },
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def refer_from_ld(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = ReferralForm(_form_data(request), sites=list(selectors.establishments()), ld=True)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_from_ld(
                actor=request.user, from_episode=episode, data=form.to_input(), request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Referred to {referral.episode.team.name} (RECONNECT).")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/refer_from_ld.html",
        _context(
            episode,
            "Refer to RECONNECT",
            form=form,
            reconnect_team=selectors.reconnect_team_for(episode.team.region),
            is_ld=episode.pathway == Pathway.LIAISON_DIVERSION,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def eligibility(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = EligibilityForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            check = services.eligibility_record(
                actor=request.user, episode=episode, data=form.to_input(), request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Eligibility recorded: {check.get_outcome_display()}.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/eligibility.html",
        _context(
            episode,
            "RECONNECT eligibility",
            form=form,
            can_record=episode.current_stage in services.BEFORE_ELIGIBLE,
            referral=selectors.referral_of(episode),
        ),
    )


def _expected_release(request: AuthenticatedRequest, episode: Episode) -> Any:
    """The expected release date (Article 10 data): its view is audited on a GET."""
    context = cj_context_for_user(request.user, episode, request=request)
    return context.prison_release_on if context else None


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def release_details(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    details = selectors.release_details_of(episode)
    initial: dict[str, Any] = {}
    if details is not None:
        initial = {
            "version": details.version,
            "establishment": str(details.establishment.public_id),
            "expected_release_on": _expected_release(request, episode),
            "release_type": details.release_type,
            "area": str(details.area.public_id) if details.area else "",
            "area_detail": details.area_detail,
            "accommodation": details.accommodation,
            "probation_practitioner": details.probation_practitioner,
            "medication": details.medication,
        }
    form = ReleaseDetailsForm(
        _form_data(request),
        initial=initial,
        sites=list(selectors.establishments()),
        regions=list(selectors.regions()),
    )
    if request.method == "POST" and details is not None and form.is_valid():
        try:
            services.release_details_save(
                actor=request.user,
                episode=episode,
                data=form.to_input(),
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The release details are saved.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/release_details.html",
        _context(episode, "Release details", form=form, details=details),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def pre_release(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = PreReleaseForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.pre_release_start(
                actor=request.user, episode=episode, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Pre-release support has started.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/pre_release.html",
        _context(
            episode,
            "Start pre-release support",
            form=form,
            can_record=episode.current_stage == Stage.ELIGIBILITY_CHECKED,
            expected=_expected_release(request, episode),
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def release(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    details = selectors.release_details_of(episode)
    stage = episode.current_stage
    referred_on = timezone.localdate(episode.referred_at)
    needs_skip = stage == Stage.ELIGIBILITY_CHECKED
    form = ReleaseForm(
        _form_data(request),
        initial={
            "version": details.version if details else 0,
            "release_type": details.release_type if details else "",
        },
        needs_skip_reason=needs_skip,
    )
    if request.method == "POST" and details is not None and form.is_valid():
        try:
            services.release_record(
                actor=request.user,
                episode=episode,
                released_on=form.cleaned_data["released_on"],
                release_type=form.cleaned_data["release_type"],
                expected_version=form.cleaned_data["version"],
                skip_reason=form.cleaned_data.get("skip_reason", ""),
                request=request,
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The release is recorded. The episode is at 'released'.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/release.html",
        _context(
            episode,
            "Record the release",
            form=form,
            details=details,
            needs_skip_reason=needs_skip,
            referred_on=referred_on,
            can_record=stage in (Stage.ELIGIBILITY_CHECKED, Stage.PRE_RELEASE),
            eligible=selectors.is_eligible(episode),
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def contact(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = ContactForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record(
                actor=request.user, episode=episode, data=form.to_input(), request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The contact is recorded.")
            return redirect(_episode_url(episode))
    details = selectors.release_details_of(episode)
    return render(
        request,
        "reconnect/contact.html",
        _context(
            episode,
            "Record a contact",
            form=form,
            can_record=episode.current_stage in services.CONTACT_STAGES,
            released_on=details.released_on if details else None,
            after_release=bool(
                details and details.released_on and episode.current_stage != Stage.PRE_RELEASE
            ),
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def plan_need(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = PlanNeedForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_need_add(
                actor=request.user, episode=episode, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The need is added to the support plan.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/plan_need.html",
        _context(
            episode,
            "Add a need to the support plan",
            form=form,
            can_record=episode.current_stage in services.PLAN_STAGES,
            needs=selectors.plan_needs_of(episode),
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def gate_meet(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    plan = selectors.gate_plan_of(episode)
    form = GateMeetForm(
        _form_data(request),
        initial={"met_by": plan.who, "place": plan.place} if plan else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.gate_meet_record(
                actor=request.user,
                episode=episode,
                met=data["met"] == "yes",
                met_by=data["met_by"],
                place=data["place"],
                not_met_reason=data["not_met_reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The gate meet is recorded.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/gate_meet.html",
        _context(
            episode,
            "Record the gate meet",
            form=form,
            can_record=episode.current_stage in services.AFTER_RELEASE
            and selectors.gate_meet_of(episode) is None,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def post_release(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = PostReleaseForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.post_release_start(
                actor=request.user, episode=episode, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Post-release support has started.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/post_release.html",
        _context(
            episode,
            "Start post-release support",
            form=form,
            can_record=episode.current_stage == Stage.RELEASED,
            released_on=selectors.released_on(episode),
            support_ends=selectors.support_ends_on(episode),
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def extension(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    """A team leader extends support after release beyond its end, with a reason."""
    episode = _episode(request, public_id)
    form = ExtensionForm(_form_data(request))
    is_leader = services.is_team_leader(request.user, episode.team)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.extension_approve(
                actor=request.user,
                episode=episode,
                extended_to=form.cleaned_data["extended_to"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"Support is extended to {done.extended_to.day} {done.extended_to:%B %Y}."
            )
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/extension.html",
        _context(
            episode,
            "Extend support after release",
            form=form,
            can_record=episode.current_stage in services.EXTENSION_STAGES,
            is_leader=is_leader,
            support_ends=selectors.support_ends_on(episode),
            extensions=selectors.extensions_of(episode),
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def recall(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = RecallForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.recall_record(
                actor=request.user,
                episode=episode,
                recalled_on=form.cleaned_data["recalled_on"],
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The recall is recorded and the episode is closed.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/recall.html",
        _context(
            episode,
            "Record a recall to custody",
            form=form,
            can_record=episode.current_stage in services.RECALL_STAGES,
            released_on=selectors.released_on(episode),
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def handover(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    """Record a handover to a named community service (an onward referral of the episode)."""
    episode = _episode(request, public_id)
    form = HandoverForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            done = services.handover_record(
                actor=request.user, episode=episode, data=form.to_input(), request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"The handover to {done.referral.service_name} is recorded.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/handover.html",
        _context(
            episode,
            "Record a handover",
            form=form,
            can_record=episode.current_stage in services.HANDOVER_STAGES,
            released_on=selectors.released_on(episode),
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def engagement(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    """Confirm engagement with the service handed over to: the first appointment, then 4 weeks."""
    found = selectors.handover_for_user(request.user, public_id, request=request)
    episode = _episode(request, found.episode.public_id)
    form = EngagementCheckForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_check_record(
                actor=request.user,
                handover=found,
                checked_on=form.cleaned_data["checked_on"],
                engaged=form.cleaned_data["engaged"],
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The engagement check is recorded.")
            return redirect(_episode_url(episode))
    kind = services.next_check(found)
    first = next((c for c in found.checks.all() if c.kind == "first_appointment"), None)
    return render(
        request,
        "reconnect/engagement.html",
        _context(
            episode,
            "Confirm engagement",
            form=form,
            handover=found,
            kind_label=EngagementCheckKind(kind).label.lower() if kind else "",
            due_from=first.checked_on + services.FOUR_WEEKS if first else None,
            can_record=kind is not None and episode.current_stage in services.HANDOVER_STAGES,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def handed_over(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    episode = _episode(request, public_id)
    form = HandedOverForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.handed_over_move(
                actor=request.user, episode=episode, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The episode is at 'handed over'.")
            return redirect(_episode_url(episode))
    handovers = selectors.handovers_of(episode)
    return render(
        request,
        "reconnect/handed_over.html",
        _context(
            episode,
            "Move to handed over",
            form=form,
            handovers=handovers,
            no_handover=services.NO_HANDOVER,
            can_record=episode.current_stage == Stage.POST_RELEASE,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def gate_plan(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    """Plan the gate meet before release: where, when, who."""
    episode = _episode(request, public_id)
    plan = selectors.gate_plan_of(episode)
    form = GatePlanForm(
        _form_data(request),
        initial={"meet_on": _expected_release(request, episode)} if plan is None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.gate_plan_record(
                actor=request.user, episode=episode, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The gate meet is planned.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/gate_plan.html",
        _context(
            episode,
            "Plan the gate meet",
            form=form,
            plan=plan,
            can_record=episode.current_stage in services.GATE_PLAN_STAGES,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def appointment(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    """Book a first-week appointment: GP, substance misuse service, housing, Jobcentre."""
    episode = _episode(request, public_id)
    form = AppointmentForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            done = services.appointment_book(
                actor=request.user, episode=episode, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"The {done.get_kind_display()} appointment is booked.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/appointment.html",
        _context(
            episode,
            "Book a first-week appointment",
            form=form,
            appointments=selectors.appointments_of(episode),
            can_record=episode.current_stage in services.PLAN_STAGES,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def attendance(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    found = selectors.appointment_for_user(request.user, public_id, request=request)
    episode = _episode(request, found.episode.public_id)
    form = AttendanceForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_attendance(
                actor=request.user,
                appointment=found,
                attended=form.cleaned_data["attended"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Attendance is recorded.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/attendance.html",
        _context(
            episode,
            "Record attendance",
            form=form,
            appointment=found,
            kind_label=AppointmentKind(found.kind).label,
            can_record=found.attended is None
            and episode.current_stage in services.AFTER_RELEASE
            and found.appointment_on <= timezone.localdate(),
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def support_worker(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    """A team leader allocates a peer support or support, time and recovery worker."""
    episode = _episode(request, public_id)
    memberships = selectors.support_workers_of(episode.team)
    form = SupportWorkerForm(_form_data(request), memberships=memberships)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.support_worker_allocate(
                actor=request.user,
                episode=episode,
                worker=form.cleaned_data["worker"],
                request=request,
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{done.worker.display_name} is their support worker.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/support_worker.html",
        _context(
            episode,
            "Allocate a support worker",
            form=form,
            current=selectors.support_worker_of(episode),
            has_workers=bool(memberships),
            is_leader=services.is_team_leader(request.user, episode.team),
            can_record=episode.current_stage in services.PLAN_STAGES,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def plan_need_update(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    """Change the action agreed for a need in the support plan, or mark it met."""
    need = selectors.plan_need_for_user(request.user, public_id, request=request)
    episode = _episode(request, need.episode.public_id)
    updates = selectors.plan_need_updates(need)
    latest = updates[-1] if updates else None
    form = PlanNeedUpdateForm(_form_data(request), initial={"seen_updates": len(updates)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.plan_need_update(
                actor=request.user,
                need=need,
                seen_updates=data["seen_updates"],
                action=data["action"],
                met=data["met"],
                met_on=data["met_on"],
                note=data["note"],
                request=request,
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            what = "marked met" if done.met_on else "updated"
            messages.success(request, f"The need for {need.get_area_display().lower()} is {what}.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/plan_need_update.html",
        _context(
            episode,
            f"Update the need: {need.get_area_display().lower()}",
            form=form,
            need=need,
            updates=updates,
            action=latest.action if latest else need.action,
            met_on=latest.met_on if latest else None,
            can_record=episode.current_stage in services.PLAN_STAGES,
        ),
    )


@permission_required(Permission.EPISODE_MANAGE)
@GET_POST
def appointment_change(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    """Rebook a first-week appointment or change its date or place."""
    found = selectors.appointment_for_user(request.user, public_id, request=request)
    episode = _episode(request, found.episode.public_id)
    form = AppointmentChangeForm(
        _form_data(request), initial={"version": found.version, "where": found.where}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_change(
                actor=request.user,
                appointment=found,
                expected_version=form.cleaned_data["version"],
                appointment_on=form.cleaned_data["appointment_on"],
                where=form.cleaned_data["where"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"The {found.get_kind_display()} appointment is changed.")
            return redirect(_episode_url(episode))
    return render(
        request,
        "reconnect/appointment_change.html",
        _context(
            episode,
            "Change or rebook an appointment",
            form=form,
            appointment=found,
            kind_label=AppointmentKind(found.kind).label,
            can_record=found.attended is not True and episode.current_stage in services.PLAN_STAGES,
        ),
    )
