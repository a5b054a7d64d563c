"""Helpers shared by the carers' services: permission checks, audit, optimistic locking."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import lock_at_version, stale_message
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.access import person_is_visible_to
from healthjustice.people.models import Person

T = TypeVar("T")


STALE_MESSAGE = stale_message()


class ShareNotAllowed(ValidationError):
    """Information the agreement does not allow, with no lawful basis given."""


class Refused(Exception):
    """A refused attempt: the error to raise, and the audit event to write once rolled back."""

    def __init__(self, error: Exception, audit: dict[str, Any]) -> None:
        super().__init__(str(error))
        self.error = error
        self.audit = audit


def audit_refusals(fn: Callable[..., T]) -> Callable[..., T]:
    """Write the audit event of a refused attempt after the service's transaction rolled back.

    Put it outside `@transaction.atomic`, so the refusal is recorded and nothing else is.
    """

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except Refused as refused:
            audit_record(**refused.audit)
            raise refused.error from None

    return wrapper


def require(actor: User, permission: Permission, message: str) -> None:
    if not has_permission(actor, permission):
        raise PermissionDenied(message)


def require_patient(actor: User, person: Person) -> None:
    require(actor, Permission.CARERS_MANAGE, "You may not manage carers.")
    if not person_is_visible_to(actor, person):
        raise PermissionDenied("You may not see this patient.")


def audit_kwargs(
    actor: User | None,
    request: HttpRequest | None,
    action: Action,
    object_type: str,
    object_id: Any,
    *,
    person: Person | None = None,
    fields_changed: list[str] | None = None,
    **detail: Any,
) -> dict[str, Any]:
    if person is not None:
        detail["person"] = str(person.public_id)
    return {
        "actor": actor,
        "request": request,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "fields_changed": fields_changed,
        "detail": detail,
    }


def audit(*args: Any, **kwargs: Any) -> None:
    """Write one audit event; `person=` names the patient the event is about."""
    audit_record(**audit_kwargs(*args, **kwargs))


def changed_fields(instance: Any, data: Mapping[str, Any], fields: tuple[str, ...]) -> list[str]:
    return [name for name in fields if name in data and getattr(instance, name) != data[name]]


_M = TypeVar("_M", bound=Model)


def update_versioned(
    model: type[_M],
    pk: int,
    data: Mapping[str, Any],
    fields: tuple[str, ...],
    expected_version: int,
    touch: dict[str, Any] | None = None,
) -> tuple[_M, list[str]]:
    """Save changed fields, refusing when someone saved since the form was opened.

    `touch` (who and when) is written only when something really changed.
    """
    current: Any = lock_at_version(model._default_manager.all(), pk, expected_version)
    changed = changed_fields(current, data, fields)
    for name in changed:
        setattr(current, name, data[name])
    if changed:
        for name, value in (touch or {}).items():
            setattr(current, name, value)
        current.version += 1
        current.save()
    return current, changed
