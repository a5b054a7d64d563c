"""Only reference data is in the admin: people's records are reached through the service."""

from django.contrib import admin

from healthjustice.organisations.admin_base import PermissionAdmin, PermissionTabularInline

from .models import EthnicCategory, EthnicCodeList


class EthnicCategoryInline(PermissionTabularInline):
    model = EthnicCategory
    extra = 0


@admin.register(EthnicCodeList)
class EthnicCodeListAdmin(PermissionAdmin):
    list_display = ["name", "version", "in_force_from", "is_current"]
    inlines = [EthnicCategoryInline]
