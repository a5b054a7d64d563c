"""The form for a patient's secure-service stay."""

from __future__ import annotations

from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, form_field, set_choices

from ..choices import (
    SecureLevel,
)
from .fields import UserChoiceField

# Secure-service stays ---------------------------------------------------------------------


class StayForm(Form):
    level = forms.ChoiceField(
        label="Level of security", choices=SecureLevel.choices, widget=forms.RadioSelect
    )
    hospital_or_team = forms.CharField(
        label="Hospital or community team",
        max_length=200,
        help_text="For example, St George's Hospital, Stafford",
    )
    ward = forms.CharField(label="Ward (optional)", max_length=120, required=False)
    team = forms.ChoiceField(label="Our team looking after them")
    key_worker = UserChoiceField(label="Key worker (optional)", required=False)
    ward_manager = UserChoiceField(label="Ward manager or team leader (optional)", required=False)
    starts_on = NhsDateField(label="Start date", help_text="For example, 15 3 2026")
    ends_on = NhsDateField(
        label="End date (optional)",
        required=False,
        help_text="Leave blank if they are still there",
    )

    def __init__(self, *args: Any, teams: Any = (), staff: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.public_id): t for t in teams}
        set_choices(self, "team", [(k, t.name) for k, t in self.teams.items()])
        form_field(self, "key_worker", UserChoiceField).set_users(staff)
        form_field(self, "ward_manager", UserChoiceField).set_users(staff)

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        team = data.get("team")
        if team is not None:
            from ..selectors import team_staff

            members = set(team_staff([team.id]).values_list("pk", flat=True))
            for name in ("key_worker", "ward_manager"):
                user = data.get(name)
                if user is not None and user.pk not in members:
                    self.add_error(name, f"Choose someone who works in {team.name}")
        return data
