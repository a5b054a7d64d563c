"""Staff pages: a team's leaders read their teams' feedback, tag and respond to it, record the
reply, and write and publish what they did about it ("You said, we did")."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors
from healthjustice.core.pagination import paginate, pagination_params
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from . import selectors, services
from .forms import ActionForm, FeedbackFilterForm, ReplySentForm, ResponseForm
from .leaflet import feedback_address, qr_code
from .models import Feedback, FeedbackStatus, ImprovementAction

GET_POST = ["GET", "POST"]
PAGE_SIZE = 25
_FEEDBACK_FILTERS = ("team", "status", "theme", "date_from", "date_to")


def _feedback(request: AuthenticatedRequest, public_id: uuid.UUID) -> Feedback:
    """Feedback about one of the user's teams, or 404 (another team's feedback is not theirs)."""
    feedback = selectors.feedback_item(request.user, public_id)
    if feedback is None:
        raise Http404("No such feedback")
    return feedback


def _action(request: AuthenticatedRequest, public_id: uuid.UUID) -> ImprovementAction:
    action = selectors.action_item(request.user, public_id)
    if action is None:
        raise Http404("No such action")
    return action


@permission_required(Permission.FEEDBACK_VIEW)
@require_GET
def feedback_list(request: AuthenticatedRequest) -> HttpResponse:
    teams = selectors.teams_with(request.user, Permission.FEEDBACK_VIEW)
    submitted = any(key.startswith(_FEEDBACK_FILTERS) for key in request.GET)
    form = FeedbackFilterForm(request.GET if submitted else None, teams=teams)
    page = pages = None
    counts: dict[str, int] = {}
    if not submitted or form.is_valid():
        values: dict[str, Any] = form.cleaned_data if submitted else {}
        rows, counts = selectors.filtered_feedback(
            request.user,
            team=values.get("team"),
            status=values.get("status") or "",
            theme=values.get("theme"),
            date_from=values.get("date_from"),
            date_to=values.get("date_to"),
        )
        page = paginate(request, rows, PAGE_SIZE)
        pages = pagination_params(request, page)
        # The list shows what people wrote, which can identify them: say which feedback was shown.
        audit_record(
            actor=request.user,
            request=request,
            action=Action.VIEW,
            object_type="feedback_list",
            detail={
                "page": page.number,
                "feedback": [str(f.public_id) for f in page.object_list],
            },
        )
    return render(
        request,
        "feedback/staff/list.html",
        {
            "title": "Feedback",
            "form": form,
            "page": page,
            "pages": pages,
            "counts": [(status, counts.get(status, 0)) for status in FeedbackStatus],
            "teams": teams,
            "can_respond": has_permission(request.user, Permission.FEEDBACK_RESPOND),
        },
    )


def _render_item(
    request: AuthenticatedRequest,
    feedback: Feedback,
    form: ResponseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The feedback page. Every showing of it is audited: free text can identify people, and the
    reply contact is personal data."""
    contact = getattr(feedback, "contact", None) if feedback.reply_due else None
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="feedback",
        object_id=str(feedback.public_id),
        detail={"team": str(feedback.team.public_id), "contact_shown": contact is not None},
    )
    can_respond = has_permission(request.user, Permission.FEEDBACK_RESPOND)
    if form is None and can_respond:
        form = ResponseForm(
            initial={
                "themes": list(feedback.themes.all()),
                "response": feedback.response,
                "version": feedback.version,
            },
            feedback=feedback,
        )
    return render(
        request,
        "feedback/staff/item.html",
        {
            "title": "Feedback",
            "feedback": feedback,
            "contact": contact,
            "form": form,
            "can_respond": can_respond,
            "actions": list(feedback.actions.select_related("theme")),
        },
        status=status,
    )


