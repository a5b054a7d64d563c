"""Writing to the audit trail. Every service that touches a person's record calls this."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NoReturn, Protocol
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest
from django.utils import timezone

from . import chains
from .chain import ChainProblem, hashed_fields, row_digest
from .client_address import client_address
from .models import BASIS_ACTIONS, Action, AuditEvent, ChainHead


class SignedInActor(Protocol):
    """What the trail reads of a signed-in actor: accounts.User, which this layer cannot name
    (docs/adr/0003-layers.md)."""

    @property
    def public_id(self) -> UUID: ...

    @property
    def username(self) -> str: ...

    @property
    def is_authenticated(self) -> bool: ...


# Who did it: a signed-in user, an anonymous visitor (a refused sign-in), or None (the system).
Actor = SignedInActor | AnonymousUser | None

# Given the actor and a person's public id, the basis on which the actor sees that person
# ("own_team", "agreement", "break_glass", or "" when none). The people app registers it, so
# every event about a person's record says why it could be seen without each caller asking.
# The actor is a signed-in accounts.User; the resolver is typed in people, which can name it.
AccessBasisResolver = Callable[[Any, str], str]
# detail["purpose"] of information governance's events (governance: selectors, subject_access).
GOVERNANCE_PURPOSES = frozenset({"information_governance", "subject_access_request"})
_basis_resolver: AccessBasisResolver | None = None


def set_access_basis_resolver(resolver: AccessBasisResolver | None) -> None:
    global _basis_resolver
    _basis_resolver = resolver


def _person_named(object_type: str, object_id: str, detail: dict[str, Any]) -> str:
    if object_type == "person" and object_id:
        return object_id
    return str(detail.get("person") or "")


def _signed_in(actor: Actor) -> SignedInActor | None:
    if actor is None or isinstance(actor, AnonymousUser) or not actor.is_authenticated:
        return None
    return actor


def _basis_for(
    actor: Actor, action: str, object_type: str, object_id: str, detail: dict[str, Any]
) -> str:
    """The basis of access for an event that shows or changes a person's record.

    Information governance's own work (a search, a person's events, a subject access export)
    is not care access: left blank."""
    governance = detail.get("purpose") in GOVERNANCE_PURPOSES
    if _basis_resolver is None or action not in BASIS_ACTIONS or governance:
        return ""
    signed_in = _signed_in(actor)
    if signed_in is None:
        return ""
    person = _person_named(object_type, object_id, detail)
    return _basis_resolver(signed_in, person) if person else ""


def _remote_addr(request: HttpRequest | None) -> str:
    return client_address(request)


@transaction.atomic
def audit_record(
    *,
    actor: Actor,
    action: Action | str,
    object_type: str,
    object_id: str = "",
    request: HttpRequest | None = None,
    fields_changed: list[str] | None = None,
    detail: dict[str, Any] | None = None,
    access_basis: str | None = None,
) -> AuditEvent:
    """Append one event, chained to the previous one. Never store sensitive values here.

    `access_basis` is worked out for events about a person's record when not given."""
    detail = detail or {}
    if access_basis is None:
        # Before the chain head is locked, so the lookups do not hold up other writers.
        access_basis = _basis_for(actor, str(action), object_type, str(object_id), detail)
    head = chains.lock_a_chain()
    signed_in = _signed_in(actor)
    event = AuditEvent(
        seq=chains.next_seq(head),
        chain=head.id,
        occurred_at=timezone.now(),
        actor_id=str(signed_in.public_id) if signed_in else "",
        actor_username=signed_in.username if signed_in else "",
        remote_addr=_remote_addr(request),
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        fields_changed=sorted(fields_changed or []),
        detail=detail,
        access_basis=access_basis,
        prev_hash=head.last_hash,
    )
    event.hash = row_digest(event.prev_hash, hashed_fields(event))
    event.save()
    ChainHead.objects.filter(id=head.id).update(
        last_seq=event.seq, last_hash=event.hash, length=F("length") + 1
    )
    return event


def deny_as_not_found(
    *,
    actor: Actor,
    object_type: str,
    object_id: Any,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
    message: str = "Not found",
) -> NoReturn:
    """Audit a refused reach for something and answer as if it did not exist (a 404)."""
    audit_record(
        actor=actor,
        request=request,
        action=Action.DENIED,
        object_type=object_type,
        object_id=str(object_id)[:36],
        detail=detail,
    )
    raise Http404(message)


VERIFIED_OBJECT_TYPE = "audit_trail"


@transaction.atomic
def record_verification(
    *,
    rows_checked: int,
    anchors_checked: int,
    problem: ChainProblem | None,
    actor: Actor = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Record that the trail was checked, and what was found, so IG can see when and how."""
    detail: dict[str, Any] = {
        "outcome": "intact" if problem is None else "broken",
        "rows_checked": rows_checked,
        "anchors_checked": anchors_checked,
    }
    if problem is not None:
        detail["first_bad_seq"] = problem.seq
        detail["problem"] = problem.message
    return audit_record(
        actor=actor,
        request=request,
        action=Action.VERIFY,
        object_type=VERIFIED_OBJECT_TYPE,
        detail=detail,
    )


def object_type_for(instance: Any) -> str:
    """The audit trail's name for a model: `DataSharingAgreement` is `data_sharing_agreement`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(instance)._meta.object_name).lower()[:40]


def object_id_for(instance: Any) -> str:
    public_id = getattr(instance, "public_id", None)
    return str(public_id if public_id is not None else instance.pk)[:36]


@transaction.atomic
def audit_model_change(
    *,
    actor: Actor,
    action: Action,
    instance: Any,
    fields_changed: list[str] | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a change to a row (an account, a membership, an agreement ...): which row, which
    fields by name, and what the row is called. Never the values: a password is "password"."""
    return audit_record(
        actor=actor,
        request=request,
        action=action,
        object_type=object_type_for(instance),
        object_id=object_id_for(instance),
        fields_changed=fields_changed,
        detail={"object": str(instance)[:200], **(detail or {})},
    )
