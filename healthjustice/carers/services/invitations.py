"""Invitations: the only way a carer gets a portal account, or a new password for it.

Single use, expiring, hashed. A sign-in reset is an invitation that names the account it sets a
new password for.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from axes.utils import reset as axes_reset
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
from ..selectors import visible_carers
from .common import Refused, audit, audit_kwargs, audit_refusals, require
from .messages import can_read_replies


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: CarerInvitation
    token: str


def _issue(carer: Carer, actor: User, account: User | None = None) -> IssuedInvitation:
    """A new link for `carer`; any earlier link not yet used stops working."""
    now = timezone.now()
    carer.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = CarerInvitation.objects.create(
        carer=carer,
        account=account,
        token_hash=hash_token(token),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=settings.HJ_CARER_INVITATION_DAYS),
    )
    return IssuedInvitation(invitation, token)


@transaction.atomic
def carer_invite(
    *, actor: User, carer: Carer, request: HttpRequest | None = None
) -> IssuedInvitation:
    """A single-use link for the carer to set up their account. Earlier open links stop working."""
    require(actor, Permission.CARERS_MANAGE, "You may not manage carers.")
    current = Carer.objects.select_for_update().get(pk=carer.pk)
    if current.user_id is not None:
        raise ValidationError("This carer already has an account for the carers' portal.")
    issued = _issue(current, actor)
    audit(
        actor,
        request,
        Action.CREATE,
        "carer_invitation",
        issued.invitation.public_id,
        carer=str(carer.public_id),
    )
    return issued


RESET_REFUSALS = {
    "no_account": (
        "{name} does not have an account for the carers' portal, so there is nothing to reset. "
        "Make an invitation link instead."
    ),
    "account_off": (
        "{name}'s account for the carers' portal is switched off, so it cannot be reset. "
        "Ask your system administrator if it should be switched back on."
    ),
    "relationship_ended": (
        "{name} is no longer a carer for anyone in our services, so their account cannot be reset."
    ),
}


def _reset_problem(carer: Carer) -> str:
    if carer.user_id is None:
        return "no_account"
    if not can_read_replies(carer):
        return "account_off"
    if not carer.relationships.filter(ended_on__isnull=True).exists():
        return "relationship_ended"
    return ""


def sign_in_reset_refusal(carer: Carer) -> str:
    """Why the carer's sign-in cannot be reset, in words for staff, or "" when it can."""
    problem = _reset_problem(carer)
    return RESET_REFUSALS[problem].format(name=carer.given_name) if problem else ""


@audit_refusals
@transaction.atomic
def carer_sign_in_reset(
    *, actor: User, carer: Carer, request: HttpRequest | None = None
) -> IssuedInvitation:
    """Stop the carer's password working and make a link for them to choose a new one.

    The account keeps its username and everything linked to it; the link sets a new password
    on that same account. An unusable password changes the hash every session is checked
    against, so anyone signed in to the account is signed out on their next page.
    """
    require(actor, Permission.CARERS_MANAGE, "You may not manage carers.")
    if not visible_carers(actor).filter(pk=carer.pk).exists():
        raise PermissionDenied("You may not see this carer.")
    current = Carer.objects.select_for_update().get(pk=carer.pk)
    problem = _reset_problem(current)
    if problem:
        raise Refused(
            ValidationError(RESET_REFUSALS[problem].format(name=current.given_name)),
            audit_kwargs(
                actor,
                request,
                Action.DENIED,
                "carer_account",
                current.user.public_id if current.user else "",
                carer=str(current.public_id),
                reason=problem,
            ),
        )
    assert current.user_id is not None  # _reset_problem refuses a carer with no account
    account = User.objects.select_for_update().get(pk=current.user_id)
    account.set_unusable_password()
    account.save(update_fields=["password"])
    issued = _issue(current, actor, account=account)
    audit(
        actor,
        request,
        Action.UPDATE,
        "carer_account",
        account.public_id,
        fields_changed=["password"],
        carer=str(current.public_id),
        reason="sign_in_reset",
    )
    audit(
        actor,
        request,
        Action.CREATE,
        "carer_invitation",
        issued.invitation.public_id,
        carer=str(current.public_id),
        account=str(account.public_id),
    )
    return issued


INVITATION_PROBLEMS = {
    "unknown": "This link does not work",
    "expired": "This link has expired",
    "used": "This link has already been used",
    "revoked": "This link has been replaced by a newer one",
    "account_off": "Your account is switched off",
}


class InvitationProblem(PermissionDenied):
    """The link cannot be used: unknown, expired, used, replaced, or its account switched off."""

    def __init__(self, problem: str) -> None:
        super().__init__(INVITATION_PROBLEMS[problem])
        self.problem = problem


def invitation_check(token: str) -> tuple[CarerInvitation | None, str]:
    """The invitation for a token, and "" when it can be used or the problem otherwise."""
    if not token or len(token) > 100:
        return None, "unknown"
    invitation = (
        CarerInvitation.objects.filter(token_hash=hash_token(token))
        .select_related("carer", "account")
        .first()
    )
    if invitation is None:
        return None, "unknown"
    status = invitation.status
    if status == "open" and invitation.is_reset and not _account_usable(invitation):
        return invitation, "account_off"
    return invitation, "" if status == "open" else status


def _account_usable(invitation: CarerInvitation) -> bool:
    """A reset link works only while its account is still the carer's and switched on."""
    account = invitation.account
    return account is not None and account.is_active and invitation.carer.user_id == account.pk


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


def _locked_invitation(
    token: str, request: HttpRequest | None, *, reset: bool
) -> tuple[CarerInvitation, Carer]:
    """The usable link for `token` and its carer, both locked; refused otherwise.

    A reset link (`reset=True`) only sets a password on the account it names, and an invitation
    only makes a new account: the other kind is refused as unknown, so a reset link never makes a
    second account.
    """
    invitation, problem = invitation_check(token)
    if invitation is None or problem:
        raise _refusal(invitation, problem or "unknown", request)
    # Lock, then look again: two tabs submitting at once must not both succeed.
    invitation = CarerInvitation.objects.select_for_update().get(pk=invitation.pk)
    carer = Carer.objects.select_for_update().get(pk=invitation.carer_id)
    if invitation.is_reset != reset:
        raise _refusal(invitation, "unknown", request)
    return invitation, carer


@audit_refusals
@transaction.atomic
def invitation_accept(
    *, token: str, username: str, password: str, request: HttpRequest | None = None
) -> User:
    """Create the carer's account from an open invitation, all or nothing."""
    invitation, carer = _locked_invitation(token, request, reset=False)
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


@audit_refusals
@transaction.atomic
def invitation_password_reset(
    *, token: str, password: str, request: HttpRequest | None = None
) -> User:
    """Set a new password on the account a sign-in reset link names, all or nothing."""
    invitation, carer = _locked_invitation(token, request, reset=True)
    if invitation.status != "open":
        raise _refusal(invitation, invitation.status, request)
    if invitation.account_id is None:
        raise _refusal(invitation, "account_off", request)
    account = User.objects.select_for_update().get(pk=invitation.account_id)
    invitation.carer, invitation.account = carer, account
    if not _account_usable(invitation):
        raise _refusal(invitation, "account_off", request)
    try:
        validate_password(password, account)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    account.set_password(password)
    account.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    # Earlier wrong passwords may have locked the account: the new password must work now.
    axes_reset(username=account.get_username())
    audit(
        account,
        request,
        Action.UPDATE,
        "carer_account",
        account.public_id,
        fields_changed=["password"],
        carer=str(carer.public_id),
        invitation=str(invitation.public_id),
    )
    return account