@permission_required(Permission.FEEDBACK_VIEW)
@require_GET
def feedback_item(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _render_item(request, _feedback(request, public_id))


@permission_required(Permission.FEEDBACK_RESPOND)
@require_POST
def feedback_respond(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    feedback = _feedback(request, public_id)
    form = ResponseForm(request.POST, feedback=feedback)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_response(
                feedback=feedback,
                actor=request.user,
                themes=data["themes"],
                response=data["response"],
                expected_version=data["version"],
                request=request,
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The themes and response have been saved.")
            return redirect("feedback:staff_item", public_id=feedback.public_id)
    return _render_item(request, _feedback(request, public_id), form, status=400)


@permission_required(Permission.FEEDBACK_RESPOND)
@require_http_methods(GET_POST)
def reply_sent(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    feedback = _feedback(request, public_id)
    if not feedback.reply_due:
        messages.info(request, "No reply is waiting to be recorded for this feedback.")
        return redirect("feedback:staff_item", public_id=feedback.public_id)
    status = 200
    if request.method == "POST":
        form = ReplySentForm(request.POST)
        if form.is_valid():
            try:
                services.record_reply_sent(
                    feedback=feedback,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, "The reply has been recorded and the contact details deleted."
                )
                return redirect("feedback:staff_item", public_id=feedback.public_id)
        status = 400
    else:
        form = ReplySentForm(initial={"version": feedback.version})
    return render(
        request,
        "feedback/staff/reply_sent.html",
        {"title": "Record that you replied", "feedback": feedback, "form": form},
        status=status,
    )


@permission_required(Permission.FEEDBACK_VIEW)
@require_GET
def action_list(request: AuthenticatedRequest) -> HttpResponse:
    teams = selectors.teams_with(request.user, Permission.FEEDBACK_VIEW)
    key = _uuid(request.GET.get("team"))
    team = teams.filter(public_id=key).first() if key is not None else None
    published = request.GET.get("published", "")
    page = paginate(
        request, selectors.filtered_actions(request.user, team=team, published=published), 25
    )
    return render(
        request,
        "feedback/staff/actions.html",
        {
            "title": "You said, we did: actions",
            "page": page,
            "pages": pagination_params(request, page),
            "teams": teams,
            "team": team,
            "published": published if published in ("yes", "no") else "",
            "can_respond": has_permission(request.user, Permission.FEEDBACK_RESPOND),
        },
    )


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


@permission_required(Permission.FEEDBACK_RESPOND)
@require_http_methods(GET_POST)
def action_new(request: AuthenticatedRequest) -> HttpResponse:
    teams = selectors.teams_with(request.user, Permission.FEEDBACK_RESPOND)
    source = None
    key = _uuid(request.GET.get("feedback"))
    if key is not None:
        source = selectors.feedback_item(request.user, key)
        if source is None or source.team not in teams:
            raise Http404("No such feedback")
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, teams=teams)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = services.save_action(
                    actor=request.user,
                    team=data["team"],
                    theme=data["theme"],
                    you_said=data["you_said"],
                    we_did=data["we_did"],
                    owner=data["owner"],
                    status=data["status"],
                    done_on=data["done_on"],
                    is_published=False,
                    feedback=[source] if source is not None else [],
                    request=request,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, "The action has been saved as a draft. Publish it when it is ready."
                )
                return redirect("feedback:staff_action", public_id=action.public_id)
        status = 400
    else:
        initial: dict[str, Any] = {"version": None}
        if source is not None:
            initial["team"] = source.team.public_id
            first_theme = source.themes.first()
            if first_theme is not None:
                initial["theme"] = first_theme.pk
        elif teams.count() == 1:
            initial["team"] = teams.get().public_id
        form = ActionForm(initial=initial, teams=teams)
    return render(
        request,
        "feedback/staff/action_form.html",
        {"title": "Write an action", "form": form, "source": source, "action": None},
        status=status,
    )


@permission_required(Permission.FEEDBACK_RESPOND)
@require_http_methods(GET_POST)
def action_edit(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    """A draft action, to change or publish; a published one, to read or withdraw."""
    action = _action(request, public_id)
    teams = selectors.teams_with(request.user, Permission.FEEDBACK_RESPOND)
    if action.team not in teams:
        raise Http404("No such action")
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, teams=teams, theme=action.theme)
        # The team is the action's own: an action does not move between teams.
        form.fields["team"].required = False
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_action(
                    actor=request.user,
                    team=action.team,
                    theme=data["theme"],
                    you_said=data["you_said"],
                    we_did=data["we_did"],
                    owner=data["owner"],
                    status=data["status"],
                    done_on=data["done_on"],
                    is_published=action.is_published,
                    action=action,
                    expected_version=data["version"],
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The draft action has been saved.")
                return redirect("feedback:staff_action", public_id=action.public_id)
        status = 400
    else:
        form = ActionForm(
            initial={
                "team": action.team.public_id,
                "theme": action.theme_id,
                "you_said": action.you_said,
                "we_did": action.we_did,
                "owner": action.owner,
                "status": action.status,
                "done_on": action.done_on,
                "version": action.version,
            },
            teams=teams,
            theme=action.theme,
        )
    return render(
        request,
        "feedback/staff/action_form.html",
        {
            "title": "Published action" if action.is_published else "Draft action",
            "form": form,
            "action": action,
            "source": None,
            "linked": list(action.feedback.all()),
        },
        status=status,
    )


@permission_required(Permission.FEEDBACK_RESPOND)
@require_POST
def action_publish(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    """Publish a draft on the public "You said, we did" page, or withdraw a published one."""
    action = _action(request, public_id)
    if action.team not in selectors.teams_with(request.user, Permission.FEEDBACK_RESPOND):
        raise Http404("No such action")
    publish = request.POST.get("publish") == "yes"
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.save_action(
            actor=request.user,
            team=action.team,
            theme=action.theme,
            you_said=action.you_said,
            we_did=action.we_did,
            owner=action.owner,
            status=action.status,
            done_on=action.done_on,
            is_published=publish,
            action=action,
            expected_version=version,
            request=request,
        )
    except StaleEditError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "The action is now on the public 'You said, we did' page."
            if publish
            else "The action has been withdrawn from the public page and is a draft again.",
        )
    return redirect("feedback:staff_action", public_id=action.public_id)


@permission_required(Permission.FEEDBACK_VIEW)
@require_GET
def leaflet(request: AuthenticatedRequest, team_id: uuid.UUID) -> HttpResponse:
    """A printable leaflet for one of the user's teams, with the feedback form's QR code."""
    team = (
        selectors.teams_with(request.user, Permission.FEEDBACK_VIEW)
        .filter(public_id=team_id)
        .first()
    )
    if team is None:
        raise Http404("No such team")
    address = feedback_address(request, team)
    return render(
        request,
        "feedback/staff/leaflet.html",
        {
            "title": f"Feedback leaflet: {team.name}",
            "team": team,
            "address": address,
            "qr": qr_code(address),
            "pcref_contact": settings.HJ_PCREF_CONTACT_EMAIL,
        },
    )
