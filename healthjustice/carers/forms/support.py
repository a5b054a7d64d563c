"""The form for the support a carer is offered."""

from __future__ import annotations

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField

from ..choices import (
    AssessmentOutcome,
    OtherSupport,
)
from .fields import PlainTextField, blank_choice

# Support ----------------------------------------------------------------------------------


class SupportForm(Form):
    toolkit_given_on = NhsDateField(
        label="Date given the NHS England secure services carers' toolkit (optional)",
        required=False,
    )
    service_information_given_on = NhsDateField(
        label="Date given our own information for carers (optional)", required=False
    )
    assessment_offered_on = NhsDateField(
        label="Date a carer's assessment was offered (optional)", required=False
    )
    referred_to_local_authority_on = NhsDateField(
        label="Date referred to the local authority (optional)", required=False
    )
    local_authority = forms.CharField(
        label="Local authority (optional)",
        max_length=120,
        required=False,
        help_text="For example, Staffordshire County Council",
    )
    assessment_completed_on = NhsDateField(
        label="Date the carer's assessment was completed (optional)", required=False
    )
    assessment_outcome = forms.ChoiceField(
        label="Outcome of the carer's assessment (optional)",
        choices=blank_choice(AssessmentOutcome.choices, "Not known yet"),
        required=False,
    )
    other_support = forms.MultipleChoiceField(
        label="Other support offered (optional)",
        choices=OtherSupport.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = PlainTextField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        offered = data.get("assessment_offered_on")
        for name in ("referred_to_local_authority_on", "assessment_completed_on"):
            if data.get(name) and not offered:
                self.add_error("assessment_offered_on", "Enter when the assessment was offered")
                break
            if data.get(name) and offered and data[name] < offered:
                self.add_error(name, "This date must be on or after the date it was offered")
        if data.get("assessment_completed_on") and not data.get("assessment_outcome"):
            self.add_error("assessment_outcome", "Select the outcome of the completed assessment")
        return data
