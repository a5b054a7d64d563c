"""The pages where team leaders see and change their MHTR teams' settings. Who may is decided
by `team_settings.may_change_settings`; the Django admin keeps its own form as well."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.error_messages import Form
from healthjustice.core.form_errors import apply_errors
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.roles import Permission

from . import team_settings
from .team_settings import SETTING_WORDS, SettingsInput, bounds


def _number(name: str, label: str, help_text: str) -> forms.IntegerField:
    low, high = bounds(name)
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=f"{help_text} Between {low} and {high}.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": f"{SETTING_WORDS[name]} must be between {low} and {high}",
            "max_value": f"{SETTING_WORDS[name]} must be between {low} and {high}",
        },
    )


class TeamSettingsForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    planned_sessions = _number(
        "planned_sessions",
        "Planned number of sessions",
        "Offered when an order is recorded; each order may differ.",
    )
    notice_working_days = _number(
        "notice_working_days",
        "Working days to send a compliance notice",
        "After a missed session, counted without weekends and bank holidays.",
    )
    first_appointment_working_days = _number(
        "first_appointment_working_days",
        "Working days from sentence to the first appointment",
        "Counted without weekends and bank holidays.",
    )

    def to_input(self) -> SettingsInput:
        data = self.cleaned_data
        return SettingsInput(
            planned_sessions=data["planned_sessions"],
            notice_working_days=data["notice_working_days"],
            first_appointment_working_days=data["first_appointment_working_days"],
        )


@permission_required(Permission.TEAM_SETTINGS_MANAGE)
@require_GET
def teams(request: AuthenticatedRequest) -> HttpResponse:
    rows = [
        (team, team_settings.current_settings(team)[0])
        for team in team_settings.settings_teams(request.user)
    ]
    return render(
        request, "mhtr/team_settings_list.html", {"title": "MHTR team settings", "rows": rows}
    )


@permission_required(Permission.TEAM_SETTINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def team_settings_edit(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    team = team_settings.team_for_settings(request.user, public_id)
    saved, version = team_settings.current_settings(team)
    initial = {
        "version": version,
        "planned_sessions": saved.planned_sessions,
        "notice_working_days": saved.notice_working_days,
        "first_appointment_working_days": saved.first_appointment_working_days,
    }
    form = TeamSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    latest = None
    if request.method == "POST" and form.is_valid():
        try:
            team_settings.team_settings_save(
                actor=request.user,
                team=team,
                data=form.to_input(),
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except StaleEditError as exc:
            # Keep what they typed, show what is saved now, and let a second save replace it.
            latest, latest_version = team_settings.current_settings(team)
            data = request.POST.copy()
            data["version"] = str(latest_version)
            form = TeamSettingsForm(data, initial=initial)
            form.is_valid()
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"The settings of {team.name} are saved.")
            return redirect("mhtr:team_settings")
    return render(
        request,
        "mhtr/team_settings.html",
        {"title": f"Settings of {team.name}", "form": form, "team": team, "latest": latest},
    )
