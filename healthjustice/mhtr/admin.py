from django.contrib import admin

from healthjustice.core.error_messages import ModelForm
from healthjustice.organisations.admin_base import PermissionAdmin

from .models import TeamSettings


class TeamSettingsForm(ModelForm):
    class Meta:
        model = TeamSettings
        fields = [
            "team",
            "planned_sessions",
            "notice_working_days",
            "first_appointment_working_days",
        ]


@admin.register(TeamSettings)
class TeamSettingsAdmin(PermissionAdmin):
    """Each MHTR team's values where no national standard exists (see docs/mhtr.md)."""

    form = TeamSettingsForm
    list_display = [
        "team",
        "planned_sessions",
        "notice_working_days",
        "first_appointment_working_days",
    ]
