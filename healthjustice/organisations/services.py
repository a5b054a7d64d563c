"""Changes to who holds which role in which team. Each is audited; some are refused.

A system administrator manages accounts and memberships but does not open records. So they
may not give their own account a role that opens records: another administrator must, and the
information-governance pages list every such change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_model_change, audit_record

from .models import Membership, Team
from .roles import Role, role_views_records

OWN_RECORD_ACCESS_MESSAGE = (
    "You cannot give your own account a role that can see people's records ({role}). "
    "Ask another system administrator to make this change"
)


@dataclass(frozen=True)
class MembershipTerms:
    """What a membership would be once saved."""

    user_id: int | None
    team_id: int | None
    role: str
    starts_on: date | None
    ends_on: date | None


def _widens(previous: Membership | None, terms: MembershipTerms) -> bool:
    """Does saving `terms` over `previous` give anything the membership did not give before?"""
    if previous is None:
        return True
    if (previous.user_id, previous.team_id, previous.role) != (
        terms.user_id,
        terms.team_id,
        terms.role,
    ):
        return True
    if terms.starts_on and terms.starts_on < previous.starts_on:
        return True
    # A later end, or none at all, keeps access for longer.
    return previous.ends_on is not None and (
        terms.ends_on is None or terms.ends_on > previous.ends_on
    )


def membership_refusal(
    *, actor: User | None, terms: MembershipTerms, previous: Membership | None
) -> str | None:
    """Why `actor` may not save a membership on these terms, or None if they may.

    Ending or shortening one's own membership is always allowed: it only takes access away.
    """
    if actor is None or terms.user_id != actor.pk or not terms.role:
        return None
    if not role_views_records(terms.role) or not _widens(previous, terms):
        return None
    return OWN_RECORD_ACCESS_MESSAGE.format(role=Role(terms.role).label)


def _membership_detail(
    terms: MembershipTerms, user: User | None, team: Team | None
) -> dict[str, Any]:
    return {
        "account": str(user.public_id) if user is not None else "",
        "team": team.name if team is not None else "",
        "role": terms.role,
        "via": "admin",
    }


def membership_check(
    *,
    actor: User | None,
    terms: MembershipTerms,
    previous: Membership | None,
    user: User | None = None,
    team: Team | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Refuse (and audit the refusal) a membership the actor may not give."""
    refusal = membership_refusal(actor=actor, terms=terms, previous=previous)
    if refusal is None:
        return
    audit_record(
        actor=actor,
        action=Action.DENIED,
        object_type="membership",
        object_id=str(previous.pk) if previous is not None else "",
        request=request,
        detail={**_membership_detail(terms, user, team), "reason": "own record access"},
    )
    raise ValidationError(refusal, code="own_record_access")


def terms_of(membership: Membership) -> MembershipTerms:
    return MembershipTerms(
        user_id=membership.user_id,
        team_id=membership.team_id,
        role=membership.role,
        starts_on=membership.starts_on,
        ends_on=membership.ends_on,
    )


@transaction.atomic
def membership_save(
    *,
    actor: User | None,
    membership: Membership,
    fields_changed: list[str],
    request: HttpRequest | None = None,
) -> Membership:
    """Save a new or changed membership, refusing one the actor may not give, and audit it."""
    previous = (
        Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if membership.pk
        else None
    )
    terms = terms_of(membership)
    refusal = membership_refusal(actor=actor, terms=terms, previous=previous)
    if refusal is not None:
        raise PermissionDenied(refusal)
    membership.full_clean()
    membership.save()
    audit_model_change(
        actor=actor,
        action=Action.CREATE if previous is None else Action.UPDATE,
        instance=membership,
        fields_changed=fields_changed,
        request=request,
        detail=_membership_detail(terms, membership.user, membership.team),
    )
    return membership
