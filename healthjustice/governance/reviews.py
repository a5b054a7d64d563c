"""Information governance's review of break-glass access."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.dates import format_datetime
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import BreakGlassAccess

Outcome = BreakGlassAccess.Outcome
REVIEW_FIELDS = ["review_note", "review_outcome", "reviewed_at", "reviewed_by"]


@transaction.atomic
def break_glass_review(
    *,
    actor: User,
    grant: BreakGlassAccess,
    outcome: str,
    note: str,
    request: HttpRequest | None = None,
) -> BreakGlassAccess:
    """Record the outcome of a review, once; a second review of the same grant is refused."""
    if not has_permission(actor, Permission.AUDIT_REVIEW_BREAK_GLASS):
        raise PermissionDenied("You may not review break-glass access.")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Select whether the access was appropriate"})
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError({"note": "The note must be 1000 characters or fewer"})
    if outcome == Outcome.INAPPROPRIATE and not note:
        raise ValidationError(
            {"note": "Say why the access was inappropriate and how it has been escalated"}
        )
    locked = BreakGlassAccess.objects.select_for_update().get(pk=grant.pk)
    if locked.reviewed_at is not None:
        by = locked.reviewed_by.display_name if locked.reviewed_by else "someone else"
        raise ValidationError(
            f"This break-glass access has already been reviewed by {by} on "
            f"{format_datetime(locked.reviewed_at)} ({locked.get_review_outcome_display()}). "
            "A review cannot be changed."
        )
    if locked.user_id == actor.pk:
        raise ValidationError(
            "You cannot review your own break-glass access. Ask another reviewer."
        )
    locked.review_outcome = outcome
    locked.review_note = note
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=REVIEW_FIELDS)
    audit_record(
        actor=actor,
        request=request,
        action=Action.REVIEW,
        object_type="break_glass",
        object_id=str(locked.public_id),
        fields_changed=REVIEW_FIELDS,
        detail={"person": str(locked.person.public_id), "outcome": outcome},
    )
    for name in REVIEW_FIELDS:
        setattr(grant, name, getattr(locked, name))
    return grant
