"""Staff pages for carers: thin views over selectors (reads, audited) and services (writes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.selectors import person_for_user

from . import selectors, services
from .forms import (
    AgreementForm,
    CarerAddForm,
    CarerEditForm,
    ContactForm,
    RelationshipForm,
    ReplyForm,
    RetractForm,
    SharedItemForm,
    StayForm,
    SupportForm,
    WithdrawForm,
)
from .models import Carer, CarerMessage
from .rendering import render

GET_POST = ["GET", "POST"]


@permission_required(Permission.CARERS_MANAGE)
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The staff work list: messages from carers, my carers, reviews due, patients."""
    work = selectors.work_list(request.user)
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="carers_work_list",
        detail={"messages": len(work.my_messages) + len(work.team_messages)},
    )
    return render(
        request,
        "carers/home.html",
        {
            "title": "Carers",
            "work": work,
            "can_review": has_permission(request.user, Permission.CARER_SHARE_REVIEW),
            "can_report": has_permission(request.user, Permission.CARERS_MANAGE),
            "can_edit_pages": has_permission(request.user, Permission.CARER_CONTENT_EDIT),
            "can_search": has_permission(request.user, Permission.PERSON_SEARCH),
        },
    )


# Patients ----------------------------------------------------------------------------------


@permission_required(Permission.CARERS_MANAGE)
@require_GET
def patient(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = person_for_user(request.user, public_id, request=request)
    relationships = selectors.carers_of_patient(person)
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="patient_carers",
        object_id=str(person.public_id),
        detail={"person": str(person.public_id), "carers": len(relationships)},
    )
    rows = [(rel, selectors.agreement_in_force(rel)) for rel in relationships]
    return render(
        request,
        "carers/patient.html",
        {
            "title": "Carers and secure services",
            "person": person,
            "stays": selectors.stays_of(person),
            "rows": rows,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def stay_add(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = person_for_user(request.user, public_id, request=request)
    teams = list(selectors.user_teams(request.user))
    form = StayForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        staff=selectors.team_staff([t.id for t in teams]),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        try:
            services.stay_record(
                actor=request.user, person=person, team=team, data=data, request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The secure-service stay has been recorded.")
            return redirect("carers:patient", public_id=person.public_id)
    return render(
        request,
        "carers/stay_form.html",
        {
            "title": "Record a secure-service stay",
            "form": form,
            "person": person,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def stay_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    stay = selectors.stay_for_user(request.user, public_id, request=request)
    person = stay.person
    teams = list(selectors.user_teams(request.user))
    if stay.team not in teams:
        teams.append(stay.team)
    staff = selectors.team_staff([t.id for t in teams])
    if request.method == "POST":
        form = StayForm(request.POST, teams=teams, staff=staff)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("team")
            try:
                services.stay_update(actor=request.user, stay=stay, data=data, request=request)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The stay has been updated.")
                return redirect("carers:patient", public_id=person.public_id)
    else:
        initial = {name: getattr(stay, name) for name in services.STAY_FIELDS}
        initial["team"] = str(stay.team.public_id)
        for name in ("key_worker", "ward_manager"):
            user = getattr(stay, name)
            initial[name] = str(user.public_id) if user else ""
        form = StayForm(initial=initial, teams=teams, staff=staff)
    return render(
        request,
        "carers/stay_form.html",
        {
            "title": "Change a secure-service stay",
            "form": form,
            "person": person,
            "stay": stay,
        },
    )


# Carers ------------------------------------------------------------------------------------


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def carer_add(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = person_for_user(request.user, public_id, request=request)
    teams = list(selectors.teams_for_patient(request.user, person))
    form = CarerAddForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        staff=selectors.team_staff([t.id for t in teams]),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        relationship = {k: data.pop(k) for k in services.RELATIONSHIP_FIELDS}
        try:
            carer = services.carer_register(
                actor=request.user,
                patient=person,
                team=team,
                data=services.carer_details(data),
                relationship=services.relationship_details(relationship),
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{carer.full_name} has been added as a carer.")
            return redirect("carers:carer_detail", public_id=carer.public_id)
    return render(
        request,
        "carers/carer_add.html",
        {
            "title": "Add a carer",
            "form": form,
            "person": person,
            "teams": teams,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_GET
def carer_detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    carer = selectors.carer_for_user(request.user, public_id, request=request)
    relationships = selectors.relationships_of(request.user, carer)
    support = selectors.support_of(carer)
    return render(
        request,
        "carers/carer_detail.html",
        {
            "title": "Carer",
            "carer": carer,
            "contact": selectors.named_contact_for(carer),
            "rows": [(rel, selectors.agreement_in_force(rel)) for rel in relationships],
            "support": support,
            "contacts": selectors.contacts_of(request.user, carer),
            "messages_list": selectors.messages_of(carer, limit=20),
            "invitation": carer.invitations.order_by("-created_at").first(),
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def carer_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    carer = selectors.carer_for_user(request.user, public_id, request=request)
    staff = selectors.team_staff([carer.team_id])
    if request.method == "POST":
        form = CarerEditForm(request.POST, staff=staff)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.carer_update(
                    actor=request.user,
                    carer=carer,
                    data=services.carer_details(data),
                    expected_version=data.pop("version"),
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The carer's details have been saved.")
                return redirect("carers:carer_detail", public_id=carer.public_id)
    else:
        initial = {name: getattr(carer, name) for name in services.CARER_FIELDS}
        initial["named_contact"] = str(carer.named_contact.public_id) if carer.named_contact else ""
        initial["version"] = carer.version
        form = CarerEditForm(initial=initial, staff=staff)
    return render(
        request,
        "carers/carer_edit.html",
        {"title": "Change a carer's details", "form": form, "carer": carer},
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def support_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    carer = selectors.carer_for_user(request.user, public_id, request=request)
    support = selectors.support_of(carer)
    if request.method == "POST":
        form = SupportForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.support_update(
                    actor=request.user,
                    carer=carer,
                    data=services.support_details(data),
                    expected_version=data.pop("version"),
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The carer's support has been saved.")
                return redirect("carers:carer_detail", public_id=carer.public_id)
    else:
        initial = {name: getattr(support, name) for name in services.SUPPORT_FIELDS}
        initial["version"] = support.version
        form = SupportForm(initial=initial)
    return render(
        request,
        "carers/support_form.html",
        {"title": "Support for a carer", "form": form, "carer": carer},
    )


def _link_page(
    request: AuthenticatedRequest,
    carer: Carer,
    *,
    issue: Callable[..., services.IssuedInvitation],
    refusal: str,
    template: str,
    title: str,
) -> HttpResponse:
    """A page that makes a single-use portal link on POST and shows it once, on that response."""
    issued = None
    error = refusal
    if request.method == "POST":
        try:
            issued = issue(actor=request.user, carer=carer, request=request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    link = (
        request.build_absolute_uri(
            reverse("carers:portal_invitation", kwargs={"token": issued.token})
        )
        if issued
        else ""
    )
    return render(
        request,
        template,
        {"title": title, "carer": carer, "issued": issued, "link": link, "error": error},
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def invite(request: AuthenticatedRequest, public_id) -> HttpResponse:
    """Make a single-use invitation. The link is shown once, on this response only."""
    carer = selectors.carer_for_user(request.user, public_id, request=request)
    return _link_page(
        request,
        carer,
        issue=services.carer_invite,
        refusal="",
        template="carers/invite.html",
        title="Invite a carer to the carers' portal",
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def sign_in_reset(request: AuthenticatedRequest, public_id) -> HttpResponse:
    """Stop the carer's password working and make a link to choose a new one, shown once."""
    carer = selectors.carer_for_user(request.user, public_id, request=request)
    return _link_page(
        request,
        carer,
        issue=services.carer_sign_in_reset,
        refusal=services.sign_in_reset_refusal(carer),
        template="carers/sign_in_reset.html",
        title="Reset a carer's sign-in to the carers' portal",
    )


# Relationships and agreements ----------------------------------------------------------------


@permission_required(Permission.CARERS_MANAGE)
@require_GET
def relationship(request: AuthenticatedRequest, public_id) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, public_id, request=request)
    return render(
        request,
        "carers/relationship.html",
        {
            "title": "Sharing with a carer",
            "rel": rel,
            "agreement": selectors.agreement_in_force(rel),
            "history": selectors.agreement_history(rel),
            "items": selectors.shared_items_of(rel),
            "contacts": selectors.contacts_about(rel),
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def relationship_edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, public_id, request=request)
    if request.method == "POST":
        form = RelationshipForm(request.POST)
        if form.is_valid():
            services.relationship_update(
                actor=request.user,
                relationship=rel,
                data=services.relationship_details(form.cleaned_data),
                request=request,
            )
            messages.success(request, "The relationship has been saved.")
            return redirect("carers:relationship", public_id=rel.public_id)
    else:
        fields = (*services.RELATIONSHIP_FIELDS, "ended_on")
        form = RelationshipForm(initial={name: getattr(rel, name) for name in fields})
    return render(
        request,
        "carers/relationship_edit.html",
        {"title": "Change the relationship", "form": form, "rel": rel},
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def agreement_record(request: AuthenticatedRequest, public_id) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, public_id, request=request)
    current = selectors.agreement_in_force(rel)
    if request.method == "POST":
        form = AgreementForm(request.POST)
        if form.is_valid():
            try:
                services.agreement_record(
                    actor=request.user, relationship=rel, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The information-sharing agreement has been recorded.")
                return redirect("carers:relationship", public_id=rel.public_id)
    else:
        initial: dict[str, Any] = {"review_on": timezone.localdate() + timedelta(days=182)}
        if current:
            initial.update(
                categories=current.categories,
                capacity=current.capacity,
                advance_statement=current.advance_statement,
            )
        form = AgreementForm(initial=initial)
    return render(
        request,
        "carers/agreement_form.html",
        {
            "title": "Record what the person agrees to share",
            "form": form,
            "rel": rel,
            "current": current,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def agreement_withdraw(request: AuthenticatedRequest, public_id) -> HttpResponse:
    agreement = selectors.agreement_for_user(request.user, public_id, request=request)
    rel = agreement.relationship
    if not agreement.in_force:
        messages.error(request, "This agreement is no longer in force.")
        return redirect("carers:relationship", public_id=rel.public_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_withdraw(
                actor=request.user,
                agreement=agreement,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"The agreement has been withdrawn. {rel.carer.full_name} can no longer see "
                "anything about the patient in the carers' portal.",
            )
            return redirect("carers:relationship", public_id=rel.public_id)
    return render(
        request,
        "carers/agreement_withdraw.html",
        {"title": "Withdraw the agreement", "form": form, "agreement": agreement, "rel": rel},
    )


# Contacts and items ----------------------------------------------------------------------------


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def contact_add(request: AuthenticatedRequest, public_id) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, public_id, request=request)
    staff = list(selectors.team_staff([rel.carer.team_id]))
    if request.user not in staff:
        staff.insert(0, request.user)
    now = timezone.localtime()
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        staff=staff,
        initial={
            "staff": str(request.user.public_id),
            "occurred_on": now.date(),
            "occurred_time": now.strftime("%H:%M"),
        },
    )
    agreement = selectors.agreement_in_force(rel)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_record(
                actor=request.user,
                carer=rel.carer,
                relationship=rel,
                staff=data["staff"],
                occurred_at=data["occurred_at"],
                mode=data["mode"],
                direction=data["direction"],
                summary=data["summary"],
                categories_shared=data["categories_shared"],
                lawful_basis=data["lawful_basis"],
                lawful_basis_detail=data["lawful_basis_detail"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The contact has been added to the log.")
            return redirect("carers:relationship", public_id=rel.public_id)
    return render(
        request,
        "carers/contact_form.html",
        {
            "title": "Log a contact with a carer",
            "form": form,
            "rel": rel,
            "agreement": agreement,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def shared_item_add(request: AuthenticatedRequest, public_id) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, public_id, request=request)
    agreement = selectors.agreement_in_force(rel)
    agreed = agreement.categories if agreement else []
    form = SharedItemForm(request.POST if request.method == "POST" else None, categories=agreed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.shared_item_write(
                actor=request.user,
                relationship=rel,
                category=data["category"],
                title=data["title"],
                body=data["body"],
                meeting_kind=data["meeting_kind"],
                meeting_at=data["meeting_at"],
                meeting_place=data["meeting_place"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "It has been shared with the carer.")
            return redirect("carers:relationship", public_id=rel.public_id)
    return render(
        request,
        "carers/shared_item_form.html",
        {
            "title": "Write something for a carer",
            "form": form,
            "rel": rel,
            "agreement": agreement,
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_http_methods(GET_POST)
def shared_item_retract(request: AuthenticatedRequest, public_id) -> HttpResponse:
    item = selectors.shared_item_for_user(request.user, public_id, request=request)
    rel = item.relationship
    if item.retracted_at:
        messages.error(request, "This has already been taken back.")
        return redirect("carers:relationship", public_id=rel.public_id)
    form = RetractForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shared_item_retract(
                actor=request.user, item=item, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "It has been taken back. The carer can no longer see it.")
            return redirect("carers:relationship", public_id=rel.public_id)
    return render(
        request,
        "carers/shared_item_retract.html",
        {"title": "Take back something shared", "form": form, "item": item, "rel": rel},
    )


# Messages from carers -------------------------------------------------------------------------


def _message_page(
    request: AuthenticatedRequest, message: CarerMessage, form: ReplyForm | None = None
) -> HttpResponse:
    relationships = selectors.relationships_of(request.user, message.carer)
    return render(
        request,
        "carers/message_detail.html",
        {
            "title": "Message from a carer",
            "message": message,
            "replies": selectors.replies_to(request.user, message),
            "can_reply": services.can_read_replies(message.carer),
            "can_mark_read": message.read_at is None
            and message.recipient_id in (None, request.user.pk),
            "form": form or ReplyForm(relationships=relationships),
            "agreements": [(rel, selectors.agreement_in_force(rel)) for rel in relationships],
        },
    )


@permission_required(Permission.CARERS_MANAGE)
@require_GET
def message_detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    message = selectors.message_for_user(request.user, public_id, request=request)
    return _message_page(request, message)


@permission_required(Permission.CARERS_MANAGE)
@require_POST
def message_mark_read(request: AuthenticatedRequest, public_id) -> HttpResponse:
    """Said by the reader, not by opening the page: a link preview or prefetch is not a reader."""
    message = selectors.message_for_user(request.user, public_id, request=request)
    if services.message_mark_read(actor=request.user, message=message, request=request):
        messages.success(request, "The message is marked as read.")
    return redirect("carers:message_detail", public_id=message.public_id)


@permission_required(Permission.CARERS_MANAGE)
@require_POST
def message_reply(request: AuthenticatedRequest, public_id) -> HttpResponse:
    message = selectors.message_for_user(request.user, public_id, request=request)
    form = ReplyForm(
        request.POST, relationships=selectors.relationships_of(request.user, message.carer)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.message_reply(
                actor=request.user,
                message=message,
                relationship=data["relationship"],
                body=data["body"],
                categories_shared=data["categories_shared"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"Your reply has been sent. {message.carer.given_name} can read it in the "
                "carers' portal, and it is in the contact log.",
            )
            return redirect("carers:message_detail", public_id=message.public_id)
    return _message_page(request, message, form)


@permission_required(Permission.CARERS_MANAGE)
@require_GET
def message_attachment(request: AuthenticatedRequest, public_id) -> FileResponse:
    message = selectors.message_attachment_for_user(request.user, public_id, request=request)
    try:
        handle = message.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=message.attachment_name or "attachment",
        content_type=message.attachment_type or "application/octet-stream",
    )
    return response
