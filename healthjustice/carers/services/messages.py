"""Messages carers send from the portal to their named contact."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.audit.models import Action
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from ..attachments import CheckedFile
from ..choices import ContactDirection, ContactMode
from ..models import Carer, CarerContact, CarerMessage
from ..selectors import message_recipient_for
from ..text import clean_plain_text, contains_markup
from .common import audit, require

MESSAGE_MAX_CHARS = 2000


def validate_message_body(body: str) -> str:
    body = clean_plain_text(body or "")
    if not body:
        raise ValidationError({"body": "Enter your message"})
    if len(body) > MESSAGE_MAX_CHARS:
        raise ValidationError(
            {"body": f"Your message must be {MESSAGE_MAX_CHARS:,} characters or fewer"}
        )
    if contains_markup(body):
        raise ValidationError(
            {
                "body": "Write your message as plain text. Take out anything in angle brackets, "
                "like <b> or </p>"
            }
        )
    return body


def message_refused(
    *, actor: Any, carer: Carer, reasons: list[str], request: HttpRequest | None = None
) -> None:
    """Audit a message the portal turned away (markup, too long, a bad file)."""
    audit(
        actor,
        request,
        Action.DENIED,
        "carer_message",
        "",
        carer=str(carer.public_id),
        reasons=sorted(reasons),
    )


@transaction.atomic
def message_send(
    *,
    actor: Any,
    carer: Carer,
    body: str,
    attachment: CheckedFile | None = None,
    request: HttpRequest | None = None,
) -> CarerMessage:
    """A carer's message to their named contact; it also goes in the contact log."""
    if not has_permission(actor, Permission.CARER_PORTAL) or carer.user_id != actor.pk:
        raise PermissionDenied("You can only send messages as yourself.")
    body = validate_message_body(body)
    recipient = message_recipient_for(carer)
    message = CarerMessage(carer=carer, recipient=recipient, team=carer.team, body=body)
    stored_name = ""
    if attachment is not None:
        stored_name = default_storage.save(
            f"carers/messages/{secrets.token_hex(16)}.{attachment.extension}",
            attachment.upload,
        )
        message.attachment.name = stored_name
        message.attachment_name = attachment.display_name
        message.attachment_type = attachment.content_type
        message.attachment_size = attachment.size
    try:
        message.save()
        CarerContact.objects.create(
            carer=carer,
            staff=recipient,
            occurred_at=message.sent_at,
            mode=ContactMode.PORTAL_MESSAGE,
            direction=ContactDirection.FROM_CARER,
            summary="Sent a message through the carers' portal.",
            message=message,
            recorded_by=actor,
        )
        audit(
            actor,
            request,
            Action.CREATE,
            "carer_message",
            message.public_id,
            carer=str(carer.public_id),
            attachment=bool(stored_name),
        )
    except Exception:
        if stored_name:
            # Nothing half-stored: the file goes if the message does not.
            default_storage.delete(stored_name)
        raise
    return message


@transaction.atomic
def message_mark_read(
    *, actor: Any, message: CarerMessage, request: HttpRequest | None = None
) -> bool:
    require(actor, Permission.CARERS_MANAGE, "You may not manage carers.")
    current = CarerMessage.objects.select_for_update().get(pk=message.pk)
    if current.read_at is not None:
        return False
    current.read_at = timezone.now()
    current.read_by = actor
    current.save(update_fields=["read_at", "read_by"])
    audit(
        actor,
        request,
        Action.UPDATE,
        "carer_message",
        current.public_id,
        fields_changed=["read_at"],
        carer=str(message.carer.public_id),
    )
    message.refresh_from_db()
    return True
