from django.contrib import admin

from healthjustice.organisations.admin_base import PermissionAdmin

from .models import Theme


@admin.register(Theme)
class ThemeAdmin(PermissionAdmin):
    list_display = ["name", "is_active", "sort_order"]
