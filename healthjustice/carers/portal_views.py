"""The carers' portal. A carer is always resolved from their own account, never from the URL.

Any id in a portal URL is looked up among the signed-in carer's own records only; anything else
is a 404 with an audited denial. What a patient shares is read afresh on every request, so a
withdrawal hides everything on the very next page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record, deny_as_not_found
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors

from . import selectors, services
from .attachments import AttachmentSizeLimit
from .decorators import carer_portal_required
from .models import Carer, CarerInvitation
from .portal_forms import InvitationAcceptForm, MessageForm, NewPasswordForm, PreferencesForm
from .rendering import render


def _audit_view(request: HttpRequest, carer: Carer, page: str, **detail) -> None:
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="carer_portal",
        object_id=str(carer.public_id),
        detail={"page": page, **detail},
    )


def _portal_context(carer: Carer, **extra) -> dict:
    return {"carer": carer, "contact": selectors.named_contact_for(carer), **extra}


@require_GET
@carer_portal_required
def portal(request: AuthenticatedRequest, carer: Carer) -> HttpResponse:
    shares = [selectors.portal_share(rel) for rel in selectors.portal_relationships(carer)]
    shared = [s for s in shares if s.agreement is not None]
    _audit_view(request, carer, "home", shown=[str(s.relationship.public_id) for s in shared])
    return render(
        request,
        "carers/portal/home.html",
        _portal_context(
            carer,
            title="Your carers' portal",
            shares=shared,
            pages=list(selectors.published_pages()[:6]),
        ),
    )


@require_GET
@carer_portal_required
def portal_person(request: AuthenticatedRequest, carer: Carer, public_id) -> HttpResponse:
    relationship = selectors.portal_relationship(carer, public_id)
    if relationship is None:
        deny_as_not_found(
            actor=request.user,
            request=request,
            object_type="carer_portal",
            object_id=public_id,
            detail={"page": "person", "carer": str(carer.public_id)},
        )
    share = selectors.portal_share(relationship)
    _audit_view(
        request,
        carer,
        "person",
        person=str(relationship.patient.public_id),
        agreement=str(share.agreement.public_id) if share.agreement else "",
        categories=[c for c, _, _ in share.sections],
    )
    return render(
        request,
        "carers/portal/person.html",
        _portal_context(
            carer,
            title="Information about the person you care for"
            if share.agreement
            else "Information shared with you",
            share=share,
        ),
    )


@require_GET
@carer_portal_required
def portal_pages(request: AuthenticatedRequest, carer: Carer) -> HttpResponse:
    _audit_view(request, carer, "information")
    return render(
        request,
        "carers/portal/pages.html",
        _portal_context(
            carer, title="Information for carers", pages=list(selectors.published_pages())
        ),
    )


@require_GET
@carer_portal_required
def portal_page(request: AuthenticatedRequest, carer: Carer, slug: str) -> HttpResponse:
    page = selectors.published_pages().filter(slug=slug).first()
    if page is None:
        raise Http404("No such page")
    _audit_view(request, carer, "information_page", slug=page.slug)
    return render(
        request,
        "carers/portal/page.html",
        _portal_context(carer, title=page.title, page=page),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@carer_portal_required
def portal_messages(request: AuthenticatedRequest, carer: Carer) -> HttpResponse:
    """The carer's messages and replies, and the form to send one.

    The size limit must be installed before anything reads the body, and the CSRF check reads
    it: so the check is made by `_messages_page` (csrf_protect) once the limit is in place.
    """
    size_limit = AttachmentSizeLimit(request)
    handlers = request.upload_handlers
    if not isinstance(handlers, list):
        raise RuntimeError("The upload handlers are fixed once the body has been read")
    handlers.insert(0, size_limit)
    return _messages_page(request, carer, size_limit)


@csrf_protect
def _messages_page(
    request: AuthenticatedRequest, carer: Carer, size_limit: AttachmentSizeLimit
) -> HttpResponse:
    posted = request.method == "POST"
    # Reading the body runs the size limit: only after that is `stopped` known.
    data, files = (request.POST, request.FILES) if posted else (None, None)
    form = MessageForm(data, files, upload_stopped=size_limit.stopped)
    if posted:
        if form.is_valid():
            try:
                services.message_send(
                    actor=request.user,
                    carer=carer,
                    body=form.cleaned_data["body"],
                    attachment=form.cleaned_data["attachment"],
                    request=request,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your message has been sent.")
                return redirect("carers:portal_messages")
        services.message_refused(
            actor=request.user, carer=carer, reasons=list(form.errors), request=request
        )
    else:
        _audit_view(request, carer, "messages")
    return render(
        request,
        "carers/portal/messages.html",
        _portal_context(
            carer,
            title="Messages",
            form=form,
            conversation=selectors.portal_conversation(carer),
            attachment_hint=MessageForm.attachment_hint(),
        ),
    )


@require_http_methods(["GET", "POST"])
@carer_portal_required
def portal_preferences(request: AuthenticatedRequest, carer: Carer) -> HttpResponse:
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.carer_preferences_update(
                    actor=request.user,
                    carer=carer,
                    data=services.carer_preferences(data),
                    expected_version=data.pop("version"),
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Your contact details have been saved.")
                return redirect("carers:portal")
    else:
        _audit_view(request, carer, "preferences")
        initial = {name: getattr(carer, name) for name in services.PREFERENCE_FIELDS}
        initial["version"] = carer.version
        form = PreferencesForm(initial=initial)
    return render(
        request,
        "carers/portal/preferences.html",
        _portal_context(carer, title="How we contact you", form=form),
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def portal_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Set up a carer's account from an invitation link. Nobody may be signed in."""
    if request.user.is_authenticated:
        audit_record(
            actor=request.user,
            request=request,
            action=Action.DENIED,
            object_type="carer_invitation",
            detail={"reason": "signed_in"},
        )
        return render(
            request,
            "carers/portal/invitation_signed_in.html",
            {"title": "Sign out to use this link"},
            status=403,
        )
    invitation, problem = services.invitation_check(token)
    if problem or invitation is None:
        services.invitation_refused(invitation=invitation, problem=problem, request=request)
        return _invitation_problem(request, problem)
    if invitation.is_reset:
        return _new_password(request, token, invitation)
    form = InvitationAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except services.InvitationProblem as exc:
            return _invitation_problem(request, exc.problem)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, "Your account is ready. Sign in with your new username and password."
            )
            return redirect("accounts:login")
    return render(
        request,
        "carers/portal/invitation.html",
        {"title": "Set up your account", "form": form, "given_name": invitation.carer.given_name},
    )


def _new_password(request: HttpRequest, token: str, invitation: CarerInvitation) -> HttpResponse:
    """A link from a sign-in reset: choose a new password for the account the carer has."""
    form = NewPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_password_reset(
                token=token, password=form.cleaned_data["password"], request=request
            )
        except services.InvitationProblem as exc:
            return _invitation_problem(request, exc.problem)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, "Your new password is ready. Sign in with your username and new password."
            )
            return redirect("accounts:login")
    return render(
        request,
        "carers/portal/invitation_reset.html",
        {
            "title": "Choose a new password",
            "form": form,
            "given_name": invitation.carer.given_name,
            "username": invitation.account.get_username() if invitation.account else "",
        },
    )


def _invitation_problem(request: HttpRequest, problem: str) -> HttpResponse:
    return render(
        request,
        "carers/portal/invitation_problem.html",
        {"title": services.INVITATION_PROBLEMS[problem], "problem": problem},
        status=404 if problem == "unknown" else 410,
    )
