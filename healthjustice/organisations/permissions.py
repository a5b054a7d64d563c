"""The one place that decides what a signed-in user may do."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import Membership
from .roles import Permission, Role, permissions_for_role

if TYPE_CHECKING:
    from healthjustice.accounts.models import User

_CACHE_ATTR = "_hj_permissions"


def user_permissions(user: User | Any) -> frozenset[Permission]:
    """All permissions the user holds through current team memberships (cached per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if getattr(user, "kind", "staff") == "carer":
        # A carer's account never gains staff permissions, whatever memberships say.
        result = permissions_for_role(Role.CARER)
        setattr(user, _CACHE_ATTR, result)
        return result
    roles = set(Membership.objects.current().filter(user=user).values_list("role", flat=True))
    roles.discard(Role.CARER)
    perms: set[Permission] = set()
    for role in roles:
        perms |= permissions_for_role(role)
    result = frozenset(perms)
    setattr(user, _CACHE_ATTR, result)
    return result


def has_permission(user: User | Any, permission: Permission, obj: Any = None) -> bool:
    """Does `user` hold `permission`, and, when `obj` is given, may they use it on that object?

    For a person's record the object check is the care-relationship, data-sharing,
    break-glass and restriction rules in `healthjustice.people.access`.
    """
    if permission not in user_permissions(user):
        return False
    if obj is None:
        return True
    from healthjustice.people.access import person_is_visible_to
    from healthjustice.people.models import Person

    if isinstance(obj, Person):
        return person_is_visible_to(user, obj)
    raise TypeError(f"has_permission has no object rule for {type(obj).__name__}")


def clear_permission_cache(user: Any) -> None:
    """Forget what was worked out for this user object (after their memberships change)."""
    from healthjustice.people.access import (
        BASIS_CACHE_ATTR,
        REACHABLE_CACHE_ATTR,
        SHARED_CACHE_ATTR,
        VIEWING_CACHE_ATTR,
    )

    for attr in (
        _CACHE_ATTR,
        VIEWING_CACHE_ATTR,
        REACHABLE_CACHE_ATTR,
        SHARED_CACHE_ATTR,
        BASIS_CACHE_ATTR,
    ):
        if hasattr(user, attr):
            delattr(user, attr)
