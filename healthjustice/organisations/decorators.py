from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record

from .permissions import has_permission
from .roles import Permission


def permission_required(permission: Permission) -> Callable:
    """Refuse (403, audited) unless the user holds `permission` through a current team role."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
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
        return wrapped

    return decorator
