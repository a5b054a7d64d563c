"""Messages carers send from the portal to their named contact, and replies from staff."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from ..attachments import CheckedFile
from ..choices import ContactDirection, ContactMode
from ..models import Carer, CarerContact, CarerMessage, CarerMessageReply, CarerRelationship
from ..selectors import message_recipient_for, visible_carers
from ..text import clean_plain_text, contains_markup
from .common import Refused, ShareNotAllowed, audit, audit_kwargs, audit_refusals, require
from .contacts import contact_record

MESSAGE_MAX_CHARS = 2000


def validate_message_body(body: str, *, what: str = "message") -> str:
    """The checks every portal message passes, a carer's (`what="message"`) or a reply."""
    body = clean_plain_text(body or "")
    if not body:
        raise ValidationError({"body": f"Enter your {what}"})
    if len(body) > MESSAGE_MAX_CHARS:
        raise ValidationError(
            {"body": f"Your {what} must be {MESSAGE_MAX_CHARS:,} characters or fewer"}
        )
    if contains_markup(body):
        raise ValidationError(
            {
                "body": f"Write your {what} as plain text. Take out anything in angle brackets, "
                "like <b> or </p>"
            }
        )
    return body


def message_refused(
    *, actor: User, carer: Carer, reasons: list[str], request: HttpRequest | None = None
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
    actor: User,
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
    *, actor: User, message: CarerMessage, request: HttpRequest | None = None
) -> bool:
    require(actor, Permission.CARERS_MANAGE, "You may not manage carers.")
    current = CarerMessage.objects.select_for_update().get(pk=message.pk)
    # Read for the person it was sent to; a message to the team, for whoever reads it first.
    if current.read_at is not None or current.recipient_id not in (None, actor.pk):
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


REPLY_SUMMARY = "Replied through the carers' portal."
NO_PORTAL_ACCOUNT = (
    "{name} can no longer sign in to the carers' portal, so would not see a reply. Contact them "
    "in the way they prefer and log the contact."
)


def can_read_replies(carer: Carer) -> bool:
    return carer.user is not None and carer.user.is_active


@audit_refusals
@transaction.atomic
def message_reply(
    *,
    actor: User,
    message: CarerMessage,
    relationship: CarerRelationship | None,
    body: str,
    categories_shared: list[str],
    request: HttpRequest | None = None,
) -> CarerMessageReply:
    """Staff reply to a carer's message; the carer reads it in the portal.

    The reply is logged as a contact through `contact_record`, so what it shares about the
    patient is judged by the contact log's rule: anything the agreement in force does not
    allow is refused and nothing is sent. A written reply has no lawful-basis route.
    """
    require(actor, Permission.CARERS_MANAGE, "You may not manage carers.")
    carer = message.carer
    if not visible_carers(actor).filter(pk=carer.pk).exists():
        raise PermissionDenied("You may not see this carer.")
    if not can_read_replies(carer):
        raise ValidationError(NO_PORTAL_ACCOUNT.format(name=carer.given_name))
    body = validate_message_body(body, what="reply")
    if relationship is None:
        raise ValidationError({"relationship": "Select who your reply is about"})
    try:
        contact = contact_record(
            actor=actor,
            carer=carer,
            relationship=relationship,
            staff=actor,
            occurred_at=timezone.now(),
            mode=ContactMode.PORTAL_MESSAGE,
            direction=ContactDirection.TO_CARER,
            summary=REPLY_SUMMARY,
            categories_shared=categories_shared,
            allow_lawful_basis=False,
            request=request,
        )
    except ShareNotAllowed as exc:
        # contact_record audited the refusal inside this transaction, which is about to roll
        # back: record it again once it has.
        raise Refused(
            exc,
            audit_kwargs(
                actor,
                request,
                Action.DENIED,
                "carer_contact",
                "",
                person=relationship.patient,
                carer=str(carer.public_id),
                message=str(message.public_id),
                reason="share_outside_agreement",
            ),
        ) from exc
    reply = CarerMessageReply.objects.create(
        message=message, contact=contact, author=actor, body=body, sent_at=contact.occurred_at
    )
    audit(
        actor,
        request,
        Action.CREATE,
        "carer_message_reply",
        reply.public_id,
        person=relationship.patient,
        carer=str(carer.public_id),
        message=str(message.public_id),
        contact=str(contact.public_id),
    )
    return reply
