"""Forms for a carer's details, their relationship with a patient and their support."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, form_field, set_choices
from healthjustice.people.identifiers import clean_postcode

from ..choices import (
    ContactMethod,
    ContactTime,
    Relationship,
)
from .equality import EqualityMonitoringForm
from .fields import PlainTextField, UserChoiceField, blank_choice

# Carers -----------------------------------------------------------------------------------


class CarerDetailsForm(EqualityMonitoringForm):
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    phone = forms.CharField(label="Phone number (optional)", max_length=30, required=False)
    email = forms.EmailField(label="Email address (optional)", required=False)
    address_line_1 = forms.CharField(
        label="Address line 1 (optional)", required=False, max_length=120
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", required=False, max_length=120
    )
    town = forms.CharField(label="Town or city (optional)", required=False, max_length=80)
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10)
    preferred_contact_method = forms.ChoiceField(
        label="How they like to be contacted",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        initial=ContactMethod.PHONE,
    )
    preferred_contact_time = forms.ChoiceField(
        label="When they like to be contacted",
        choices=ContactTime.choices,
        widget=forms.RadioSelect,
        initial=ContactTime.ANY,
    )
    communication_needs = PlainTextField(
        label="Their communication needs (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: large print, British Sign Language, easy read",
    )
    language = forms.CharField(label="Language they prefer", max_length=60, initial="English")
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    date_identified = NhsDateField(label="Date identified as a carer")
    identified_at_first_contact = forms.BooleanField(
        label="Identified at the patient's first contact with the service",
        required=False,
        help_text="Triangle of Care standard 1",
    )
    named_contact = UserChoiceField(
        label="Named contact (optional)",
        required=False,
        help_text="If nobody is named, the carer is shown the key worker or ward manager and the "
        "switchboard number",
    )

    def __init__(self, *args: Any, staff: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        form_field(self, "named_contact", UserChoiceField).set_users(staff)

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        return clean_postcode(value) if value else ""

    def clean(self):
        data = super().clean()
        method = data.get("preferred_contact_method")
        if method in (ContactMethod.PHONE, ContactMethod.TEXT) and not data.get("phone"):
            self.add_error("phone", "Enter a phone number, as they prefer phone or text")
        if method == ContactMethod.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter an email address, as they prefer email")
        if method == ContactMethod.LETTER and not (
            data.get("address_line_1") and data.get("postcode")
        ):
            self.add_error("address_line_1", "Enter an address, as they prefer letters")
        return data


class RelationshipFieldsMixin(Form):
    relationship = forms.ChoiceField(
        label="Their relationship to the patient",
        choices=blank_choice(Relationship.choices),
    )
    relationship_detail = forms.CharField(
        label="Describe the relationship (optional)",
        max_length=100,
        required=False,
        help_text="For example, stepmother",
    )
    is_nearest_relative = forms.BooleanField(
        label="They are the nearest relative under the Mental Health Act",
        required=False,
        help_text="This does not give them a right to information",
    )
    named_on_care_plan = forms.BooleanField(
        label="They are named on the patient's care plan", required=False
    )


class CarerAddForm(RelationshipFieldsMixin, CarerDetailsForm):
    team = forms.ChoiceField(label="Team supporting the carer")

    def __init__(self, *args: Any, teams: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.public_id): t for t in teams}
        set_choices(self, "team", [(k, t.name) for k, t in self.teams.items()])
        if len(self.teams) == 1:
            self.fields["team"].initial = next(iter(self.teams))
        self.fields["date_identified"].initial = timezone.localdate()

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]


class CarerEditForm(CarerDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RelationshipForm(RelationshipFieldsMixin):
    ended_on = NhsDateField(
        label="Date they stopped caring for the patient (optional)",
        required=False,
        help_text="Only if they are no longer a carer for this patient",
    )
