"""Django's admin, for system administrators only: accounts and reference data, never records.

Access follows our own permissions, not Django's per-model ones, so the one
`has_permission` decides here too.
"""

from django.contrib import admin
from django.http import HttpRequest

from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission


def _site_permission(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_active
        and (
            has_permission(user, Permission.ACCOUNTS_MANAGE)
            or has_permission(user, Permission.REFERENCE_DATA_MANAGE)
        )
    )


admin.site.has_permission = _site_permission
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


class PermissionAdmin(_PermissionRules, admin.ModelAdmin):
    pass


class PermissionTabularInline(_PermissionRules, admin.TabularInline):
    pass
