"""The admin for staff accounts, memberships and reference data.

Accounts are administered here, beside their memberships, because who may change them is
decided by our permissions, which sit above `accounts` (docs/adr/0003-layers.md).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from healthjustice.accounts.models import User
from healthjustice.core.error_messages import ModelForm

from . import services
from .admin_base import PermissionAdmin, PermissionTabularInline
from .models import DataSharingAgreement, Membership, OpeningHours, Organisation, Region, Site, Team
from .roles import Permission


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
    list_display = ["name", "kind", "code", "region", "is_active"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "code"]
    filter_horizontal = ["teams"]
    inlines = [OpeningHoursInline]


class MembershipForm(ModelForm):
    """Refuses, with the reason, a membership the signed-in administrator may not give."""

    request = None  # set by MembershipAdmin.get_form

    class Meta:
        model = Membership
        fields = ["user", "team", "role", "worker_type", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        user, team = cleaned.get("user"), cleaned.get("team")
        terms = services.MembershipTerms(
            user_id=user.pk if user else None,
            team_id=team.pk if team else None,
            role=cleaned.get("role") or "",
            starts_on=cleaned.get("starts_on"),
            ends_on=cleaned.get("ends_on"),
        )
        previous = Membership.objects.filter(pk=self.instance.pk).first()
        services.membership_check(
            actor=getattr(self.request, "user", None),
            terms=terms,
            previous=previous,
            user=user,
            team=team,
            request=self.request,
        )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(PermissionAdmin):
    required_permission = Permission.ACCOUNTS_MANAGE
    list_display = ["user", "team", "role", "worker_type", "starts_on", "ends_on"]
    list_filter = ["role", "worker_type", "team"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]
    form = MembershipForm
    audit_saves = False  # services.membership_save audits

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change):
        services.membership_save(
            actor=request.user,
            membership=obj,
            fields_changed=sorted(form.changed_data),
            request=request,
        )

    def audit_detail(self, obj):
        return {"via": "admin", "account": str(obj.user.public_id), "role": obj.role}


@admin.register(DataSharingAgreement)
class DataSharingAgreementAdmin(PermissionAdmin):
    list_display = ["title", "reference", "starts_on", "ends_on"]
    filter_horizontal = ["organisations", "regions"]
