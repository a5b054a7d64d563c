"""The one place that decides what a signed-in user may do."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.models import AnonymousUser

from healthjustice.core.registry import Registry

from .models import Membership
from .roles import Permission, Role, permissions_for_role

if TYPE_CHECKING:
    from healthjustice.accounts.models import User

    # Who is asking: a signed-in user, an anonymous visitor, or nobody (none holds permissions).
    Asker: TypeAlias = User | AnonymousUser | None

_CACHE_ATTR = "_hj_permissions"
_MEMBERSHIPS_ATTR = "_hj_memberships"

# rule(user, obj): may this signed-in user use their permission on that object?
ObjectRule = Callable[["User", Any], bool]
object_rules: Registry[ObjectRule] = Registry("object rules for permissions", keyed=True)
user_cache_attrs: Registry[str] = Registry("attributes cached on a user object")
user_cache_attrs.add(_CACHE_ATTR)
user_cache_attrs.add(_MEMBERSHIPS_ATTR)


def current_memberships(user: User) -> list[Membership]:
    """The user's current memberships with their teams (by team name), read once per request.

    The user object lives for one request, so the permissions, the layout's team and the home
    page's roles all share one query instead of each asking again."""
    cached = getattr(user, _MEMBERSHIPS_ATTR, None)
    if isinstance(cached, list):
        return cached
    memberships = list(
        Membership.objects.current()
        .filter(user=user)
        .select_related("team", "team__organisation", "team__region")
    )
    setattr(user, _MEMBERSHIPS_ATTR, memberships)
    return memberships


def user_permissions(user: Asker) -> frozenset[Permission]:
    """All permissions the user holds through current team memberships (cached per request)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    if not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if isinstance(cached, frozenset):
        return cached
    if user.kind == "carer":
        # A carer's account never gains staff permissions, whatever memberships say.
        result = permissions_for_role(Role.CARER)
        setattr(user, _CACHE_ATTR, result)
        return result
    roles = {membership.role for membership in current_memberships(user)}
    roles.discard(Role.CARER)
    perms: set[Permission] = set()
    for role in roles:
        perms |= permissions_for_role(role)
    result = frozenset(perms)
    setattr(user, _CACHE_ATTR, result)
    return result


def register_object_rule(model: type, rule: ObjectRule) -> None:
    """Say how `has_permission` decides on an object of `model` (called from an app's ready()).

    The rules for an object live with the app that owns it (a person's record: `people.access`),
    which sits above this one and so registers its rule here rather than being imported.
    """
    object_rules.add(rule, key=f"{model.__module__}.{model.__qualname__}", model=model)


def register_user_cache(*attrs: str) -> None:
    """Name attributes an app caches on the user object, for `clear_permission_cache`."""
    for attr in attrs:
        user_cache_attrs.add(attr)


def has_permission(user: Asker, permission: Permission, obj: Any = None) -> bool:
    """Does `user` hold `permission`, and, when `obj` is given, may they use it on that object?

    For a person's record the object check is the care-relationship, data-sharing,
    break-glass and restriction rules in `healthjustice.people.access` (registered by people).
    """
    if user is None or isinstance(user, AnonymousUser) or permission not in user_permissions(user):
        return False
    if obj is None:
        return True
    for entry in object_rules.entries():
        if isinstance(obj, entry.options["model"]):
            return entry.item(user, obj)
    raise TypeError(f"has_permission has no object rule for {type(obj).__name__}")


def clear_permission_cache(user: Asker) -> None:
    """Forget what was worked out for this user object (after their memberships change)."""
    for attr in user_cache_attrs:
        if hasattr(user, attr):
            delattr(user, attr)
