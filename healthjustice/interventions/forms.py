from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, set_choices
from healthjustice.journeys.choices import ClosureReason

from .choices import ReferralOutcome, ServiceType

_TRI_STATE = {"yes": True, "no": False, "unknown": None}


def _tri_state_initial(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


class TriStateField(forms.ChoiceField):
    """Yes, no, or not known yet; cleans to True, False or None."""

    def __init__(self, *, unknown_label: str = "Not known yet", **kwargs):
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(
            choices=[("yes", "Yes"), ("no", "No"), ("unknown", unknown_label)], **kwargs
        )

    def clean(self, value):
        return _TRI_STATE[super().clean(value)]


class ReferralForm(Form):
    service_type = forms.ChoiceField(
        label="Type of service",
        choices=ServiceType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of service"},
    )
    service_name = forms.CharField(
        label="Name of the service",
        max_length=200,
        help_text="For example, Stoke Community Mental Health Team",
        error_messages={"required": "Enter the name of the service"},
    )
    referred_on = NhsDateField(
        label="Date of the referral",
        help_text="For example, 15 3 2026",
        error_messages={"required": "Enter the date of the referral"},
    )
    first_appointment_on = NhsDateField(
        label="Date of the first appointment (optional)",
        required=False,
        allow_future=True,
        help_text="A follow-up is due on this date. Leave blank if there is no date yet.",
    )
    supported_to_first_appointment = TriStateField(
        label="Will someone from the team support them to the first appointment?",
        unknown_label="Not decided yet",
        initial="unknown",
    )
    skip_reason = forms.CharField(
        label="Why is the episode moving on without an assessment?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The episode has not been assessed. This reason is kept with its history.",
    )

    def __init__(self, *args, needs_skip_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_skip_reason:
            del self.fields["skip_reason"]

    def clean_service_name(self):
        return self.cleaned_data["service_name"].strip()


class OutcomeForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    first_appointment_on = NhsDateField(
        label="Date of the first appointment (optional)",
        required=False,
        allow_future=True,
        help_text="For example, 15 3 2026",
    )
    supported_to_first_appointment = TriStateField(
        label="Did someone from the team support them to the first appointment?",
        unknown_label="Not decided yet",
    )
    attended = TriStateField(label="Did they attend the first appointment?")
    attended_on = NhsDateField(
        label="Date they attended (if they attended)",
        required=False,
        help_text="For example, 15 3 2026",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ReferralOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    outcome_notes = forms.CharField(
        label="Notes on the outcome (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {
            "version": referral.version,
            "first_appointment_on": referral.first_appointment_on,
            "supported_to_first_appointment": _tri_state_initial(
                referral.supported_to_first_appointment
            ),
            "attended": _tri_state_initial(referral.attended),
            "attended_on": referral.attended_on,
            "outcome": referral.outcome,
            "outcome_notes": referral.outcome_notes,
        }


class ClosureForm(Form):
    closure_reason = forms.ChoiceField(
        label="Why is the episode closing?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the episode is closing"},
    )
    summary = forms.CharField(
        label="Outcome of the episode",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "What came of the team's work: for example, support given, who the person was "
            "handed on to, what the court or police were told."
        ),
        error_messages={"required": "Describe the outcome of the episode"},
    )

    def __init__(self, *args: Any, reasons: list[ClosureReason], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "closure_reason", [(str(r), r.label) for r in reasons])

    def clean_summary(self):
        value = self.cleaned_data["summary"].strip()
        if not value:
            raise forms.ValidationError("Describe the outcome of the episode")
        return value
