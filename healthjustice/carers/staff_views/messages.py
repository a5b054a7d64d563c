"""Messages from carers: reading, marking read, replying and attachments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.form_errors import apply_errors
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission

from .. import selectors, services
from ..forms import (
    ReplyForm,
)
from ..models import CarerMessage
from ..rendering import render

GET_POST = ["GET", "POST"]


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
