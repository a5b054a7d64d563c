"""The pages where team leaders see and change their RECONNECT teams' settings. Who may is
decided by `team_settings.may_change_settings`."""

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
from .team_settings import CONTACT_DAYS_WORDS, contact_days_bounds

_LOW, _HIGH = contact_days_bounds()
_RANGE = f"{CONTACT_DAYS_WORDS} must be between {_LOW} and {_HIGH}"


class TeamSettingsForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    contact_days = forms.IntegerField(
        label="Days after release without a contact before one is overdue",
        min_value=_LOW,
        max_value=_HIGH,
        help_text=(
            "The worklist shows a contact as overdue once this many days have passed since the "
            f"last contact after release (or the release). Between {_LOW} and {_HIGH}."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the days after release without a contact",
            "invalid": "Enter the days after release without a contact as a whole number",
            "min_value": _RANGE,
            "max_value": _RANGE,
        },
    )


@permission_required(Permission.TEAM_SETTINGS_MANAGE)
@require_GET
def teams(request: AuthenticatedRequest) -> HttpResponse:
    rows = [
        (team, team_settings.current_settings(team)[0])
        for team in team_settings.settings_teams(request.user)
    ]
    return render(
        request,
        "reconnect/team_settings_list.html",
        {"title": "RECONNECT team settings", "rows": rows},
    )


@permission_required(Permission.TEAM_SETTINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def team_settings_edit(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    team = team_settings.team_for_settings(request.user, public_id)
    saved, version = team_settings.current_settings(team)
    initial = {"version": version, "contact_days": saved.contact_days}
    form = TeamSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    latest = None
    if request.method == "POST" and form.is_valid():
        try:
            team_settings.team_settings_save(
                actor=request.user,
                team=team,
                contact_days=form.cleaned_data["contact_days"],
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
            return redirect("reconnect:team_settings")
    return render(
        request,
        "reconnect/team_settings.html",
        {"title": f"Settings of {team.name}", "form": form, "team": team, "latest": latest},
    )
