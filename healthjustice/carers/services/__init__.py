"""Every change to carers' data goes through these functions; each writes its own audit event.

They are grouped by what they change; import them from here.
"""

from .agreements import (
    agreement_record,
    agreement_withdraw,
    clean_categories,
    shared_item_retract,
    shared_item_write,
)
from .carers import (
    CARER_FIELDS,
    PREFERENCE_FIELDS,
    RELATIONSHIP_FIELDS,
    SUPPORT_FIELDS,
    carer_preferences_update,
    carer_register,
    carer_update,
    relationship_update,
    support_update,
)
from .common import STALE_MESSAGE, ShareNotAllowed
from .contacts import contact_record, contact_review
from .invitations import (
    INVITATION_PROBLEMS,
    InvitationProblem,
    IssuedInvitation,
    carer_invite,
    carer_sign_in_reset,
    hash_token,
    invitation_accept,
    invitation_check,
    invitation_password_reset,
    invitation_refused,
    sign_in_reset_refusal,
)
from .messages import (
    MESSAGE_MAX_CHARS,
    REPLY_SUMMARY,
    can_read_replies,
    message_mark_read,
    message_refused,
    message_reply,
    message_send,
    validate_message_body,
)
from .pages import PAGE_FIELDS, information_page_save
from .stays import STAY_FIELDS, stay_record, stay_update

__all__ = [
    "CARER_FIELDS",
    "INVITATION_PROBLEMS",
    "MESSAGE_MAX_CHARS",
    "PAGE_FIELDS",
    "PREFERENCE_FIELDS",
    "RELATIONSHIP_FIELDS",
    "REPLY_SUMMARY",
    "STALE_MESSAGE",
    "STAY_FIELDS",
    "SUPPORT_FIELDS",
    "InvitationProblem",
    "IssuedInvitation",
    "ShareNotAllowed",
    "agreement_record",
    "agreement_withdraw",
    "can_read_replies",
    "carer_invite",
    "carer_preferences_update",
    "carer_register",
    "carer_sign_in_reset",
    "carer_update",
    "clean_categories",
    "contact_record",
    "contact_review",
    "hash_token",
    "information_page_save",
    "invitation_accept",
    "invitation_check",
    "invitation_password_reset",
    "invitation_refused",
    "message_mark_read",
    "message_refused",
    "message_reply",
    "message_send",
    "relationship_update",
    "shared_item_retract",
    "shared_item_write",
    "sign_in_reset_refusal",
    "stay_record",
    "stay_update",
    "support_update",
    "validate_message_body",
]
