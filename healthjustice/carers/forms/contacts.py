"""Forms for the contact log and the review of a flagged contact."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, form_field

from ..choices import (
    ContactDirection,
    ContactMode,
    LawfulBasis,
    ReviewOutcome,
    ShareCategory,
)
from .fields import PlainTextField, UserChoiceField, blank_choice, combine, parse_time

# Contact log ------------------------------------------------------------------------------


class ContactForm(Form):
    staff = UserChoiceField(label="Who had the contact")
    occurred_on = NhsDateField(label="Date of the contact", help_text="For example, 15 3 2026")
    occurred_time = forms.CharField(
        label="Time of the contact", max_length=5, help_text="For example, 14:30"
    )
    mode = forms.ChoiceField(
        label="How", choices=[c for c in ContactMode.choices if c[0] != ContactMode.PORTAL_MESSAGE]
    )
    direction = forms.ChoiceField(
        label="Who made contact",
        choices=ContactDirection.choices,
        widget=forms.RadioSelect,
        initial=ContactDirection.TO_CARER,
    )
    summary = PlainTextField(
        label="What was discussed",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Carers are owed confidentiality too: record what they told you with care",
    )
    categories_shared = forms.MultipleChoiceField(
        label="Information about the patient you shared (optional)",
        choices=ShareCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked if you only listened or gave general information",
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis, only if you shared something the agreement does not allow",
        choices=blank_choice(LawfulBasis.choices, "None: everything shared was agreed"),
        required=False,
    )
    lawful_basis_detail = PlainTextField(
        label="Why it had to be shared without consent (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, staff: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        form_field(self, "staff", UserChoiceField).set_users(staff, "Select a member of staff")

    def clean_occurred_time(self):
        return parse_time(self.cleaned_data["occurred_time"])

    def clean(self):
        data = super().clean()
        if data.get("occurred_on") and data.get("occurred_time"):
            data["occurred_at"] = combine(data["occurred_on"], data["occurred_time"])
            if data["occurred_at"] > timezone.now() + timedelta(minutes=5):
                self.add_error("occurred_time", "The contact must be in the past")
        return data


class ReviewForm(Form):
    outcome = forms.ChoiceField(
        label="Your review", choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    note = PlainTextField(
        label="Notes (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
