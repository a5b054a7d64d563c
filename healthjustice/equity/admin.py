from django.contrib import admin

from healthjustice.organisations.admin_base import PermissionAdmin

from .models import CensusPopulation, LocalAuthority


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(PermissionAdmin):
    list_display = ["name", "gss_code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "gss_code"]


@admin.register(CensusPopulation)
class CensusPopulationAdmin(PermissionAdmin):
    """Read only: figures come from `manage.py load_census_ethnicity`, whole areas at a time."""

    list_display = [
        "local_authority",
        "census_group",
        "census_category",
        "nhs_code",
        "count",
        "approximate",
    ]
    list_filter = ["approximate", "local_authority__region", "census_group"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
