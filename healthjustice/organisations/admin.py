from django.contrib import admin

from healthjustice.organisations.roles import Permission
from healthjustice.web.admin import PermissionAdmin, PermissionTabularInline

from .models import DataSharingAgreement, Membership, OpeningHours, Organisation, Region, Site, Team


@admin.register(Region)
class RegionAdmin(PermissionAdmin):
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(PermissionAdmin):
    list_display = ["name", "ods_code"]
    search_fields = ["name", "ods_code"]


@admin.register(Team)
class TeamAdmin(PermissionAdmin):
    list_display = ["name", "organisation", "region", "pathway", "is_active"]
    list_filter = ["region", "pathway", "is_active"]
    search_fields = ["name"]


class OpeningHoursInline(PermissionTabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Site)
class SiteAdmin(PermissionAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "region"]
    filter_horizontal = ["teams"]
    inlines = [OpeningHoursInline]


@admin.register(Membership)
class MembershipAdmin(PermissionAdmin):
    required_permission = Permission.ACCOUNTS_MANAGE
    list_display = ["user", "team", "role", "starts_on", "ends_on"]
    list_filter = ["role", "team"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(DataSharingAgreement)
class DataSharingAgreementAdmin(PermissionAdmin):
    list_display = ["title", "reference", "starts_on", "ends_on"]
    filter_horizontal = ["organisations", "regions"]
