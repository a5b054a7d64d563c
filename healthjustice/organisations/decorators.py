from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record

from .permissions import has_permission
from .roles import Permission

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def permission_required(permission: Permission) -> Callable[[_View], _View]:
    """Refuse (403, audited) unless the user holds `permission` through a current team role."""

    def decorator(view: _View) -> _View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not has_permission(request.user, permission):
                audit_record(
                    actor=request.user,
                    request=request,
                    action=Action.DENIED,
                    object_type="page",
                    object_id="",
                    detail={"path": request.path[:200], "permission": str(permission)},
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return cast(_View, wrapped)  # called as the view is: same arguments, same response

    return decorator
