"""Django's admin, for system administrators only: accounts and reference data, never records.

Access follows our own permissions, not Django's per-model ones, so the one
`has_permission` decides here too. Every addition, change and deletion made in the admin is
written to the audit trail as well as to Django's own log: which row, and which fields by name.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_model_change

from .permissions import has_permission
from .roles import Permission

_CHANGED_ATTR = "_hj_admin_changed_fields"


def _site_permission(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_active
        and (
            has_permission(user, Permission.ACCOUNTS_MANAGE)
            or has_permission(user, Permission.REFERENCE_DATA_MANAGE)
        )
    )


admin.site.has_permission = _site_permission  # type: ignore[method-assign]  # the one site-wide rule
admin.site.site_header = "Health and Justice Service administration"


class _PermissionRules:
    """Rights that come from one of our permissions rather than Django's per-model ones."""

    required_permission: Permission = Permission.REFERENCE_DATA_MANAGE

    def _allowed(self, request: HttpRequest) -> bool:
        return has_permission(request.user, self.required_permission)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


def _field_name(name: str) -> str:
    # password1, password2 and usable_password are all the one password.
    return "password" if "password" in name else name


def changed_field_names(form: Any, formsets: Any = None) -> list[str]:
    """Which fields a saved admin form changed, by name; an inline counts as its relation."""
    names = {_field_name(name) for name in form.changed_data}
    for formset in formsets or []:
        if formset.new_objects or formset.changed_objects or formset.deleted_objects:
            names.add(formset.prefix)
    return sorted(names)


class AuditedAdmin:
    """Writes each admin addition, change (a password set included) and deletion to the trail.

    The admin calls `construct_change_message` once a form is saved, then `log_addition` or
    `log_change`; deleting one row or many goes through `log_deletions`. Hooking those catches
    every path the admin has, the bulk delete action and the password page included.
    """

    audit_saves = True  # False where a service already audits the save (memberships)

    def audit_detail(self, obj: Any) -> dict[str, Any]:
        return {"via": "admin"}

    def construct_change_message(self, request, form, formsets, add=False):
        setattr(request, _CHANGED_ATTR, changed_field_names(form, formsets))
        return super().construct_change_message(request, form, formsets, add)

    def _audit_save(self, request: HttpRequest, obj: Any, action: Action) -> None:
        fields = getattr(request, _CHANGED_ATTR, [])
        if hasattr(request, _CHANGED_ATTR):
            delattr(request, _CHANGED_ATTR)
        if not self.audit_saves or (action == Action.UPDATE and not fields):
            return
        audit_model_change(
            actor=request.user,
            action=action,
            instance=obj,
            fields_changed=fields,
            request=request,
            detail=self.audit_detail(obj),
        )

    def log_addition(self, request, obj, message):
        self._audit_save(request, obj, Action.CREATE)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit_save(request, obj, Action.UPDATE)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit_model_change(
                actor=request.user,
                action=Action.DELETE,
                instance=obj,
                request=request,
                detail=self.audit_detail(obj),
            )
        return super().log_deletions(request, queryset)


class PermissionAdmin(_PermissionRules, AuditedAdmin, admin.ModelAdmin):
    pass


class PermissionTabularInline(_PermissionRules, admin.TabularInline):
    pass
