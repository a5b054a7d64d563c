"""Staff pages for carers: thin views over selectors (reads, audited) and services (writes),
grouped by page; the URL configuration imports them from here."""

from .carer_pages import carer_add, carer_detail, carer_edit, invite, sign_in_reset, support_edit
from .contacts import contact_add, shared_item_add, shared_item_retract
from .messages import message_attachment, message_detail, message_mark_read, message_reply
from .patients import home, patient, stay_add, stay_edit
from .relationships import agreement_record, agreement_withdraw, relationship, relationship_edit

__all__ = [
    "agreement_record",
    "agreement_withdraw",
    "carer_add",
    "carer_detail",
    "carer_edit",
    "contact_add",
    "home",
    "invite",
    "message_attachment",
    "message_detail",
    "message_mark_read",
    "message_reply",
    "patient",
    "relationship",
    "relationship_edit",
    "shared_item_add",
    "shared_item_retract",
    "sign_in_reset",
    "stay_add",
    "stay_edit",
    "support_edit",
]
