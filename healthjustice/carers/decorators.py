"""The carers' portal guard: a carer's own account, resolved to their own carer record."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .models import Carer


def _refuse(request: HttpRequest, reason: str) -> NoReturn:
    audit_record(
        actor=request.user,
        request=request,
        action=Action.DENIED,
        object_type="carer_portal",
        detail={"path": request.path[:200], "reason": reason},
    )
    raise PermissionDenied


def carer_portal_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only carers, and only as themselves: the view gets `carer`, never from the URL.

    Staff hold no CARER_PORTAL permission, so every portal page refuses them (403, audited).
    A carer account with no carer record behind it is refused the same way.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or not has_permission(user, Permission.CARER_PORTAL):
            _refuse(request, "not_a_carer")
        carer = (
            Carer.objects.filter(user=user).select_related("named_contact", "team", "user").first()
        )
        if carer is None:
            _refuse(request, "no_carer_record")
        return view(request, carer, *args, **kwargs)

    wrapped.required_permission = Permission.CARER_PORTAL  # type: ignore[attr-defined]
    return wrapped
