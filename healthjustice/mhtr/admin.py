from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # A change here moves the version on, so a leader's settings page open at the old
        # values is refused rather than overwriting it (see team_settings.py).
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
