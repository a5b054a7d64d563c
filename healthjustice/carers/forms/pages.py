"""Forms for the information pages and the carers report."""

from __future__ import annotations

from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import set_choices

from .fields import PlainTextField

# Information pages --------------------------------------------------------------------------


class InformationPageForm(Form):
    title = forms.CharField(label="Title", max_length=120)
    slug = forms.SlugField(
        label="Web address",
        max_length=80,
        help_text="Lower-case letters, numbers and hyphens, for example visiting-the-ward",
    )
    summary = forms.CharField(
        label="Short summary (optional)",
        max_length=200,
        required=False,
        help_text="Shown in the list of pages",
    )
    body = PlainTextField(
        label="Page text",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Plain text. Leave a blank line between paragraphs. Start a line with ## for a "
        "heading, or with - for a bullet point. Web addresses starting https:// become links",
    )
    order = forms.IntegerField(
        label="Position in the list", min_value=0, max_value=999, initial=100
    )
    is_published = forms.BooleanField(label="Published: carers can see this page", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# Report -----------------------------------------------------------------------------------

PERIODS = {"30": "Last 30 days", "90": "Last 3 months", "365": "Last 12 months"}


class ReportForm(Form):
    team = forms.ChoiceField(label="Team", required=False)
    period = forms.ChoiceField(
        label="Period", choices=list(PERIODS.items()), required=False, initial="90"
    )

    def __init__(self, *args: Any, teams: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.public_id): t for t in teams}
        set_choices(
            self,
            "team",
            [("", "All your teams (the service)")] + [(k, t.name) for k, t in self.teams.items()],
        )

    def clean_team(self):
        value = self.cleaned_data["team"]
        return self.teams.get(value) if value else None

    def clean_period(self):
        return int(self.cleaned_data["period"] or 90)
