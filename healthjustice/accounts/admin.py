from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from healthjustice.organisations.roles import Permission
from healthjustice.web.admin import PermissionAdmin

from .models import User


@admin.register(User)
class UserAdmin(PermissionAdmin, DjangoUserAdmin):
    required_permission = Permission.ACCOUNTS_MANAGE
    list_display = ["username", "first_name", "last_name", "kind", "is_active", "last_login"]
    list_filter = ["kind", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title", "kind")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def audit_detail(self, obj):
        return {"via": "admin", "account": str(obj.public_id)}
