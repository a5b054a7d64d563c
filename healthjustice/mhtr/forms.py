from __future__ import annotations

from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField
from healthjustice.journeys.forms import NhsTimeField

from .choices import (
    AssessmentMode,
    GpStatus,
    GuiltStatus,
    NoticeMethod,
    OrderType,
    ProbationAction,
    Register,
    SessionMode,
    SessionOutcome,
    Suitability,
    Tier,
    TreatmentType,
)
from .services import OrderInput, SuitabilityInput

DATE_HINT = "For example, 15 3 2026"


class YesNoField(forms.ChoiceField):
    """Yes or no, as radios; cleans to True or False."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(choices=[("yes", "Yes"), ("no", "No")], **kwargs)

    def clean(self, value: Any) -> bool:
        return super().clean(value) == "yes"


def _radios(label: str, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


def _text(label: str, max_length: int = 200, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, **kwargs)


def _long_text(label: str, max_length: int = 2000, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


class ReferralForm(Form):
    reason = _long_text(
        "Why are you referring them for an MHTR assessment?",
        help_text="For example, low mood and anxiety; charged with an offence that can attract a "
        "community order.",
    )


class SuitabilityForm(Form):
    assessed_on = NhsDateField(label="Date of the assessment", help_text=DATE_HINT)
    mode = _radios("How was the assessment held?", AssessmentMode.choices)
    offence_community_threshold = YesNoField(
        label="Can the offence attract a community or suspended sentence order?"
    )
    guilt = _radios("Plea or finding", GuiltStatus.choices)
    requires_treatment = YesNoField(
        label="Does the mental condition require, and may it be susceptible to, treatment?"
    )
    not_hospital_order = YesNoField(
        label="Is the condition one that does not warrant a hospital or guardianship order?"
    )
    arrangements_in_place = YesNoField(label="Are arrangements for treatment in place?")
    tier = _radios("Tier", Tier.choices)
    tier_criteria = _long_text(
        "How they meet the tier's criteria (optional)",
        required=False,
        help_text="Primary care: a condition below the threshold for detention under the Mental "
        "Health Act that would benefit from psychological support.",
    )
    gp = _radios("GP registration", GpStatus.choices)
    willing = YesNoField(
        label="Are they willing to comply with the requirement?",
        help_text="Recorded as their consent decision for the MHTR. They may withdraw it.",
    )
    outcome = _radios("Outcome of the assessment", Suitability.choices)
    notes = _long_text("Notes (optional)", max_length=4000, required=False)

    def to_input(self) -> SuitabilityInput:
        return SuitabilityInput(**self.cleaned_data)


class OrderForm(Form):
    court = _text("Court that made the order")
    sentenced_on = NhsDateField(label="Date of sentence", help_text=DATE_HINT)
    order_type = _radios("Type of order", OrderType.choices)
    treatment_type = _radios("Type of treatment", TreatmentType.choices)
    starts_on = NhsDateField(label="Start of the treatment period", help_text=DATE_HINT)
    months = forms.IntegerField(
        label="Length of the treatment period, in months",
        help_text="The end date is worked out from the start and the length.",
    )
    tier = _radios("Tier", Tier.choices)
    clinician_name = _text("Name of the responsible registered practitioner or psychologist")
    clinician_register = _radios("Their professional register", Register.choices)
    clinician_number = _text(
        "Registration number",
        max_length=12,
        help_text="GMC: 7 digits, like 1234567. HCPC: letters then digits, like PYL12345.",
    )
    with_drr = forms.BooleanField(
        label="The order also has a Drug Rehabilitation Requirement", required=False
    )
    with_atr = forms.BooleanField(
        label="The order also has an Alcohol Treatment Requirement", required=False
    )
    probation_practitioner = _text("Probation practitioner")
    probation_delivery_unit = _text("Probation delivery unit")
    planned_sessions = forms.IntegerField(label="Planned number of sessions")
    skip_reason = _long_text(
        "Why has the episode not been through the pre-sentence report stages?",
        max_length=1000,
        required=False,
    )

    def __init__(self, *args: Any, needs_skip_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_skip_reason:
            del self.fields["skip_reason"]

    def clean_clinician_number(self) -> str:
        return "".join(self.cleaned_data["clinician_number"].split()).upper()

    def to_input(self) -> OrderInput:
        return OrderInput(**self.cleaned_data)


class NoOrderForm(Form):
    court = _text("Court that sentenced them")
    sentenced_on = NhsDateField(label="Date of sentence", help_text=DATE_HINT)
    sentence_given = _long_text("Sentence the court gave", max_length=1000)


class SessionForm(Form):
    on = NhsDateField(label="Date of the session", help_text=DATE_HINT, allow_future=True)
    at = NhsTimeField(label="Time of the session", help_text="For example, 14:30 or 2:30pm")
    mode = _radios("How is the session held?", SessionMode.choices)
    practitioner = _text("Practitioner")


class SessionOutcomeForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = _radios("What happened at the session?", SessionOutcome.choices)
    absence_reason = _long_text(
        "Reason they gave for cancelling (if they cancelled)", max_length=1000, required=False
    )


class NoticeSendForm(Form):
    sent_on = NhsDateField(label="Date it was sent", help_text=DATE_HINT)
    recipient = _text("Probation practitioner it was sent to")
    method = _radios("How was it sent?", NoticeMethod.choices)


class ProbationResponseForm(Form):
    action = _radios("What did probation do?", ProbationAction.choices)
    told_on = NhsDateField(label="Date you were told", help_text=DATE_HINT)
    note = _long_text("Notes (optional)", required=False)


class PsrDueForm(Form):
    due_on = NhsDateField(
        allow_future=True,
        label="When is the pre-sentence report due?",
        help_text="The date of the adjourned hearing. " + DATE_HINT,
        error_messages={"required": "Enter the date the pre-sentence report is due"},
    )
