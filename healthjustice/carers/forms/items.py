"""Forms for writing and retracting an item for a carer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, set_choices

from ..choices import (
    MeetingKind,
    ShareCategory,
)
from .fields import PlainTextField, blank_choice, combine, parse_time

# Items written for the carer -----------------------------------------------------------------


class SharedItemForm(Form):
    category = forms.ChoiceField(label="Kind of information", widget=forms.RadioSelect)
    title = forms.CharField(label="Title", max_length=150)
    body = PlainTextField(
        label="What you want the carer to read",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Use plain English. The carer will see exactly this",
    )
    meeting_kind = forms.ChoiceField(
        label="Kind of meeting (meetings only)",
        choices=blank_choice(MeetingKind.choices),
        required=False,
    )
    meeting_on = NhsDateField(
        label="Date of the meeting (meetings only)", required=False, allow_future=True
    )
    meeting_time = forms.CharField(
        label="Time of the meeting (meetings only)",
        max_length=5,
        required=False,
        help_text="For example, 14:30",
    )
    meeting_place = forms.CharField(
        label="Where the meeting is (meetings only)", max_length=200, required=False
    )

    def __init__(self, *args: Any, categories: Sequence[str] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(ShareCategory.choices)
        # Every category is offered, so a choice the agreement does not allow is refused with a
        # reason rather than silently missing.
        set_choices(self, "category", [(c, labels[c]) for c in ShareCategory.values])
        self.agreed = list(categories)

    def clean_meeting_time(self):
        value = self.cleaned_data["meeting_time"]
        return parse_time(value) if value.strip() else None

    def clean(self):
        data = super().clean()
        data["meeting_at"] = None
        if data.get("category") == ShareCategory.MEETINGS:
            if not data.get("meeting_on"):
                self.add_error("meeting_on", "Enter the date of the meeting")
            if not data.get("meeting_time") and "meeting_time" not in self.errors:
                self.add_error("meeting_time", "Enter the time of the meeting")
            if not data.get("meeting_kind"):
                self.add_error("meeting_kind", "Select the kind of meeting")
            if data.get("meeting_on") and data.get("meeting_time"):
                data["meeting_at"] = combine(data["meeting_on"], data["meeting_time"])
        return data


class RetractForm(Form):
    reason = PlainTextField(
        label="Why you are taking this back",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
