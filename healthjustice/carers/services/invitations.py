"""Invitations: the only way a carer gets a portal account. Single use, expiring, hashed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.organisations.roles import Permission

from ..models import Carer, CarerInvitation
from .common import Refused, audit, audit_kwargs, audit_refusals, require


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: CarerInvitation
    token: str


@transaction.atomic
def carer_invite(
    *, actor: Any, carer: Carer, request: HttpRequest | None = None
) -> IssuedInvitation:
    """A single-use link for the carer to set up their account. Earlier open links stop working."""
    require(actor, Permission.CARERS_MANAGE, "You may not manage carers.")
    current = Carer.objects.select_for_update().get(pk=carer.pk)
    if current.user_id is not None:
        raise ValidationError("This carer already has an account for the carers' portal.")
    now = timezone.now()
    carer.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = CarerInvitation.objects.create(
        carer=carer,
        token_hash=hash_token(token),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=settings.HJ_CARER_INVITATION_DAYS),
    )
    audit(
        actor,
        request,
        Action.CREATE,
        "carer_invitation",
        invitation.public_id,
        carer=str(carer.public_id),
    )
    return IssuedInvitation(invitation, token)


INVITATION_PROBLEMS = {
    "unknown": "This link does not work",
    "expired": "This link has expired",
    "used": "This link has already been used",
    "revoked": "This link has been replaced by a newer one",
}


class InvitationProblem(PermissionDenied):
    """The invitation cannot be used: unknown, expired, used or replaced."""

    def __init__(self, problem: str) -> None:
        super().__init__(INVITATION_PROBLEMS[problem])
        self.problem = problem


def invitation_check(token: str) -> tuple[CarerInvitation | None, str]:
    """The invitation for a token, and "" when it can be used or the problem otherwise."""
    if not token or len(token) > 100:
        return None, "unknown"
    invitation = (
        CarerInvitation.objects.filter(token_hash=hash_token(token)).select_related("carer").first()
    )
    if invitation is None:
        return None, "unknown"
    status = invitation.status
    return invitation, "" if status == "open" else status


def _refusal(
    invitation: CarerInvitation | None, problem: str, request: HttpRequest | None
) -> Refused:
    return Refused(
        InvitationProblem(problem),
        audit_kwargs(
            None,
            request,
            Action.DENIED,
            "carer_invitation",
            invitation.public_id if invitation else "",
            reason=problem,
        ),
    )


def invitation_refused(
    *, invitation: CarerInvitation | None, problem: str, request: HttpRequest | None = None
) -> None:
    """Audit an attempt to open a link that cannot be used."""
    audit(
        None,
        request,
        Action.DENIED,
        "carer_invitation",
        invitation.public_id if invitation else "",
        reason=problem,
    )


@audit_refusals
@transaction.atomic
def invitation_accept(
    *, token: str, username: str, password: str, request: HttpRequest | None = None
) -> User:
    """Create the carer's account from an open invitation, all or nothing."""
    invitation, problem = invitation_check(token)
    if invitation is None or problem:
        raise _refusal(invitation, problem or "unknown", request)
    # Lock, then look again: two tabs submitting at once must not both succeed.
    invitation = CarerInvitation.objects.select_for_update().get(pk=invitation.pk)
    carer = Carer.objects.select_for_update().get(pk=invitation.carer_id)
    if invitation.status != "open" or carer.user_id is not None:
        raise _refusal(
            invitation, "used" if invitation.status == "open" else invitation.status, request
        )
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken. Choose a different one"})
    user = User(
        username=username,
        first_name=carer.given_name[:150],
        last_name=carer.family_name[:150],
        email=carer.email,
        kind=User.Kind.CARER,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"username": "That username is taken. Choose a different one"}
        ) from exc
    carer.user = user
    carer.save(update_fields=["user"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit(
        user,
        request,
        Action.CREATE,
        "carer_account",
        user.public_id,
        carer=str(carer.public_id),
        invitation=str(invitation.public_id),
    )
    return user
